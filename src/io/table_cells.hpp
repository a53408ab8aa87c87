// The cells of a table (CSV, XLSX, ODS, a GeoPackage table, ...) as read through GDAL: the text of
// text cells as UTF-8, the value of cells stored as numbers, with the row a user sees.
#pragma once

#include "cakupan/common/diagnostics.hpp"
#include "io/gdal_support.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cakupan {

struct TableCell {
    std::string text;             // trimmed; for a number cell its shortest text
    std::optional<double> number; // set for cells stored as numbers (typed fields)
    bool empty() const { return text.empty() && !number; }
};

struct TableRows {
    std::vector<std::size_t> rows;            // row of each record as a spreadsheet shows it (header = 1)
    std::vector<std::vector<TableCell>> cells; // per record, the requested columns in their order
};

enum class InnerEmptyRows { error, keep };

// Reads `columns` of every record. Wholly empty records at the end (spreadsheets keep formatted
// rows) are dropped; one followed by data is an error naming its row, or kept as a record of empty
// cells. Text that is not UTF-8 throws InputError (see gdal::TextDecoder).
TableRows read_table(GDALDataset& ds, OGRLayer& layer, const std::string& file, const std::vector<int>& columns,
                     const gdal::TextDecoder& text, InnerEmptyRows inner, Diagnostics& diag);

// Spreadsheet drivers guess whether the first row is a header; it always is. Cell types are left to
// the driver: a cell stored as a number then arrives as its value, never as locale text.
class SpreadsheetHeaders {
public:
    SpreadsheetHeaders() {
        for (const auto& key : kKeys) CPLSetThreadLocalConfigOption(key, "FORCE");
    }
    ~SpreadsheetHeaders() {
        for (const auto& key : kKeys) CPLSetThreadLocalConfigOption(key, nullptr);
    }
    SpreadsheetHeaders(const SpreadsheetHeaders&) = delete;
    SpreadsheetHeaders& operator=(const SpreadsheetHeaders&) = delete;

private:
    static constexpr const char* kKeys[] = {"OGR_XLSX_HEADERS", "OGR_ODS_HEADERS"};
};

// A table opened for reading: spreadsheet headers forced while it lives, the layer chosen (the only
// one, or `layer`), its text fields decoded to UTF-8 (or refused) with `encoding`.
struct OpenTable {
    OpenTable(const std::string& path, const std::string& layer_name, const gdal::TextEncoding& encoding)
        : ds(gdal::open_vector(path, encoding)), layer(gdal::select_layer(*ds, path, layer_name)), text(*ds, layer, path, encoding) {}
    SpreadsheetHeaders headers; // first: spreadsheet drivers read their sheets lazily
    gdal::DatasetPtr ds;
    OGRLayer& layer;
    gdal::TextDecoder text;
};

// A region code from a cell stored as a number (a spreadsheet column not formatted as text): its
// shortest text is the code as typed for 19 or 19.01, but 19.10 arrives as 19.1 and cannot be told
// from a typo. "" and `problem` set when the code must be refused.
std::string code_from_number(double v, std::string& problem);

} // namespace cakupan
