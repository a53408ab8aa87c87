// The sensitivity section of a report: the design, the indices of every output with their
// intervals, the figures inline, and the parameter that drives each region most.
#include "cakupan/report/report.hpp"
#include "cakupan/study/drivers.hpp"
#include "cakupan/study/study_runner.hpp"
#include "report/report_texts.hpp"
#include "study_texts.hpp"

#include <cmath>
#include <unordered_map>

namespace cakupan {

using render::Lang;
using render::tr;

namespace {

// Indices near 1, outputs in rupiah: as many decimals as the size calls for.
std::string number(Lang lang, double v) {
    if (!std::isfinite(v)) return "";
    const double a = std::abs(v);
    return render::format_number(lang, v, a >= 1000 ? 0 : a >= 1 ? 2 : 4);
}

struct Html {
    std::string s;
    Html& text(std::string_view t) { return s += escape_html(t), *this; }
    Html& raw(std::string_view t) { return s += t, *this; }
    Html& th(std::string_view t, bool num = false) { return raw(num ? "<th class=\"num\">" : "<th>").text(t).raw("</th>"); }
    Html& td(std::string_view t, bool num = false) { return raw(num ? "<td class=\"num\">" : "<td>").text(t).raw("</td>"); }
};

void figure(Html& h, const StudyFigure& f) {
    if (!f.report_png.empty()) { // a map of a large layer: an image, as the run report embeds it
        h.raw("<figure><img src=\"data:image/png;base64,").raw(report_detail::base64(f.report_png)).raw("\" alt=\"").text(f.caption);
        h.raw("\"><figcaption>").text(f.caption).raw("</figcaption></figure>\n");
        return;
    }
    std::string prefix = "sens-" + file_safe(f.name) + "-";
    h.raw("<figure>").raw(inline_svg(f.svg, prefix)).raw("<figcaption>").text(f.caption).raw("</figcaption></figure>\n");
}

void index_table(Html& h, const std::vector<IndexRow>& rows, const std::string& o, Lang lang) {
    h.raw("<div class=\"wide\"><table><thead><tr>");
    h.th(tr(lang, "parameter", "nama parameter")).th(tr(lang, "index", "indeks")).th(tr(lang, "value", "nilai"), true);
    h.th(tr(lang, "interval low", "batas bawah selang"), true).th(tr(lang, "interval high", "batas atas selang"), true);
    h.raw("</tr></thead><tbody>\n");
    for (const auto& r : rows)
        if (r.output == o) {
            h.raw("<tr>").td(r.parameter.empty() ? tr(lang, "(whole output)", "(seluruh keluaran)") : r.parameter).td(r.index);
            h.td(number(lang, r.value), true).td(number(lang, r.low), true).td(number(lang, r.high), true).raw("</tr>\n");
        }
    h.raw("</tbody></table></div>\n");
}


// Every region with its main driver and that driver's index.
void driver_table(Html& h, const Study& st, const StudyModel& model, const std::vector<RegionDriver>& drivers, Lang lang) {
    const auto& codes = model.region_codes();
    h.raw("<div class=\"wide\"><table><thead><tr>");
    h.th(tr(lang, "code", "kode")).th(tr(lang, "region", "wilayah")).th(tr(lang, "main driver", "pendorong utama")).th(main_index(st.method), true);
    h.raw("</tr></thead><tbody>\n");
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const RegionDriver& d = drivers[i];
        h.raw("<tr>").td(codes[i]).td(i < model.region_names().size() ? model.region_names()[i] : "");
        h.td(d.parameter >= 0 ? parameter_name(st.parameters[static_cast<std::size_t>(d.parameter)], lang) : tr(lang, "no result", "tidak ada hasil"));
        h.td(d.parameter >= 0 ? number(lang, d.value) : "", true).raw("</tr>\n");
    }
    h.raw("</tbody></table></div>\n");
}

// A layer too large for a row per region: its regions by parent (or, when the codes do not nest,
// by driver), with the full table in drivers.csv.
void driver_summary(Html& h, const Study& st, const StudyModel& model, const std::vector<RegionDriver>& drivers, Lang lang) {
    const auto& codes = model.region_codes();
    std::vector<int> of;
    for (const auto& d : drivers) of.push_back(d.parameter);
    const auto groups =
        drivers_by_parent(codes, model.region_names(), of, st.parameters.size(), kDriverTableMaxRegions, lang, model.region_parents());
    const std::string n = render::format_number(lang, static_cast<double>(codes.size()), 0);
    auto name = [&](int k) { return k >= 0 ? parameter_name(st.parameters[static_cast<std::size_t>(k)], lang) : std::string(); };
    auto count = [&](std::size_t c, bool shown) { return shown ? render::format_number(lang, static_cast<double>(c), 0) : std::string(); };
    h.raw("<p>").text(n + (groups.empty() ? tr(lang, " regions: the table counts the regions each parameter drives; ",
                                               " wilayah: tabel menghitung wilayah yang didorong tiap parameter; ")
                                          : tr(lang, " regions: the table sums them up by parent region; ",
                                               " wilayah: tabel merangkumnya per wilayah induk; ")) +
                      tr(lang, "drivers.csv has the main driver of every region.", "drivers.csv memuat pendorong utama tiap wilayah."));
    h.raw("</p>\n<div class=\"wide\"><table><thead><tr>");
    if (groups.empty()) {
        std::vector<std::size_t> regions(st.parameters.size(), 0);
        std::size_t none = 0;
        for (int k : of) {
            if (k >= 0) ++regions[static_cast<std::size_t>(k)];
            else ++none;
        }
        h.th(tr(lang, "main driver", "pendorong utama")).th(tr(lang, "regions", "wilayah"), true).raw("</tr></thead><tbody>\n");
        for (std::size_t k = 0; k < regions.size(); ++k)
            if (regions[k] > 0) h.raw("<tr>").td(name(static_cast<int>(k))).td(count(regions[k], true), true).raw("</tr>\n");
        if (none > 0) h.raw("<tr>").td(tr(lang, "no result", "tidak ada hasil")).td(count(none, true), true).raw("</tr>\n");
    } else {
        h.th(tr(lang, "code", "kode")).th(tr(lang, "parent region", "wilayah induk")).th(tr(lang, "regions", "wilayah"), true);
        h.th(tr(lang, "main driver of most", "pendorong utama terbanyak")).th(tr(lang, "regions", "wilayah"), true);
        h.th(tr(lang, "second", "kedua")).th(tr(lang, "regions", "wilayah"), true).raw("</tr></thead><tbody>\n");
        for (const auto& g : groups) {
            h.raw("<tr>").td(g.code).td(g.name).td(count(g.regions, true), true);
            h.td(g.first >= 0 ? name(g.first) : tr(lang, "no result", "tidak ada hasil")).td(count(g.first_regions, g.first >= 0), true);
            h.td(name(g.second)).td(count(g.second_regions, g.second >= 0), true).raw("</tr>\n");
        }
    }
    h.raw("</tbody></table></div>\n");
}

} // namespace

ReportSection study_report_section(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows,
                                   const std::vector<StudyFigure>& figures, Lang lang) {
    Html h;
    h.raw("<p>").text(std::string(tr(lang, "Method ", "Metode ")) + to_string(st.method) + tr(lang, ", seed ", ", benih acak ") +
                      std::to_string(st.seed) + ", " + std::to_string(st.parameters.size()) + tr(lang, " parameters", " parameter") +
                      ", " + (lang == Lang::en ? render::format_number(lang, 100 * st.confidence, 0) + "% intervals"
                                               : "selang " + render::format_number(lang, 100 * st.confidence, 0) + "%"));
    if (st.function.empty())
        h.text(std::string(tr(lang, "; scenario ", "; skenario ")) + st.scenario +
               (st.variant.empty() ? "" : std::string(tr(lang, ", variant ", ", varian ")) + st.variant) + ", " +
               (st.mode == Mode::expected ? std::string(tr(lang, "expected path per point", "lintasan harapan per titik"))
                                          : std::to_string(st.draws) + tr(lang, " stochastic draws per point", " tarikan stokastik per titik")));
    else h.text(std::string(tr(lang, "; test function ", "; fungsi uji ")) + st.function);
    h.raw(".</p>\n");

    h.raw("<h3>").text(tr(lang, "Parameters varied", "Parameter yang divariasikan")).raw("</h3>\n<table><thead><tr>");
    h.th(tr(lang, "parameter", "nama parameter")).th(tr(lang, "key", "kunci")).th(tr(lang, "distribution", "sebaran")).raw("</tr></thead><tbody>\n");
    for (const auto& p : st.parameters) h.raw("<tr>").td(parameter_name(p, lang)).td(p.key).td(p.distribution.describe()).raw("</tr>\n");
    h.raw("</tbody></table>\n");

    // The rows of each whole-region output in one pass (a per-region study has mostly region rows).
    std::unordered_map<std::string, std::vector<IndexRow>> whole;
    for (const auto& r : rows)
        if (r.output.find(':') == std::string::npos) whole[r.output].push_back(r);
    for (const auto& o : model.output_names()) {
        if (o.find(':') != std::string::npos) continue;
        h.raw("<h3>").text(output_label(o, lang)).raw(" (<code>").text(o).raw("</code>)</h3>\n");
        index_table(h, whole[o], o, lang);
        for (const auto& f : figures)
            if (f.name.size() > o.size() && f.name.compare(f.name.size() - o.size() - 1, std::string::npos, "-" + file_safe(o)) == 0 &&
                f.name.rfind("maps/", 0) != 0)
                figure(h, f);
    }

    const auto& codes = model.region_codes();
    if (!codes.empty()) {
        h.raw("<h3>").text(tr(lang, "What drives each region", "Pendorong tiap wilayah")).raw("</h3>\n<p>");
        h.text(std::string(tr(lang, "The parameter with the largest ", "Parameter dengan ")) + index_label(st.method, lang) +
               tr(lang, " of each region's coverage at the end.", " terbesar untuk cakupan di akhir tiap wilayah."));
        h.raw("</p>\n");
        for (const auto& f : figures)
            if (f.name.rfind("maps/", 0) == 0) figure(h, f);
        const auto drivers = region_driver_values(st, model, rows);
        if (codes.size() <= kDriverTableMaxRegions) driver_table(h, st, model, drivers, lang);
        else driver_summary(h, st, model, drivers, lang);
    }
    h.raw("<p>").text(tr(lang, "Files: indices.csv and indices.json (every index with its interval), samples.csv (every point), ",
                         "Berkas: indices.csv dan indices.json (setiap indeks dengan selangnya), samples.csv (setiap titik), "));
    if (!codes.empty()) h.text(tr(lang, "drivers.csv (the main driver of every region), ", "drivers.csv (pendorong utama tiap wilayah), "));
    h.text(tr(lang, "manifest.json; each figure as SVG and PNG.", "manifest.json; tiap gambar dalam SVG dan PNG."));
    h.raw("</p>\n");
    return {"sensitivity", std::string(tr(lang, "Sensitivity: ", "Sensitivitas: ")) + (st.title.empty() ? st.name : st.title), h.s};
}

} // namespace cakupan
