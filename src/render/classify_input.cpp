// Reading the values to classify from any GDAL vector layer (CSV tables included).
#include "cakupan/render/classify.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/number_text.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/utf8.hpp"
#include "io/gdal_support.hpp"
#include "io/table_cells.hpp"

#include <cmath>

namespace cakupan {

namespace {

// What the cell probably meant, for the error message.
std::string hint(const std::string& text) {
    if (!text.empty() && text.back() == '%' && read_number(text.substr(0, text.size() - 1), std::nullopt).value)
        return " (write the number without the % sign)";
    return " (expected a number; leave the cell empty for no data)";
}

} // namespace

std::vector<double> read_field_values(const std::string& path, const std::string& layer_name, const std::string& field,
                                      const std::string& noun, std::optional<DecimalMark> decimal,
                                      const std::string& encoding) {
    const gdal::TextEncoding enc{encoding, "--encoding"};
    gdal::DatasetPtr ds = gdal::open_vector(path, enc);
    OGRLayer& layer = gdal::select_layer(*ds, path, layer_name);
    const gdal::TextDecoder text(*ds, layer, path, enc);
    const auto& names = text.fields();
    int index = -1;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == field) index = static_cast<int>(i);
    if (index < 0)
        throw InputError(path + ": no " + noun + " '" + field + "'" + did_you_mean(field, names) + "; " + noun + "s: " +
                         (names.empty() ? std::string("(none)") : join_list(names)));

    // An empty row inside the table is a row without a value (no data), as an empty cell is.
    Diagnostics diag;
    const TableRows table = read_table(*ds, layer, path, {index}, text, InnerEmptyRows::keep, diag);
    if (diag.has_errors()) throw InputError(diag.items().front().where + ": " + diag.items().front().what);
    const std::string column = std::to_string(index + 1);

    DecimalEvidence evidence;
    for (std::size_t i = 0; i < table.rows.size(); ++i)
        if (!table.cells[i][0].number) evidence.add(table.cells[i][0].text, table.rows[i]);
    if (!decimal && evidence.mixed())
        throw InputError(path + ":" + std::to_string(evidence.conflict_row()) + ":" + column + ": " + noun + " '" + field +
                         "' mixes number formats: " + evidence.mixed_description() +
                         "; write every number the same way");
    const auto mark = decimal ? decimal : column_decimal_mark(evidence, {evidence}, gdal::semicolon_separated(*ds, path));

    std::vector<double> values;
    values.reserve(table.rows.size());
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const TableCell& cell = table.cells[i][0];
        if (cell.number) {
            values.push_back(std::isfinite(*cell.number) ? *cell.number : NAN);
            continue;
        }
        if (cell.text.empty()) {
            values.push_back(NAN);
            continue;
        }
        const NumberReading r = read_number(cell.text, mark);
        if (!r.value)
            throw InputError(path + ":" + std::to_string(table.rows[i]) + ":" + column + ": " + noun + " '" + field +
                             "' value '" + printable(cell.text) + "' " + r.problem +
                             (r.ambiguous ? "; name the decimal mark with --decimal point or --decimal comma"
                                          : r.problem == "is not a number" ? hint(cell.text) : ""));
        values.push_back(*r.value);
    }
    return values;
}

} // namespace cakupan
