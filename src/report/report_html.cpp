// The report as one HTML document: the answer first, then maps, charts, the region tables and
// what the run was made of. Everything inline, so the file works offline and by e-mail.
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"
#include "report_texts.hpp"

#include "cakupan/common/version.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cakupan {

using render::Lang;
using render::tr;

namespace {

// A4 on paper: each section on a new page, maps one per page width, figures and table rows
// not split across pages.
constexpr const char* kStyle = R"css(
:root { --ink: #222; --muted: #666; --rule: #ccc; --band: #f3f5f8; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); max-width: 60rem; margin: 0 auto;
       padding: 1.5rem; line-height: 1.45; font-size: 0.95rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.3rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.lead { color: var(--muted); margin: 0.2rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.88rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.45rem; vertical-align: top; }
th { text-align: left; background: var(--band); font-size: 0.82rem; }
.wide { overflow-x: auto; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.parent td { font-weight: bold; background: var(--band); }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 0.75rem; word-break: break-all; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg, figure img { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
.note { color: var(--muted); font-size: 0.85rem; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.25rem; }
.maps { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0.8rem; }
nav ol { columns: 2; }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.8rem; border-top: 1px solid var(--rule); padding-top: 0.5rem; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  nav { display: none; }
  main > section + section { break-before: page; page-break-before: always; }
  .maps { display: block; }
  /* One map per page width: a map drawn 16.9 cm wide prints at its own size, legend text >= 8 pt. */
  .maps figure svg, .maps figure img { width: 100%; max-width: 18.6cm; margin: 0 auto; }
  figure svg, figure img { border: none; }
  figure { max-height: 26cm; }
  td.hash { font-size: 6.5pt; }
  .tooltips { display: none; }
}
)css";

std::string pct(Lang lang, double v) { return render::format_percent(lang, v, 2); }
std::string prob(Lang lang, double v) { return render::format_percent(lang, v, 1); }
std::string rp(Lang lang, double v) { return render::format_rupiah(lang, v); }
std::string num(Lang lang, double v) { return render::format_number(lang, v, 0); }

struct Html {
    std::string s;
    Html& text(std::string_view t) {
        s += escape_html(t);
        return *this;
    }
    Html& raw(std::string_view t) {
        s += t;
        return *this;
    }
    Html& th(std::string_view t, bool number = false) { return raw(number ? "<th class=\"num\">" : "<th>").text(t).raw("</th>"); }
    Html& td(std::string_view t, bool number = false) { return raw(number ? "<td class=\"num\">" : "<td>").text(t).raw("</td>"); }
};

// Short prefixes ("m3-", "c2-") keep figure ids apart from each other and from the document's
// anchors; they are repeated in every glyph use, so their length counts.
std::string figure(const std::string& svg, const std::string& prefix, const std::string& caption, report_detail::SvgSharer& sharer) {
    Html h;
    h.raw("<figure>").raw(sharer.share(inline_svg(svg, prefix))).raw("<figcaption>").text(caption).raw("</figcaption></figure>\n");
    return h.s;
}

void answer(Html& h, const RunData& run, Lang lang) {
    const auto& s = run.summary;
    h.raw("<section id=\"answer\"><h2>").text(tr(lang, "The answer", "Jawaban singkat")).raw("</h2>\n<p>");
    h.text(std::string(tr(lang, "Target: ", "Sasaran: ")) + pct(lang, s.target) + tr(lang, " coverage by ", " cakupan pada ") +
           render::format_date(lang, s.end) + tr(lang, ". Coverage on ", ". Cakupan pada ") + render::format_date(lang, s.start) +
           ": " + pct(lang, s.variants.front().coverage_start) + ".");
    // Name the variant most likely to reach the target (the highest median on a tie).
    const RunVariantResult* best = &s.variants.front();
    for (const auto& v : s.variants)
        if (v.probability > best->probability ||
            (v.probability == best->probability && v.coverage_end.p50 > best->coverage_end.p50))
            best = &v;
    h.raw(" ").text(std::string(tr(lang, "Most promising variant: ", "Varian paling menjanjikan: ")) + best->name + " (" +
                    tr(lang, "median ", "median ") + pct(lang, best->coverage_end.p50) + ", " +
                    tr(lang, "probability of reaching the target ", "peluang mencapai sasaran ") + prob(lang, best->probability) + ").");
    h.raw("</p>\n<table id=\"table-answer\"><thead><tr>");
    h.th(tr(lang, "Variant", "Varian")).th(tr(lang, "Description", "Keterangan"));
    h.th(std::string(tr(lang, "Median coverage on ", "Median cakupan pada ")) + render::format_date(lang, s.end), true);
    h.th(tr(lang, "5th-95th percentile", "Persentil ke-5 s.d. ke-95"), true);
    h.th(tr(lang, "Probability of reaching the target", "Peluang mencapai sasaran"), true);
    h.th(tr(lang, "Spend", "Belanja"), true).th(tr(lang, "Cost per added member", "Biaya per tambahan peserta"), true);
    h.raw("</tr></thead><tbody>\n");
    for (const auto& v : s.variants) {
        h.raw("<tr>").td(v.name).td(v.description).td(pct(lang, v.coverage_end.p50), true);
        h.td(pct(lang, v.coverage_end.p5) + " - " + pct(lang, v.coverage_end.p95), true).td(prob(lang, v.probability), true);
        h.td(rp(lang, v.spend), true).td(v.cost_per_added_member > 0 ? rp(lang, v.cost_per_added_member) : "-", true).raw("</tr>\n");
    }
    h.raw("</tbody></table></section>\n");
}

void maps(Html& h, const std::vector<report_detail::MapFigure>& figures, Lang lang, report_detail::SvgSharer& sharer) {
    h.raw("<section id=\"maps\"><h2>").text(tr(lang, "Maps", "Peta")).raw("</h2>\n<div class=\"maps\">\n");
    int n = 0;
    for (const auto& [request, svg, png, tooltips] : figures) {
        const std::string k = std::to_string(++n);
        std::string caption = std::string(tr(lang, "Map ", "Peta ")) + k + ": ";
        switch (request.kind) {
        case render::MapKind::coverage: caption += tr(lang, "coverage at the deadline", "cakupan pada tenggat"); break;
        case render::MapKind::gap: caption += tr(lang, "gap to the target", "selisih terhadap sasaran"); break;
        case render::MapKind::probability: caption += tr(lang, "probability of reaching the target", "peluang mencapai sasaran"); break;
        case render::MapKind::change: caption += tr(lang, "change against the baseline", "perubahan terhadap baseline"); break;
        case render::MapKind::uncertainty: caption += tr(lang, "width of the uncertainty band", "lebar rentang ketidakpastian"); break;
        }
        caption += ", " + (request.variant.empty() ? std::string(tr(lang, "every variant", "semua varian")) : request.variant);
        if (!png.empty()) {
            h.raw("<figure><img src=\"data:image/png;base64,").raw(report_detail::base64(png)).raw("\" alt=\"").text(caption);
            h.raw("\"><figcaption>").text(caption).raw("</figcaption></figure>\n");
        } else {
            // Region names and values on hover, laid over the drawing.
            std::string with_tips = svg;
            if (const auto end = with_tips.rfind("</svg>"); end != std::string::npos && !tooltips.empty()) with_tips.insert(end, tooltips);
            h.raw(figure(with_tips, "m" + k + "-", caption, sharer));
        }
    }
    h.raw("</div></section>\n");
}

void charts(Html& h, const RunData& run, Lang lang, report_detail::SvgSharer& sharer) {
    h.raw("<section id=\"charts\"><h2>").text(tr(lang, "Charts", "Grafik")).raw("</h2>\n");
    int n = 0;
    for (const auto& c : run_charts(run, render::Format::svg, lang)) {
        const std::string k = std::to_string(++n);
        h.raw(figure(c.bytes, "c" + k + "-", std::string(tr(lang, "Chart ", "Grafik ")) + k + ": " + c.caption, sharer));
    }
    h.raw("</section>\n");
}

void inputs(Html& h, const RunData& run, Lang lang) {
    const auto& s = run.summary;
    const auto& m = run.manifest;
    h.raw("<section id=\"inputs\"><h2>").text(tr(lang, "How this was computed", "Cara perhitungan")).raw("</h2>\n");
    h.raw("<table id=\"table-run\"><tbody>\n");
    auto row = [&](const char* en, const char* id, const std::string& value) {
        h.raw("<tr>").th(tr(lang, en, id)).td(value).raw("</tr>\n");
    };
    row("Scenario file", "Berkas skenario", m.scenario);
    row("Period", "Periode", render::format_date(lang, s.start) + " - " + render::format_date(lang, s.end) + " (" +
                                 std::to_string(s.steps) + " " + (s.step == "week" ? tr(lang, "weeks", "minggu") : tr(lang, "months", "bulan")) + ")");
    row("Regions", "Wilayah", std::to_string(s.region_count) + " (" + s.region_layer + ")");
    row("Method", "Metode", s.mode == "expected" ? tr(lang, "expected path (no random draws)", "jalur harapan (tanpa simulasi acak)")
                                                 : std::string(tr(lang, "stochastic, ", "stokastik, ")) + num(lang, s.draws) +
                                                       tr(lang, " draws", " simulasi"));
    row("Parameter uncertainty", "Ketidakpastian parameter",
        s.parameter_uncertainty ? tr(lang, "drawn from plausible ranges in every draw", "ditarik dari rentang wajar pada setiap simulasi")
                                : tr(lang, "off (binomial noise only)", "tidak (hanya keragaman binomial)"));
    row("Random seed", "Benih acak", std::to_string(s.seed));
    row("Command", "Perintah", m.command);
    row("Cakupan version", "Versi Cakupan", m.version);
    h.raw("</tbody></table>\n<table id=\"table-inputs\"><caption>").text(tr(lang, "Input files", "Berkas masukan"));
    h.raw("</caption><thead><tr>").th(tr(lang, "File", "Berkas")).th(tr(lang, "Bytes", "Ukuran (bita)"), true);
    h.th(tr(lang, "SHA-256 checksum", "Checksum SHA-256")).raw("</tr></thead><tbody>\n");
    for (const auto& f : m.inputs)
        h.raw("<tr>").td(f.path).td(num(lang, static_cast<double>(f.bytes)), true).raw("<td class=\"hash\">").text(f.sha256).raw("</td></tr>\n");
    h.raw("</tbody></table></section>\n");
}

} // namespace

std::string default_report_name(Lang lang) { return lang == Lang::en ? "report-en.html" : "report.html"; }

std::string report_html(const RunData& run, const ReportOptions& options) { return report_detail::report_html(run, options, nullptr); }

std::string report_detail::report_html(const RunData& run, const ReportOptions& options, const std::vector<MapFigure>* given) {
    const Lang lang = options.lang;
    const auto& s = run.summary;
    const std::string title = s.scenario_title.empty() ? s.scenario_name : s.scenario_title;
    Html h;
    h.raw("<!DOCTYPE html>\n<html lang=\"").raw(render::to_string(lang)).raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").text(title).raw("</title>\n");
    h.raw("<style>").raw(kStyle).raw("</style>\n</head>\n<body>\n<header><h1>").text(title).raw("</h1>\n<p class=\"lead\">");
    h.text(std::string(tr(lang, "Coverage projection report", "Laporan proyeksi cakupan")) + " · " +
           tr(lang, "scenario ", "skenario ") + s.scenario_name + " · " + render::format_date(lang, s.start) + " - " +
           render::format_date(lang, s.end));
    h.raw("</p></header>\n<nav><ol>");
    auto entry = [&](const char* anchor, const std::string& text) {
        h.raw("<li><a href=\"#").raw(anchor).raw("\">").text(text).raw("</a></li>");
    };
    entry("answer", tr(lang, "The answer", "Jawaban singkat"));
    if (options.maps) entry("maps", tr(lang, "Maps", "Peta"));
    entry("charts", tr(lang, "Charts", "Grafik"));
    for (const auto& x : options.extra_sections) entry(x.id.c_str(), x.title);
    entry("regions", tr(lang, "Regions", "Wilayah"));
    entry("inputs", tr(lang, "How this was computed", "Cara perhitungan"));
    h.raw("</ol></nav>\n<main>\n");
    answer(h, run, lang);
    report_detail::SvgSharer sharer;
    if (options.maps) {
        if (given != nullptr) {
            maps(h, *given, lang, sharer);
        } else {
            maps(h, report_detail::report_maps(run, options), lang, sharer);
        }
    }
    charts(h, run, lang, sharer);
    for (const auto& x : options.extra_sections)
        h.raw("<section id=\"").text(x.id).raw("\"><h2>").text(x.title).raw("</h2>\n").raw(x.html).raw("</section>\n");
    h.raw(report_detail::region_tables(run, options));
    inputs(h, run, lang);
    h.raw("</main>\n<footer>").text(std::string(tr(lang, "Made with Cakupan ", "Dibuat dengan Cakupan ")) + kVersion + ". " +
                                    tr(lang, "Projections, not forecasts: read the bands, not only the medians.",
                                       "Proyeksi, bukan ramalan: perhatikan rentangnya, bukan hanya mediannya."));
    h.raw("</footer>\n</body>\n</html>\n");
    return h.s;
}

std::string report_document(std::string_view title, std::string_view lead, const std::vector<ReportSection>& sections, Lang lang) {
    Html h;
    h.raw("<!DOCTYPE html>\n<html lang=\"").raw(render::to_string(lang)).raw("\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").text(title).raw("</title>\n");
    h.raw("<style>").raw(kStyle).raw("</style>\n</head>\n<body>\n<header><h1>").text(title).raw("</h1>\n<p class=\"lead\">");
    h.text(lead).raw("</p></header>\n<nav><ol>");
    for (const auto& x : sections) h.raw("<li><a href=\"#").text(x.id).raw("\">").text(x.title).raw("</a></li>");
    h.raw("</ol></nav>\n<main>\n");
    for (const auto& x : sections)
        h.raw("<section id=\"").text(x.id).raw("\"><h2>").text(x.title).raw("</h2>\n").raw(x.html).raw("</section>\n");
    h.raw("</main>\n<footer>").text(std::string(tr(lang, "Made with Cakupan ", "Dibuat dengan Cakupan ")) + kVersion + ".");
    h.raw("</footer>\n</body>\n</html>\n");
    return h.s;
}

} // namespace cakupan
