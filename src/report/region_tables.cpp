// The report's region tables: each variant's regions grouped under their parent (kab/kota over
// villages, province over kab/kota) with a summary row per parent. Above table_max_regions a
// table of parents comes first and the region table keeps only the extremes.
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/report/report.hpp"
#include "report_texts.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cakupan::report_detail {

using render::Lang;
using render::tr;

namespace {

std::string esc(std::string_view t) { return escape_html(t); }
std::string td(std::string_view t, bool number = false) { return (number ? "<td class=\"num\">" : "<td>") + esc(t) + "</td>"; }
std::string th(std::string_view t, bool number = false) { return (number ? "<th class=\"num\">" : "<th>") + esc(t) + "</th>"; }
std::string pct(Lang lang, double v) { return render::format_percent(lang, v, 2); }
std::string prob(Lang lang, double v) { return render::format_percent(lang, v, 1); }
std::string num(Lang lang, double v) { return render::format_number(lang, v, 0); }

struct Group {
    std::string code, name;
    std::vector<std::size_t> members; // region indices, in layer order
};

// Regions by parent, at the lowest level above the layer that gives at most `max_groups` groups
// (table_groups); empty when the codes do not nest or no region has a parent.
std::vector<Group> group_by_parent(const std::vector<RunRegionResult>& regions, const ParentRegions& stored, std::size_t max_groups,
                                   Lang lang) {
    std::vector<std::string> codes;
    for (const auto& r : regions) codes.push_back(r.code);
    const CodeStructure cs = CodeStructure::detect(codes);
    const std::vector<std::string> parent = table_groups(cs, codes, max_groups);
    if (parent.empty()) return {};
    std::map<std::string, std::string> names; // a region of the layer with that code, else the parents the run stored
    for (std::size_t k = 0; k < stored.codes.size() && k < stored.names.size(); ++k) names[stored.codes[k]] = stored.names[k];
    for (const auto& r : regions)
        if (!r.name.empty()) names[r.code] = r.name;
    std::vector<Group> out;
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const auto [it, fresh] = at.try_emplace(parent[i], out.size());
        if (fresh) {
            const auto n = names.find(parent[i]);
            const std::string name = n != names.end() && !n->second.empty() ? n->second
                                     : parent[i].empty()                   ? std::string("-")
                                                                           : level_and_code(cs, parent[i], lang == Lang::id);
            out.push_back({parent[i], name, {}});
        }
        out[it->second].members.push_back(i);
    }
    std::stable_sort(out.begin(), out.end(), [](const Group& a, const Group& b) { return a.code < b.code; });
    return out;
}

std::string header(Lang lang) {
    return "<thead><tr>" + th(tr(lang, "Code", "Kode")) + th(tr(lang, "Region", "Wilayah")) + th(tr(lang, "Workers", "Pekerja"), true) +
           th(tr(lang, "Coverage at the start", "Cakupan awal"), true) + th(tr(lang, "Median at the deadline", "Median pada tenggat"), true) +
           th(tr(lang, "5th-95th percentile", "Persentil ke-5 s.d. ke-95"), true) + th(tr(lang, "Target", "Sasaran"), true) +
           th(tr(lang, "Probability of reaching the target", "Peluang mencapai sasaran"), true) + th(tr(lang, "Spend", "Belanja"), true) +
           "</tr></thead><tbody>\n";
}

std::string region_row(const RunRegionResult& r, Lang lang) {
    return "<tr>" + td(r.code) + td(r.name) + td(num(lang, r.workers), true) + td(pct(lang, r.coverage_start), true) +
           td(pct(lang, r.coverage_end.p50), true) + td(pct(lang, r.coverage_end.p5) + " - " + pct(lang, r.coverage_end.p95), true) +
           td(pct(lang, r.target), true) + td(prob(lang, r.probability), true) + td(render::format_rupiah(lang, r.spend), true) + "</tr>\n";
}

// Workers and spend summed; coverage and target weighted by workers; the probability column is
// the expected share of the group's regions that reach the target (the regions' draws are not
// kept together, so the chance of the parent as a whole is not known here).
std::string parent_row(const Group& g, const std::vector<RunRegionResult>& regions, Lang lang) {
    double workers = 0, start = 0, median = 0, target = 0, p = 0, spend = 0;
    for (const auto i : g.members) {
        const auto& r = regions[i];
        workers += r.workers;
        start += r.workers * r.coverage_start;
        median += r.workers * r.coverage_end.p50;
        target += r.workers * r.target;
        p += r.probability;
        spend += r.spend;
    }
    const double w = workers > 0 ? workers : 1;
    const std::string label = g.name + " (" + num(lang, static_cast<double>(g.members.size())) + tr(lang, " regions)", " wilayah)");
    return "<tr class=\"parent\">" + td(g.code) + td(label) + td(num(lang, workers), true) + td(pct(lang, start / w), true) +
           td(pct(lang, median / w), true) + td("-", true) + td(pct(lang, target / w), true) +
           td(prob(lang, p / static_cast<double>(g.members.size())), true) + td(render::format_rupiah(lang, spend), true) + "</tr>\n";
}

} // namespace

std::string region_tables(const RunData& run, const ReportOptions& options) {
    const Lang lang = options.lang;
    const auto& s = run.summary;
    std::string h = "<section id=\"regions\"><h2>" + esc(tr(lang, "Regions", "Wilayah")) + "</h2>\n";
    const std::size_t count = s.variants.empty() ? 0 : s.variants.front().regions.size();
    const bool cut = count > options.table_max_regions && count > 2 * options.table_extremes;
    const auto groups = s.variants.empty() ? std::vector<Group>{} : group_by_parent(s.variants.front().regions, run.parents, options.table_max_regions, lang);
    if (!groups.empty())
        h += "<p class=\"note\">" +
             esc(tr(lang, "Rows in bold sum up a parent region: workers and spend added, coverage and target weighted by "
                          "workers, and as probability the expected share of its regions that reach the target.",
                    "Baris tebal merangkum wilayah induk: pekerja dan belanja dijumlahkan, cakupan dan sasaran dibobot "
                    "jumlah pekerja, dan peluangnya adalah perkiraan bagian wilayahnya yang mencapai sasaran.")) +
             "</p>\n";
    if (cut)
        h += "<p class=\"note\">" +
             esc(std::string(tr(lang, "The run has ", "Proyeksi ini mencakup ")) + num(lang, static_cast<double>(count)) +
                 (groups.empty() ? "" : std::string(tr(lang, " regions: the first table of each variant sums them up by parent; the second",
                                                          " wilayah: tabel pertama setiap varian merangkumnya per wilayah induk; tabel kedua"))) +
                 (groups.empty() ? std::string(tr(lang, " regions: each table", " wilayah: setiap tabel")) : std::string()) +
                 tr(lang, " lists the ", " memuat ") + std::to_string(options.table_extremes) +
                 tr(lang, " with the lowest and the ", " wilayah dengan median cakupan terendah dan ") + std::to_string(options.table_extremes) +
                 tr(lang, " with the highest median coverage at the deadline. Every region is in regions.gpkg and summary.json.",
                    " wilayah tertinggi pada tenggat. Semua wilayah ada di regions.gpkg dan summary.json.")) +
             "</p>\n";
    int k = 0;
    for (const auto& v : s.variants) {
        const std::string n = std::to_string(++k);
        const std::string caption = std::string(tr(lang, "Variant ", "Varian ")) + v.name;
        if (cut) {
            if (!groups.empty()) {
                h += "<table id=\"table-parents-" + n + "\"><caption>" + esc(caption + tr(lang, ", by parent region", ", per wilayah induk")) +
                     "</caption>" + header(lang);
                for (const auto& g : groups) h += parent_row(g, v.regions, lang);
                h += "</tbody></table>\n";
            }
            // The lowest and the highest medians, a gap row between them.
            std::vector<const RunRegionResult*> rows;
            for (const auto& r : v.regions) rows.push_back(&r);
            std::stable_sort(rows.begin(), rows.end(), [](const RunRegionResult* a, const RunRegionResult* b) {
                return a->coverage_end.p50 < b->coverage_end.p50;
            });
            rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(options.table_extremes),
                       rows.end() - static_cast<std::ptrdiff_t>(options.table_extremes));
            h += "<table id=\"table-regions-" + n + "\"><caption>" + esc(caption) + "</caption>" + header(lang);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                if (i == options.table_extremes)
                    h += "<tr class=\"gap\"><td colspan=\"9\">" +
                         esc("… " + num(lang, static_cast<double>(count - 2 * options.table_extremes)) + tr(lang, " more regions", " wilayah lainnya")) +
                         "</td></tr>\n";
                h += region_row(*rows[i], lang);
            }
        } else {
            h += "<table id=\"table-regions-" + n + "\"><caption>" + esc(caption) + "</caption>" + header(lang);
            if (groups.empty())
                for (const auto& r : v.regions) h += region_row(r, lang);
            for (const auto& g : groups) {
                h += parent_row(g, v.regions, lang);
                for (const auto i : g.members) h += region_row(v.regions[i], lang);
            }
        }
        h += "</tbody></table>\n";
    }
    return h + "</section>\n";
}

} // namespace cakupan::report_detail
