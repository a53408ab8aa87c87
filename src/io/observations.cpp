#include "cakupan/io/observations.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/number_text.hpp"
#include "cakupan/io/utf8.hpp"
#include "io/gdal_support.hpp"
#include "io/table_cells.hpp"

#include <array>
#include <cmath>
#include <map>
#include <tuple>

namespace cakupan {

namespace {

constexpr std::array kLevels{RegionLevel::national, RegionLevel::province, RegionLevel::kabkota, RegionLevel::kecamatan,
                             RegionLevel::desa};

// The columns read, in this order; the first seven are required.
enum Column : std::size_t { level, code, period, indicator, value, unit, precision, name, source, source_url, count };
constexpr std::array<const char*, Column::count> kColumns{"region_level", "kode",   "period",    "indicator", "value",
                                                          "unit",         "precision", "region_name", "source", "source_url"};
constexpr std::size_t kRequired = Column::precision + 1;

bool parse_period(const std::string& text, std::chrono::year_month& out) {
    // YYYY-MM, as the observation tables write a month.
    if (text.size() != 7 || text[4] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
        if (text[i] < '0' || text[i] > '9') return false;
    const int y = std::stoi(text.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
    if (m < 1 || m > 12) return false;
    out = std::chrono::year{y} / std::chrono::month{m};
    return true;
}

} // namespace

const char* to_string(RegionLevel level) {
    switch (level) {
    case RegionLevel::national: return "national";
    case RegionLevel::province: return "province";
    case RegionLevel::kabkota: return "kabkota";
    case RegionLevel::kecamatan: return "kecamatan";
    case RegionLevel::desa: return "desa";
    }
    return "?";
}

double Observation::rounding_sd() const { return rounding / std::sqrt(12.0); }

bool parse_precision(const std::string& text, double& rounding) {
    if (text == "exact") {
        rounding = 0;
        return true;
    }
    const auto space = text.find(' ');
    const std::string number = text.substr(0, space);
    const std::string scale = space == std::string::npos ? "" : text.substr(space + 1);
    const auto step = parse_number(number, DecimalMark::point);
    if (!step || !(*step > 0)) return false;
    static const std::map<std::string, double> kScale{{"", 1},       {"person", 1},    {"persons", 1},
                                                      {"thousand", 1e3}, {"million", 1e6}, {"pct", 1},
                                                      {"percent", 1}, {"%", 1}};
    const auto it = kScale.find(scale);
    if (it == kScale.end()) return false;
    rounding = *step * it->second;
    return true;
}

ObservationTable read_observations(const ObservationOptions& options, Diagnostics& diag) {
    const std::string& file = options.path;
    OpenTable t(file, options.layer, {options.encoding, options.encoding_option});
    GDALDataset& ds = *t.ds;
    const auto& fields = t.text.fields();

    std::vector<int> columns(Column::count, -1);
    std::vector<std::string> missing;
    for (std::size_t c = 0; c < Column::count; ++c) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i] == kColumns[c]) columns[c] = static_cast<int>(i);
        if (columns[c] < 0 && c < kRequired) missing.push_back(kColumns[c]);
    }
    if (!missing.empty())
        throw InputError(file + ":1: missing column" + (missing.size() > 1 ? "s " : " ") + join_list(missing) +
                         " (an observation table has region_level, kode, period, indicator, value, unit, precision; "
                         "columns: " + join_list(fields) + ")");
    std::vector<int> read;
    for (int c : columns)
        if (c >= 0) read.push_back(c);
    const TableRows cells = read_table(ds, t.layer, file, read, t.text, InnerEmptyRows::error, diag);
    auto cell = [&](std::size_t i, Column c) -> const TableCell* {
        if (columns[c] < 0) return nullptr;
        std::size_t k = 0;
        for (std::size_t j = 0; j < c; ++j) k += columns[j] >= 0 ? 1 : 0;
        return &cells.cells[i][k];
    };

    DecimalEvidence evidence;
    for (std::size_t i = 0; i < cells.rows.size(); ++i)
        if (!cell(i, Column::value)->number) evidence.add(cell(i, Column::value)->text, cells.rows[i]);
    const std::optional<DecimalMark> mark =
        evidence.mixed() ? std::nullopt : column_decimal_mark(evidence, {evidence}, gdal::semicolon_separated(ds, file));

    ObservationTable table;
    table.source = file;
    std::map<std::tuple<RegionLevel, std::string, int, unsigned, std::string>, std::size_t> seen;
    for (std::size_t i = 0; i < cells.rows.size(); ++i) {
        const std::size_t row = cells.rows[i];
        auto at = [&](Column c) { return file + ":" + std::to_string(row) + ":" + std::to_string(columns[c] + 1); };
        auto text_of = [&](Column c) { return cell(i, c) ? cell(i, c)->text : std::string{}; };
        Observation o;
        o.row = row;
        bool ok = true;

        const std::string level_text = text_of(Column::level);
        bool level_known = false;
        for (RegionLevel l : kLevels)
            if (level_text == to_string(l)) o.level = l, level_known = true;
        if (!level_known) {
            std::vector<std::string> names;
            for (RegionLevel l : kLevels) names.emplace_back(to_string(l));
            diag.error(at(Column::level), "unknown region_level '" + printable(level_text) + "'" +
                                              did_you_mean(level_text, names) + " (one of " + join_list(names) + ")");
            ok = false;
        }

        const TableCell& code_cell = *cell(i, Column::code);
        o.code = code_cell.text;
        if (code_cell.number) {
            std::string problem;
            o.code = code_from_number(*code_cell.number, problem);
            if (!problem.empty()) diag.error(at(Column::code), problem), ok = false;
        }
        if (level_known && o.level == RegionLevel::national && !o.code.empty())
            diag.error(at(Column::code), "a national observation has no region code (found '" + printable(o.code) + "')"),
                ok = false;
        if (level_known && o.level != RegionLevel::national && o.code.empty() && !code_cell.number)
            diag.error(at(Column::code), std::string("empty region code for a ") + to_string(o.level) + " observation"),
                ok = false;

        const std::string period_text = text_of(Column::period);
        if (!parse_period(period_text, o.period))
            diag.error(at(Column::period), "period '" + printable(period_text) + "' is not a month written YYYY-MM"),
                ok = false;

        o.indicator = text_of(Column::indicator);
        if (o.indicator.empty()) diag.error(at(Column::indicator), "empty indicator"), ok = false;

        const std::string unit_text = text_of(Column::unit);
        if (unit_text == "persons") o.unit = ObservationUnit::persons;
        else if (unit_text == "percent") o.unit = ObservationUnit::percent;
        else
            diag.error(at(Column::unit), "unit '" + printable(unit_text) + "' is not 'persons' or 'percent'" +
                                             did_you_mean(unit_text, {"persons", "percent"})),
                ok = false;

        const TableCell& value_cell = *cell(i, Column::value);
        if (value_cell.empty()) {
            diag.error(at(Column::value), "value is empty");
            ok = false;
        } else if (value_cell.number) {
            o.value = *value_cell.number;
        } else if (evidence.mixed()) {
            diag.error(at(Column::value), "column 'value' mixes number formats: " + evidence.mixed_description());
            ok = false;
        } else {
            const NumberReading r = read_number(value_cell.text, mark);
            if (!r.value) {
                diag.error(at(Column::value), "value '" + printable(value_cell.text) + "' " + r.problem +
                                                  (r.ambiguous ? "; write values without thousands separators" : ""));
                ok = false;
            } else {
                o.value = *r.value;
            }
        }
        if (ok && !(o.value >= 0)) diag.error(at(Column::value), "value " + value_cell.text + " is negative"), ok = false;
        if (ok && o.unit == ObservationUnit::percent && o.value > 100)
            diag.error(at(Column::value), "value " + value_cell.text + " is a percentage above 100"), ok = false;

        const std::string precision_text = text_of(Column::precision);
        if (precision_text.empty()) {
            diag.error(at(Column::precision),
                       "precision is missing (write 'exact' or the rounding step, such as '0.01 million')");
            ok = false;
        } else if (!parse_precision(precision_text, o.rounding)) {
            diag.error(at(Column::precision), "precision '" + printable(precision_text) +
                                                  "' is not understood (write 'exact' or the rounding step, such as "
                                                  "'0.01 million', '1 thousand' or '0.01 pct')");
            ok = false;
        }

        o.name = text_of(Column::name);
        o.source = text_of(Column::source);
        o.source_url = text_of(Column::source_url);
        if (!ok) continue;
        const auto key = std::make_tuple(o.level, o.code, static_cast<int>(o.period.year()),
                                         static_cast<unsigned>(o.period.month()), o.indicator);
        const auto [it, fresh] = seen.emplace(key, row);
        if (!fresh) {
            diag.error(at(Column::indicator), "the same observation twice: " + std::string(to_string(o.level)) +
                                                  (o.code.empty() ? "" : " " + o.code) + ", " + period_text + ", " +
                                                  o.indicator + " (rows " + std::to_string(it->second) + " and " +
                                                  std::to_string(row) + ")");
            continue;
        }
        table.rows.push_back(std::move(o));
    }
    return table;
}

} // namespace cakupan
