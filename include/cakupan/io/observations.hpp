// Observed figures (what actually happened): one observation per row, naming where, when and what
// was measured and how precisely the source states it. Read through OGR from CSV, XLSX, ODS or any
// table GDAL reads; the columns are those of geodata/observations/*.csv.
#pragma once

#include "cakupan/common/diagnostics.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace cakupan {

enum class RegionLevel { national, province, kabkota, kecamatan, desa };
const char* to_string(RegionLevel level); // "national", "province", ...

enum class ObservationUnit { persons, percent };

struct Observation {
    std::size_t row = 0;         // row in the file (the header is row 1)
    RegionLevel level = RegionLevel::national;
    std::string code;            // region code as written; empty for national
    std::string name;            // region_name, for messages
    std::chrono::year_month period{};
    std::string indicator;       // e.g. bpjstk_participants_active, bpjstk_active_wage_earners_PU
    double value = 0;
    ObservationUnit unit = ObservationUnit::persons;
    // The rounding step of the published figure, in the value's unit: 0 for "exact", 10,000 for a
    // count published as "0.01 million", 0.01 for "0.01 pct".
    double rounding = 0;
    std::string source;
    std::string source_url;

    // The standard deviation of the error that rounding to `rounding` leaves (uniform over one step).
    double rounding_sd() const;
};

struct ObservationTable {
    std::string source; // the file
    std::vector<Observation> rows;
};

struct ObservationOptions {
    std::string path;
    std::string layer;                          // sheet or layer; "" = the only one
    std::string encoding{};                     // encoding of text that is not UTF-8; "" = none
    std::string encoding_option = "--encoding"; // how the user names it, for messages
};

// Reads and checks every row; each problem becomes one diagnostic with file:row:column (unknown
// level, a code missing or given for national, a period that is not YYYY-MM, a value that is not a
// number, negative, or a percentage above 100, a precision that is missing or not understood, the
// same region, period and indicator twice). Throws InputError when the table cannot be read or a
// required column is missing.
ObservationTable read_observations(const ObservationOptions& options, Diagnostics& diagnostics);

// "0.01 million" -> 10000, "exact" -> 0, "1 thousand" -> 1000, "0.01 pct" -> 0.01; false when the
// text is none of these forms.
bool parse_precision(const std::string& text, double& rounding);

} // namespace cakupan
