// Labour statistics per region (workers and active participants by segment), read through OGR
// from CSV, XLSX, ODS or any other table GDAL reads, and joined to a region table.
#pragma once

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/geo/region_table.hpp"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace cakupan {

struct StatisticsOptions {
    std::string path;
    std::string layer;      // sheet or layer; "" = the only one
    std::string code_field; // "" = detect (kode, code, ...)
    std::string encoding{}; // encoding of text that is not UTF-8 ("latin1"); "" = none
    std::string encoding_option = "--encoding"; // how the user names it, for messages
};

// One record per region. Segments come from paired columns workers_<segment> and active_<segment>,
// in file order; an optional `workers` column must equal their sum.
struct StatisticsTable {
    std::string source;
    std::string code_field;
    std::size_t code_column = 0; // 0-based column of code_field
    std::vector<std::string> segments;
    std::vector<std::string> codes;
    std::vector<std::size_t> rows; // row of each record in the file (the header is row 1)
    Eigen::ArrayXXd workers;       // records x segments
    Eigen::ArrayXXd active;        // records x segments
    Eigen::ArrayXd villages;       // optional `villages` column (desa + kelurahan); empty when absent

    std::size_t size() const { return codes.size(); }
};

// Reads and checks every value; each problem becomes one diagnostic with file:row:column. Counts
// are read by the rule of number_text.hpp (1234, 1.234.567, 1,234,567; a cell that reads two ways
// in a column and file that do not show which is refused); a cell stored as a number is its value.
// Throws InputError only when the table cannot be read at all.
StatisticsTable read_statistics(const StatisticsOptions& options, Diagnostics& diagnostics);

// Statistics in region order. Regions without a record are errors, as are records whose code
// matches no region; both name the nearest code.
struct RegionStatistics {
    std::vector<std::string> segments;
    Eigen::ArrayXXd workers; // regions x segments
    Eigen::ArrayXXd active;
    Eigen::ArrayXd villages; // per region; empty when the statistics have no `villages` column

    double total_workers() const { return workers.sum(); }
    double total_active() const { return active.sum(); }
};

RegionStatistics join_statistics(const RegionTable& regions, const StatisticsTable& stats, Diagnostics& diagnostics);

} // namespace cakupan
