#include "cakupan/statistics.hpp"

#include "cakupan/error.hpp"
#include "cakupan/code_structure.hpp"
#include "cakupan/suggest.hpp"
#include "gdal_support.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <algorithm>

namespace cakupan {

namespace {

const std::vector<std::string> kCodeCandidates = {"kode", "code", "kode_wilayah", "region_code", "id"};
constexpr std::size_t kMaxListed = 50; // per kind of join problem, then one summary line

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::optional<double> parse_number(const std::string& text) {
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return v;
}

// "22.848" or "1,234": digits in groups of three after the first separator.
bool looks_grouped(const std::string& text) {
    const auto sep = text.find_first_of(",.");
    if (sep == std::string::npos || sep == 0) return false;
    std::size_t digits = 0;
    for (std::size_t i = sep + 1; i < text.size(); ++i) {
        if (text[i] == ',' || text[i] == '.') {
            if (digits != 3) return false;
            digits = 0;
        } else if (std::isdigit(static_cast<unsigned char>(text[i]))) ++digits;
        else return false;
    }
    return digits == 3;
}

std::string format_count(double v) {
    char buf[64];
    if (v == std::floor(v) && std::abs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// Spreadsheet drivers guess types and headers; ask for text and a header row so that every value
// is checked by the same rules whatever the format.
class SpreadsheetAsText {
public:
    SpreadsheetAsText() {
        for (const auto& [key, value] : kSettings) CPLSetThreadLocalConfigOption(key, value);
    }
    ~SpreadsheetAsText() {
        for (const auto& [key, value] : kSettings) CPLSetThreadLocalConfigOption(key, nullptr);
    }
    SpreadsheetAsText(const SpreadsheetAsText&) = delete;
    SpreadsheetAsText& operator=(const SpreadsheetAsText&) = delete;

private:
    static constexpr std::pair<const char*, const char*> kSettings[] = {
        {"OGR_XLSX_HEADERS", "FORCE"}, {"OGR_XLSX_FIELD_TYPES", "STRING"},
        {"OGR_ODS_HEADERS", "FORCE"},  {"OGR_ODS_FIELD_TYPES", "STRING"}};
};

} // namespace

StatisticsTable read_statistics(const StatisticsOptions& options, Diagnostics& diag) {
    // Spreadsheet drivers read their sheets lazily: the settings must hold for the whole read.
    const SpreadsheetAsText text_mode;
    gdal::DatasetPtr ds = gdal::open_vector(options.path);
    OGRLayer& layer = gdal::select_layer(*ds, options.path, options.layer);
    const std::string& file = options.path;
    const int code_index = gdal::find_field(layer, file, options.code_field, kCodeCandidates, "code", true);
    const auto fields = gdal::field_names(layer);

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

    const auto nseg = static_cast<Eigen::Index>(table.segments.size());
    std::vector<double> workers, active, villages;
    std::map<std::string, std::vector<std::size_t>> rows_of_code;
    gdal::ErrorCapture capture;
    std::size_t row = 1;
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        ++row;
        auto at = [&](int col) { return file + ":" + std::to_string(row) + ":" + std::to_string(col + 1); };
        const std::string code = trim(f->IsFieldSetAndNotNull(code_index) ? f->GetFieldAsString(code_index) : "");
        if (code.empty()) {
            diag.error(at(code_index), "empty region code in column '" + table.code_field + "'");
            continue;
        }
        auto value = [&](int col) -> double {
            const std::string text = trim(f->IsFieldSetAndNotNull(col) ? f->GetFieldAsString(col) : "");
            const std::string& name = fields[static_cast<std::size_t>(col)];
            if (text.empty()) {
                diag.error(at(col), "'" + name + "' is empty (expected a count of persons)");
                return NAN;
            }
            const auto v = parse_number(text);
            if (!v || !std::isfinite(*v)) {
                diag.error(at(col), "'" + name + "' value '" + text + "' is not a number" +
                                        (looks_grouped(text) ? " (write counts without thousands separators)" : " (expected a count of persons)"));
                return NAN;
            }
            if (*v < 0) {
                diag.error(at(col), "'" + name + "' value " + text + " is negative (expected a count >= 0)");
                return NAN;
            }
            if (*v != std::floor(*v)) {
                // 22.848 is how Indonesian tables write 22,848: never read it as a fraction.
                diag.error(at(col), "'" + name + "' value '" + text + "' is not a whole number of persons" +
                                        (looks_grouped(text) ? " (write counts without thousands separators)" : ""));
                return NAN;
            }
            return *v;
        };
        double sum = 0;
        bool all_ok = true;
        for (Eigen::Index s = 0; s < nseg; ++s) {
            const double w = value(worker_col[static_cast<std::size_t>(s)]);
            const double a = value(active_col[static_cast<std::size_t>(s)]);
            if (std::isfinite(w) && std::isfinite(a) && a > w)
                diag.error(at(active_col[static_cast<std::size_t>(s)]),
                           "region " + code + ": active_" + table.segments[static_cast<std::size_t>(s)] + " " +
                               format_count(a) + " exceeds workers_" + table.segments[static_cast<std::size_t>(s)] + " " +
                               format_count(w) + " (coverage above 100%)");
            all_ok = all_ok && std::isfinite(w) && std::isfinite(a);
            sum += w;
            workers.push_back(w);
            active.push_back(a);
        }
        if (total_col >= 0 && all_ok && header_ok) {
            const double total = value(total_col);
            if (std::isfinite(total) && std::abs(total - sum) > 0.5)
                diag.error(at(total_col), "region " + code + ": 'workers' " + format_count(total) +
                                              " differs from the sum of the segments " + format_count(sum));
        }
        if (villages_col >= 0) villages.push_back(value(villages_col));
        rows_of_code[code].push_back(row);
        table.codes.push_back(code);
        table.rows.push_back(row);
    }
    if (auto failures = capture.take_failures(); !failures.empty())
        diag.error(file, "reading stopped: " + failures.back());

    for (const auto& [code, rows] : rows_of_code) {
        if (rows.size() < 2) continue;
        std::string list;
        for (auto r : rows) list += (list.empty() ? "" : ", ") + std::to_string(r);
        diag.error(file + ":" + std::to_string(rows[1]) + ":" + std::to_string(code_index + 1),
                   "duplicate region code " + code + " (rows " + list + ")");
    }

    const auto n = static_cast<Eigen::Index>(table.codes.size());
    table.workers = Eigen::Map<Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(workers.data(), n, nseg);
    table.active = Eigen::Map<Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(active.data(), n, nseg);
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
