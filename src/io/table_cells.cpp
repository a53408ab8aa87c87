#include "io/table_cells.hpp"

#include "cakupan/io/number_text.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace cakupan {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool numeric(OGRFieldType t) { return t == OFTInteger || t == OFTInteger64 || t == OFTReal; }

bool wholly_empty(OGRFeature& f) {
    for (int i = 0; i < f.GetFieldCount(); ++i)
        if (f.IsFieldSetAndNotNull(i) && !trim(f.GetFieldAsString(i)).empty()) return false;
    return true;
}

// The rows of a CSV file as a spreadsheet shows them: one per record (a quoted cell may span lines),
// blank lines included. GDAL's CSV reader skips blank lines, so its records are numbered apart:
// `records[j]` is the row of GDAL's record j (0 = the header) and `blank` the rows it skipped.
struct CsvRows {
    std::vector<std::size_t> records, blank;
};

CsvRows csv_rows(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    CsvRows out;
    std::size_t row = 0, length = 0;
    bool quoted = false;
    auto end_record = [&] {
        ++row;
        (length == 0 ? out.blank : out.records).push_back(row);
        length = 0;
    };
    for (const char c : text) {
        if (c == '"') quoted = !quoted;
        if (c == '\n' && !quoted) end_record();
        else if (c != '\r') ++length;
    }
    if (length > 0) end_record();
    return out;
}

} // namespace

TableRows read_table(GDALDataset& ds, OGRLayer& layer, const std::string& file, const std::vector<int>& columns,
                     const gdal::TextDecoder& text, InnerEmptyRows inner, Diagnostics& diag) {
    // Spreadsheet drivers number features by their sheet row; elsewhere the row is the record's place.
    const std::string driver = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
    const bool fid_is_row = driver == "XLSX" || driver == "ODS" || driver == "XLS";
    const OGRFeatureDefn* defn = layer.GetLayerDefn();

    // A CSV read from its own file (not the in-memory copy of a one-column CSV, which keeps blank lines).
    const std::string source = ds.GetDescription();
    const CsvRows csv = driver == "CSV" && source.rfind("/vsimem/", 0) != 0 ? csv_rows(file) : CsvRows{};
    std::size_t next_blank = 0, record = 0;

    TableRows out;
    std::vector<std::size_t> empty_rows; // pending: dropped if nothing but empty rows follows
    std::size_t row = 1;
    gdal::ErrorCapture capture;
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        ++record;
        if (record < csv.records.size()) row = csv.records[record];
        else row = fid_is_row && f->GetFID() > static_cast<GIntBig>(row) ? static_cast<std::size_t>(f->GetFID()) : row + 1;
        for (; next_blank < csv.blank.size() && csv.blank[next_blank] < row; ++next_blank)
            if (csv.blank[next_blank] > 1) empty_rows.push_back(csv.blank[next_blank]);
        if (wholly_empty(*f)) {
            empty_rows.push_back(row);
            continue;
        }
        for (const auto r : empty_rows) {
            if (inner == InnerEmptyRows::error) {
                diag.error(file + ":" + std::to_string(r),
                           "row " + std::to_string(r) + " is empty but rows of data follow it; delete it (empty rows are "
                           "ignored only at the end of a table)");
                continue;
            }
            out.rows.push_back(r);
            out.cells.emplace_back(columns.size());
        }
        empty_rows.clear();
        std::vector<TableCell> cells(columns.size());
        for (std::size_t k = 0; k < columns.size(); ++k) {
            const int i = columns[k];
            if (!f->IsFieldSetAndNotNull(i)) continue;
            if (numeric(defn->GetFieldDefn(i)->GetType())) {
                cells[k].number = f->GetFieldAsDouble(i);
                cells[k].text = shortest_text(*cells[k].number);
            } else {
                const std::string at = file + ":" + std::to_string(row) + ":" + std::to_string(i + 1) + ": '" +
                                       text.fields()[static_cast<std::size_t>(i)] + "'";
                cells[k].text = trim(text.decode(f->GetFieldAsString(i), at, true));
            }
        }
        out.rows.push_back(row);
        out.cells.push_back(std::move(cells));
    }
    if (auto failures = capture.take_failures(); !failures.empty())
        diag.error(file, "reading stopped after row " + std::to_string(row) + ": " + failures.back());
    return out;
}

std::string code_from_number(double v, std::string& problem) {
    const std::string text = shortest_text(v);
    const auto dot = text.find('.');
    if (dot != std::string::npos && text.size() - dot - 1 == 1) {
        problem = "region code " + text + " is stored as a number, which drops trailing zeros (19.10 becomes 19.1); "
                  "store the codes as text (format the column as Text, or type them as '" + text + "0) and type them again";
        return {};
    }
    return text;
}

} // namespace cakupan
