// The figures of a study: the method's chart per output (tornado, Morris mu*-sigma, Sobol or PRCC
// bars) and the map of the parameter that drives each region most, every fixed text in the
// chosen language.
#include "cakupan/render/chart.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/palette.hpp"
#include "cakupan/render/projection.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/geo/simplify.hpp"
#include "cakupan/study/drivers.hpp"
#include "cakupan/study/study_runner.hpp"
#include "study_texts.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <optional>

namespace cakupan {

using render::Lang;
using render::tr;

namespace {

render::AxisKind axis_of(const std::string& output) {
    if (output.rfind("coverage", 0) == 0 || output == "probability") return render::AxisKind::percent;
    if (output == "spend" || output == "cost_per_added_member") return render::AxisKind::rupiah;
    return render::AxisKind::number;
}

// Readable names of the model's parameters (docs/model.md), in both languages.
struct KnownName {
    const char* key;
    const char* en;
    const char* id;
};
constexpr KnownName kNames[] = {
    {"bass_p", "innovation (Bass p)", "inovasi (Bass p)"},
    {"bass_q", "imitation (Bass q)", "imitasi (Bass q)"},
    {"spillover_rho", "spillover between regions", "limpahan antarwilayah"},
    {"lapse", "lapse", "putus kepesertaan"},
    {"replacement", "replacement of leavers", "pengganti peserta keluar"},
    {"crowd_in", "crowd-in from funded members", "dorongan dari peserta dibiayai"},
    {"january_gap", "January gap", "jeda Januari"},
    {"regulation_uplift", "regulation uplift", "dorongan regulasi"},
    {"funded_retention", "retention after funding", "retensi setelah dibiayai"},
    {"saturation", "saturation", "saturasi"},
};

const IndexRow* find_row(const std::vector<IndexRow>& rows, const std::string& o, const std::string& p, const std::string& index) {
    for (const auto& r : rows)
        if (r.output == o && r.parameter == p && r.index == index) return &r;
    return nullptr;
}

struct ChartData {
    std::string name;
    std::string caption;
    std::optional<render::BarChart> bars;
    std::optional<render::ScatterChart> scatter;
};

// The method's chart for one output column.
std::optional<ChartData> chart_for(const Study& st, const std::vector<IndexRow>& rows, const std::string& o, Lang lang) {
    const std::string source = study_source_note(st, lang);
    const std::string what = output_label(o, lang);
    const std::string level = render::format_number(lang, 100 * st.confidence, 0) + "%";
    auto name_of = [&](const std::string& label) {
        for (const auto& p : st.parameters)
            if (p.label == label) return parameter_name(p, lang);
        return label;
    };
    switch (st.method) {
    case StudyMethod::tornado: {
        const IndexRow* base = find_row(rows, o, "", "base");
        if (base == nullptr) return std::nullopt;
        render::BarChart c;
        c.text = {std::string(tr(lang, "Tornado: ", "Tornado: ")) + what,
                  tr(lang, "output with each parameter at its low and high end, the others at their middle",
                     "keluaran dengan tiap parameter di ujung bawah dan atasnya, yang lain di tengah"),
                  source};
        c.horizontal = true;
        c.value_axis = {what, axis_of(o), {}, {}};
        render::BarSeries lo{tr(lang, "low end", "ujung bawah"), {}, {}, {}, 0}, hi{tr(lang, "high end", "ujung atas"), {}, {}, {}, 1};
        for (const auto& r : rows) // rows come largest swing first
            if (r.output == o && r.index == "swing") {
                c.categories.push_back(name_of(r.parameter));
                lo.values.push_back(find_row(rows, o, r.parameter, "low")->value);
                hi.values.push_back(find_row(rows, o, r.parameter, "high")->value);
            }
        c.series = {lo, hi};
        c.reference = base->value;
        c.reference_label = tr(lang, "base", "dasar");
        c.origin = base->value; // each bar shows the change from the base
        return ChartData{"tornado-" + file_safe(o), c.text.title, std::move(c), std::nullopt};
    }
    case StudyMethod::morris: {
        render::ScatterChart c;
        c.text = {std::string("Morris: ") + what,
                  tr(lang, "mean absolute elementary effect (mu*) against its standard deviation (sigma)",
                     "rata-rata mutlak efek elementer (mu*) terhadap simpangan bakunya (sigma)"),
                  source};
        c.x = {"mu*", render::AxisKind::number, 0.0, {}};
        c.y = {"sigma", render::AxisKind::number, 0.0, {}};
        c.ratio_lines = {0.1, 0.5, 1.0};
        for (const auto& p : st.parameters) {
            const IndexRow* m = find_row(rows, o, p.label, "mu_star");
            const IndexRow* s = find_row(rows, o, p.label, "sigma");
            if (m && s && std::isfinite(m->value) && std::isfinite(s->value)) c.points.push_back({m->value, s->value, parameter_name(p, lang), 0});
        }
        if (c.points.empty()) return std::nullopt;
        return ChartData{"morris-" + file_safe(o), c.text.title, std::nullopt, std::move(c)};
    }
    case StudyMethod::sobol:
    case StudyMethod::lhs: {
        const bool sobol = st.method == StudyMethod::sobol;
        render::BarChart c;
        c.text = {(sobol ? tr(lang, "Sobol indices: ", "Indeks Sobol: ") : tr(lang, "Partial rank correlation: ", "Korelasi peringkat parsial: ")) + what,
                  sobol ? std::string(tr(lang, "first-order (S1) and total (ST) effects with ", "efek orde pertama (S1) dan total (ST) dengan selang ")) +
                              level + tr(lang, " intervals", "")
                        : std::string(tr(lang, "PRCC with ", "PRCC dengan selang ")) + level + tr(lang, " intervals", ""),
                  source};
        c.horizontal = true;
        c.value_axis = {sobol ? tr(lang, "index", "indeks") : "PRCC", render::AxisKind::number, {}, {}};
        c.reference = 0.0;
        std::vector<std::pair<std::string, std::string>> kinds;
        if (sobol) kinds = {{"S1", tr(lang, "first order", "orde pertama")}, {"ST", tr(lang, "total", "total (ST)")}};
        else kinds = {{"prcc", "PRCC"}};
        for (const auto& p : st.parameters) c.categories.push_back(parameter_name(p, lang));
        int colour = 0;
        bool any = false;
        for (const auto& [index, name] : kinds) {
            render::BarSeries s{name, {}, {}, {}, colour++};
            bool ci = true;
            for (const auto& p : st.parameters) {
                const IndexRow* r = find_row(rows, o, p.label, index);
                s.values.push_back(r ? r->value : NAN);
                s.err_lo.push_back(r ? r->low : NAN);
                s.err_hi.push_back(r ? r->high : NAN);
                ci &= r && std::isfinite(r->low);
                any |= r && std::isfinite(r->value);
            }
            if (!ci) s.err_lo.clear(), s.err_hi.clear();
            c.series.push_back(std::move(s));
        }
        if (!any) return std::nullopt;
        return ChartData{std::string(sobol ? "sobol-" : "prcc-") + file_safe(o), c.text.title, std::move(c), std::nullopt};
    }
    }
    return std::nullopt;
}

std::string draw(const ChartData& c, render::Format f, Lang lang) {
    const auto page = render::default_chart_page();
    return c.bars ? render::render_bar_chart(*c.bars, f, page, lang) : render::render_scatter_chart(*c.scatter, f, page, lang);
}

} // namespace

std::string parameter_name(const StudyParameter& p, Lang lang) {
    const std::string bare = p.key.rfind("parameters.", 0) == 0 ? p.key.substr(11) : p.key;
    if (p.label != bare) return p.label; // the study's own label
    // "lapse.informal" -> "lapse, informal"; a known first part in the language; '_' -> ' '.
    std::string out;
    std::size_t at = 0;
    while (at <= bare.size()) {
        const std::size_t dot = std::min(bare.find('.', at), bare.size());
        std::string part = bare.substr(at, dot - at);
        bool known = false;
        for (const auto& n : kNames)
            if (part == n.key) part = tr(lang, n.en, n.id), known = true;
        if (!known) std::replace(part.begin(), part.end(), '_', ' ');
        out += (out.empty() ? "" : ", ") + part;
        at = dot + 1;
    }
    return out;
}

std::optional<render::MapSpec> driver_map_spec(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows, Lang lang) {
    if (model.region_codes().empty() || model.region_shapes() == nullptr) return std::nullopt;
    const std::vector<int> drivers = region_drivers(st, model, rows);
    // A legend entry per parameter that drives some region, in the study's order; beyond 12 the
    // 11 that drive most regions and "other" for the rest, so every colour can be told apart.
    std::vector<std::size_t> regions(st.parameters.size(), 0);
    for (int d : drivers)
        if (d >= 0) ++regions[static_cast<std::size_t>(d)];
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < st.parameters.size(); ++k)
        if (regions[k] > 0) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return regions[a] > regions[b]; });
    const std::size_t shown = order.size() > 12 ? 11 : order.size();
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown));
    std::vector<int> category(st.parameters.size(), -1);
    render::MapSpec spec;
    if (order.empty()) return std::nullopt;
    const auto colours = categorical_colours(static_cast<int>(std::min<std::size_t>(shown, 12)));
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i < shown) {
            category[order[i]] = static_cast<int>(i);
            spec.style.categories.push_back(parameter_name(st.parameters[order[i]], lang));
            spec.style.category_colours.push_back(colours[i]);
        } else {
            category[order[i]] = static_cast<int>(shown);
        }
    }
    if (order.size() > shown) {
        spec.style.categories.push_back(tr(lang, "other", "lainnya"));
        spec.style.category_colours.push_back(other_colour());
    }
    render::MapPanel panel;
    for (int d : drivers) panel.values.push_back(d >= 0 ? static_cast<double>(category[static_cast<std::size_t>(d)]) : std::nan(""));
    spec.panels = {std::move(panel)};
    spec.names = model.region_names();
    spec.title = std::string(tr(lang, "What drives coverage at the end in each region", "Pendorong cakupan di akhir per wilayah"));
    spec.subtitle = std::string(tr(lang, "the parameter with the largest ", "parameter dengan ")) + index_label(st.method, lang) +
                    tr(lang, " of the region's coverage", " terbesar untuk cakupan wilayah");
    spec.legend_title = tr(lang, "Main driver (regions)", "Pendorong utama (wilayah)");
    spec.source = study_source_note(st, lang);
    // The level above (kab/kota over villages) named over the map; study_figures projects its outlines.
    if (const ParentRegions* parents = model.region_parents(); parents != nullptr) spec.parent_names = parents->names;
    return spec;
}

std::vector<StudyFigure> study_figures(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows, Lang lang, bool png) {
    std::vector<StudyFigure> out;
    // The rows of each whole-region output, in one pass: the charts search them, and the rows of
    // a per-region study are mostly of its regions.
    std::unordered_map<std::string, std::vector<IndexRow>> whole;
    for (const auto& r : rows)
        if (r.output.find(':') == std::string::npos) whole[r.output].push_back(r);
    for (const auto& o : model.output_names()) {
        if (o.find(':') != std::string::npos) continue;
        if (auto c = chart_for(st, whole[o], o, lang))
            out.push_back({c->name, c->caption, draw(*c, render::Format::svg, lang), png ? draw(*c, render::Format::png, lang) : "", ""});
    }
    if (auto spec = driver_map_spec(st, model, rows, lang)) {
        const ParentRegions* parents = model.region_parents();
        render::PlanarShapes planar = parents ? render::project(*model.region_shapes(), "", parents->shapes, spec->parent_outlines)
                                              : render::project(*model.region_shapes(), "");
        render::PageSize page;
        page.height_px = 0; // from the extent
        // Outlines simplified for display as the run's maps are (neighbours keep one border), to
        // the same tolerance on the page: no visible change at print size, and a village layer's
        // map (and the report it is inlined in) a fraction of the size.
        const render::MapLayout laid = render::layout_map(*spec, planar, page, lang);
        double scale = 0;
        for (const auto& p : laid.panels)
            if (p.transform.scale > 0 && (scale == 0 || p.transform.scale < scale)) scale = p.transform.scale;
        if (const double pt = render::RunMapOptions{}.simplify_pt; scale > 0 && pt > 0) {
            planar.shapes = simplify_shared(planar.shapes, pt / scale);
            if (parents) spec->parent_outlines = simplify_shared(spec->parent_outlines, pt / scale);
        }
        StudyFigure f{"maps/driver-coverage_end", spec->title, render::render_map(*spec, planar, render::Format::svg, page, lang),
                      png ? render::render_map(*spec, planar, render::Format::png, page, lang) : "", ""};
        if (model.region_codes().size() > ReportOptions{}.svg_map_max_regions) {
            render::PageSize half = page;
            half.width_px /= 2, half.dpi /= 2; // the same layout in a quarter of the pixels
            f.report_png = render::render_map(*spec, planar, render::Format::png, half, lang);
        }
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace cakupan
