#include "cakupan/io/statistics.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/hierarchy.hpp"
#include "cakupan/io/number_text.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/utf8.hpp"
#include "io/gdal_support.hpp"
#include "io/table_cells.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace cakupan {

namespace {

const std::vector<std::string> kCodeCandidates = {"kode", "code", "kode_wilayah", "region_code", "id"};
constexpr std::size_t kMaxListed = 50; // per kind of join problem, then one summary line

std::string format_count(double v) {
    char buf[64];
    if (v == std::floor(v) && std::abs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits only, of the length of a BPS kab/kota (1901), kecamatan (1901010) or village (1901010001)
// code; province codes are the same in both systems.
bool looks_like_bps(std::string_view code) {
    return all_digits(code) && (code.size() == 4 || code.size() == 7 || code.size() == 10);
}

} // namespace

StatisticsTable read_statistics(const StatisticsOptions& options, Diagnostics& diag) {
    const std::string& file = options.path;
    OpenTable opened(file, options.layer, {options.encoding, options.encoding_option});
    GDALDataset* ds = opened.ds.get();
    OGRLayer& layer = opened.layer;
    const gdal::TextDecoder& text = opened.text;
    const int code_index = gdal::find_field(layer, file, options.code_field, kCodeCandidates, "code", true);
    const auto& fields = text.fields();

    StatisticsTable table;
    table.source = file;
    table.code_field = fields[static_cast<std::size_t>(code_index)];
    table.code_column = static_cast<std::size_t>(code_index);

    // Pair workers_<s> with active_<s>; a column without its partner is a header error.
    auto at_header = [&](std::size_t col) { return file + ":1:" + std::to_string(col + 1); };
    std::vector<int> worker_col, active_col;
    int total_col = -1, villages_col = -1;
    std::map<std::string, std::size_t> active_of;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].rfind("active_", 0) == 0) active_of[fields[i].substr(7)] = i;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] == "workers") total_col = static_cast<int>(i);
        if (fields[i] == "villages") villages_col = static_cast<int>(i);
        if (fields[i].rfind("workers_", 0) != 0) continue;
        const std::string seg = fields[i].substr(8);
        const auto it = active_of.find(seg);
        if (it == active_of.end()) {
            diag.error(at_header(i), "column '" + fields[i] + "' has no partner column 'active_" + seg + "'");
            continue;
        }
        table.segments.push_back(seg);
        worker_col.push_back(static_cast<int>(i));
        active_col.push_back(static_cast<int>(it->second));
        active_of.erase(it);
    }
    for (const auto& [seg, col] : active_of)
        diag.error(at_header(col), "column 'active_" + seg + "' has no partner column 'workers_" + seg + "'");
    if (table.segments.empty() && active_of.empty())
        diag.error(file, "no segment columns: expected pairs such as workers_formal,active_formal; columns: " +
                             join_list(fields));
    if (table.segments.empty()) return table;
    // With a segment column unpaired the total cannot match; say so once, in the header.
    const bool header_ok = !diag.has_errors();

    // The columns read, in this order: the code, the segments' workers and active, the total, villages.
    const std::size_t nseg = table.segments.size();
    std::vector<int> columns{code_index};
    columns.insert(columns.end(), worker_col.begin(), worker_col.end());
    columns.insert(columns.end(), active_col.begin(), active_col.end());
    const std::size_t total_k = total_col >= 0 ? columns.size() : 0;
    if (total_col >= 0) columns.push_back(total_col);
    const std::size_t villages_k = villages_col >= 0 ? columns.size() : 0;
    if (villages_col >= 0) columns.push_back(villages_col);
    const TableRows cells = read_table(*ds, layer, file, columns, text, InnerEmptyRows::error, diag);

    // Each count column's decimal mark: its own cells, else what the file's other columns show.
    std::vector<DecimalEvidence> evidence(columns.size());
    for (std::size_t i = 0; i < cells.rows.size(); ++i)
        for (std::size_t k = 1; k < columns.size(); ++k)
            if (!cells.cells[i][k].number) evidence[k].add(cells.cells[i][k].text, cells.rows[i]);
    const bool semicolons = gdal::semicolon_separated(*ds, file);
    std::vector<std::optional<DecimalMark>> mark(columns.size());
    std::vector<bool> mixed(columns.size(), false);
    for (std::size_t k = 1; k < columns.size(); ++k) {
        mixed[k] = evidence[k].mixed();
        mark[k] = column_decimal_mark(evidence[k], evidence, semicolons);
        if (mixed[k])
            diag.error(file + ":" + std::to_string(evidence[k].conflict_row()) + ":" + std::to_string(columns[k] + 1),
                       "column '" + fields[static_cast<std::size_t>(columns[k])] + "' mixes number formats: " +
                           evidence[k].mixed_description() + "; write every count the same way, best without separators");
    }

    std::vector<double> workers, active, villages;
    std::map<std::string, std::vector<std::size_t>> rows_of_code;
    for (std::size_t i = 0; i < cells.rows.size(); ++i) {
        const std::size_t row = cells.rows[i];
        const auto& record = cells.cells[i];
        auto at = [&](int col) { return file + ":" + std::to_string(row) + ":" + std::to_string(col + 1); };
        std::string code = record[0].text;
        if (record[0].number) {
            std::string problem;
            code = code_from_number(*record[0].number, problem);
            if (!problem.empty()) {
                diag.error(at(code_index), problem);
                continue;
            }
        }
        if (code.empty()) {
            diag.error(at(code_index), "empty region code in column '" + table.code_field + "'");
            continue;
        }
        auto value = [&](std::size_t k) -> double {
            const TableCell& cell = record[k];
            const int col = columns[k];
            const std::string& name = fields[static_cast<std::size_t>(col)];
            if (cell.empty()) {
                diag.error(at(col), "'" + name + "' is empty (expected a count of persons)");
                return NAN;
            }
            if (mixed[k]) return NAN; // reported once for the column
            double v = 0;
            if (cell.number) {
                v = *cell.number;
            } else {
                const NumberReading r = read_number(cell.text, mark[k]);
                if (!r.value) {
                    diag.error(at(col), "'" + name + "' value '" + printable(cell.text) + "' " + r.problem +
                                            (r.ambiguous ? "; write counts without thousands separators"
                                                         : " (expected a count of persons)"));
                    return NAN;
                }
                v = *r.value;
            }
            if (v < 0) {
                diag.error(at(col), "'" + name + "' value " + cell.text + " is negative (expected a count >= 0)");
                return NAN;
            }
            if (v != std::floor(v)) {
                diag.error(at(col), "'" + name + "' value '" + cell.text + "' is not a whole number of persons");
                return NAN;
            }
            return v;
        };
        double sum = 0;
        bool all_ok = true;
        for (std::size_t s = 0; s < nseg; ++s) {
            const double w = value(1 + s);
            const double a = value(1 + nseg + s);
            if (std::isfinite(w) && std::isfinite(a) && a > w)
                diag.error(at(active_col[s]), "region " + code + ": active_" + table.segments[s] + " " + format_count(a) +
                                                  " exceeds workers_" + table.segments[s] + " " + format_count(w) +
                                                  " (coverage above 100%)");
            all_ok = all_ok && std::isfinite(w) && std::isfinite(a);
            sum += w;
            workers.push_back(w);
            active.push_back(a);
        }
        if (total_col >= 0 && all_ok && header_ok) {
            const double total = value(total_k);
            if (std::isfinite(total) && std::abs(total - sum) > 0.5)
                diag.error(at(total_col), "region " + code + ": 'workers' " + format_count(total) +
                                              " differs from the sum of the segments " + format_count(sum));
        }
        if (villages_col >= 0) villages.push_back(value(villages_k));
        rows_of_code[code].push_back(row);
        table.codes.push_back(code);
        table.rows.push_back(row);
    }

    for (const auto& [code, rows] : rows_of_code) {
        if (rows.size() < 2) continue;
        std::string list;
        for (auto r : rows) list += (list.empty() ? "" : ", ") + std::to_string(r);
        diag.error(file + ":" + std::to_string(rows[1]) + ":" + std::to_string(code_index + 1),
                   "duplicate region code " + code + " (rows " + list + ")");
    }

    const auto n = static_cast<Eigen::Index>(table.codes.size());
    const auto ns = static_cast<Eigen::Index>(nseg);
    table.workers = Eigen::Map<Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(workers.data(), n, ns);
    table.active = Eigen::Map<Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(active.data(), n, ns);
    if (villages_col >= 0) table.villages = Eigen::Map<Eigen::ArrayXd>(villages.data(), n);
    return table;
}

RegionStatistics join_statistics(const RegionTable& regions, const StatisticsTable& stats, Diagnostics& diag) {
    RegionStatistics out;
    out.segments = stats.segments;
    const auto nseg = static_cast<Eigen::Index>(stats.segments.size());
    out.workers = Eigen::ArrayXXd::Constant(static_cast<Eigen::Index>(regions.size()), nseg, NAN);
    out.active = out.workers;
    if (stats.villages.size() > 0) out.villages = Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(regions.size()), NAN);
    const std::string layer = regions.source + " (layer " + regions.layer + ")";

    // BPS codes (1901) are not Kemendagri codes (19.01): say so once rather than list every code.
    std::vector<std::size_t> bps_rows;
    const bool kemendagri = regions.codes.kind() == CodeStructure::Kind::kemendagri && !regions.ids.empty();
    for (std::size_t i = 0; kemendagri && i < stats.size(); ++i)
        if (looks_like_bps(stats.codes[i]) && !regions.find(stats.codes[i])) bps_rows.push_back(i);
    if (!bps_rows.empty()) {
        const auto i = bps_rows.front();
        const std::string more = bps_rows.size() > 1 ? " (as do " + std::to_string(bps_rows.size() - 1) + " more)" : "";
        diag.error(stats.source + ":" + std::to_string(stats.rows[i]) + ":" + std::to_string(stats.code_column + 1),
                   "region code " + stats.codes[i] + " looks like a BPS code" + more + "; Kemendagri codes, as in " + layer +
                       ", look like " + regions.ids.front() +
                       ": join through the bps_code crosswalk column (see docs/data.md)");
        if (bps_rows.size() == stats.size()) return out;
    }

    // Codes of another admin level explain a wholesale mismatch better than a list of every code;
    // levels come from the layer's code structure, and a code of no known level names none.
    const CodeStructure& codes = regions.codes;
    std::set<int> stat_levels, region_levels;
    for (const auto& c : stats.codes) stat_levels.insert(codes.level(c));
    if (!regions.within.empty()) stat_levels.erase(codes.level(regions.within)); // rows of the enclosing region itself
    for (const auto& c : regions.ids) region_levels.insert(codes.level(c));
    const bool disjoint = std::none_of(stat_levels.begin(), stat_levels.end(), [&](int l) { return region_levels.count(l); });
    if (!stats.codes.empty() && !regions.ids.empty() && disjoint && !stat_levels.count(0) && !region_levels.count(0)) {
        diag.error(stats.source, "statistics are at " + codes.level_label(*stat_levels.begin()) + " but the boundaries of " +
                                     layer + " are at " + codes.level_label(*region_levels.begin()) +
                                     "; choose the boundary layer or statistics file of the same level");
        return out;
    }

    // Suggestions come only from codes left unmatched on the other side: a near miss such as
    // 19.7 for 19.71 is then named, and a code that already has its row is never proposed.
    std::vector<bool> seen(regions.size(), false);
    std::vector<std::size_t> unknown_rows;
    // Boundaries cut to one province (--within) take the statistics rows inside it only.
    for (std::size_t i = 0; i < stats.size(); ++i) {
        // A code of no known level is kept, so that the join names it.
        if (!regions.within.empty() && codes.level(stats.codes[i]) != 0 && !codes.is_within(stats.codes[i], regions.within))
            continue;
        const auto r = regions.find(stats.codes[i]);
        if (!r) {
            unknown_rows.push_back(i);
            continue;
        }
        if (seen[*r]) continue; // duplicates were reported by the reader
        seen[*r] = true;
        out.workers.row(static_cast<Eigen::Index>(*r)) = stats.workers.row(static_cast<Eigen::Index>(i));
        out.active.row(static_cast<Eigen::Index>(*r)) = stats.active.row(static_cast<Eigen::Index>(i));
        if (out.villages.size() > 0) out.villages[static_cast<Eigen::Index>(*r)] = stats.villages[static_cast<Eigen::Index>(i)];
    }
    std::vector<std::string> unmatched_regions, unknown_codes;
    for (std::size_t r = 0; r < regions.size(); ++r)
        if (!seen[r]) unmatched_regions.push_back(regions.ids[r]);
    for (auto i : unknown_rows) unknown_codes.push_back(stats.codes[i]);

    for (std::size_t j = 0; j < unknown_rows.size() && j < kMaxListed; ++j) {
        const auto i = unknown_rows[j];
        diag.error(stats.source + ":" + std::to_string(stats.rows[i]) + ":" + std::to_string(stats.code_column + 1),
                   "region code " + stats.codes[i] + " is not in " + layer + did_you_mean(stats.codes[i], unmatched_regions));
    }
    if (unknown_rows.size() > kMaxListed)
        diag.error(stats.source, std::to_string(unknown_rows.size() - kMaxListed) + " more region codes are not in " + layer);

    std::size_t missing = 0;
    for (std::size_t r = 0; r < regions.size(); ++r) {
        if (seen[r]) continue;
        if (++missing <= kMaxListed)
            diag.error(layer, "region " + regions.ids[r] + " (" + regions.names[r] + ") has no row in " + stats.source +
                                  did_you_mean(regions.ids[r], unknown_codes));
    }
    if (missing > kMaxListed)
        diag.error(layer, std::to_string(missing - kMaxListed) + " more regions have no row in " + stats.source);

    return out;
}

} // namespace cakupan
