#include "cakupan/render/run_maps.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/map_layer.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/geo/simplify.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cakupan::render {

namespace {

const std::vector<std::string> kKindNames = {"coverage", "gap", "probability", "change", "uncertainty"};

bool has_baseline(const RunSummary& s) {
    return std::any_of(s.variants.begin(), s.variants.end(), [](const RunVariantResult& v) { return v.name == "baseline"; });
}

std::vector<std::string> variant_names(const RunSummary& s) {
    std::vector<std::string> out;
    for (const auto& v : s.variants) out.push_back(v.name);
    return out;
}

std::size_t variant_index(const RunSummary& s, const std::string& variant, const std::string& where) {
    for (std::size_t i = 0; i < s.variants.size(); ++i)
        if (s.variants[i].name == variant) return i;
    const auto names = variant_names(s);
    throw InputError(where + ": no variant '" + variant + "'" + did_you_mean(variant, names) +
                     "; variants: " + join_list(names));
}

std::string xml_text(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string file_safe(const std::string& s) {
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return out;
}

} // namespace

const char* to_string(MapKind kind) { return kKindNames[static_cast<std::size_t>(kind)].c_str(); }

MapKind parse_map_kind(std::string_view s) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == s) return static_cast<MapKind>(i);
    throw UsageError("--kind: '" + std::string(s) + "' is not a map kind" + did_you_mean(s, kKindNames) +
                     " (expected " + join_list(kKindNames) + ")");
}

std::string run_map_file_name(const RunMapRequest& request) {
    return std::string(to_string(request.kind)) + "-" + (request.variant.empty() ? "all" : file_safe(request.variant));
}

namespace {

std::vector<RunMapRequest> default_maps(const RunSummary& s) {
    const auto names = variant_names(s);
    std::vector<RunMapRequest> out;
    for (const auto& v : names) out.push_back({MapKind::coverage, v});
    if (names.size() > 1) out.push_back({MapKind::coverage, ""});
    for (const auto& v : names) out.push_back({MapKind::gap, v});
    for (const auto& v : names) out.push_back({MapKind::probability, v});
    if (has_baseline(s))
        for (const auto& v : names)
            if (v != "baseline") out.push_back({MapKind::change, v});
    out.push_back({MapKind::uncertainty, names.back()});
    return out;
}

// The value a map of `kind` shows for one region (change: before the baseline is subtracted).
double map_value(MapKind kind, const RunRegionResult& g) {
    switch (kind) {
    case MapKind::gap: return g.target - g.coverage_end.p50;
    case MapKind::probability: return g.probability;
    case MapKind::uncertainty: return g.coverage_end.p95 - g.coverage_end.p5;
    default: return g.coverage_end.p50;
    }
}

} // namespace

struct RunMaps::Data {
    std::shared_ptr<const RunData> run; // owned when read here, borrowed otherwise
    std::string where;                  // the run directory, or the scenario, for errors

    // `layout`, when given, gets the map's layout (on the outlines before simplification).
    std::pair<MapSpec, PlanarShapes> map(const RunMapRequest& request, const RunMapOptions& options, MapLayout* layout = nullptr) const;
};

// The map of a run as a spec and its planar shapes.
std::pair<MapSpec, PlanarShapes> RunMaps::Data::map(const RunMapRequest& request, const RunMapOptions& options, MapLayout* layout) const {
    const Lang lang = options.lang;
    const MapKind kind = request.kind;
    const RunSummary& info = run->summary;
    const std::string& what = where;

    std::vector<std::size_t> shown; // variants drawn, one panel each
    if (!request.variant.empty()) {
        shown.push_back(variant_index(info, request.variant, what));
    } else {
        for (std::size_t i = 0; i < info.variants.size(); ++i)
            if (kind != MapKind::change || info.variants[i].name != "baseline") shown.push_back(i);
    }
    if (kind == MapKind::change) {
        if (!has_baseline(info))
            throw InputError(what + ": a change map needs a variant named 'baseline'; variants: " + join_list(variant_names(info)));
        if (request.variant == "baseline")
            throw InputError(what + ": the change of 'baseline' against itself is zero everywhere; choose another variant");
        if (shown.empty()) throw InputError(what + ": no variant besides 'baseline' to compare");
    }

    // Every variant's values, so that breaks are shared by all maps of one kind in a run.
    std::vector<std::vector<double>> values(info.variants.size());
    std::size_t baseline = 0;
    if (kind == MapKind::change) baseline = variant_index(info, "baseline", what);
    for (std::size_t i = 0; i < info.variants.size(); ++i) {
        const auto& regions = info.variants[i].regions;
        values[i].resize(regions.size());
        for (std::size_t r = 0; r < regions.size(); ++r) {
            values[i][r] = map_value(kind, regions[r]);
            if (kind == MapKind::change) values[i][r] -= map_value(kind, info.variants[baseline].regions[r]);
        }
    }

    MapStyle style;
    std::string title, legend;
    const std::string date = format_date(lang, info.end);
    switch (kind) {
    case MapKind::coverage:
        style.format = ValueFormat::percent;
        title = tr(lang, "Coverage on ", "Cakupan kepesertaan pada ") + date;
        legend = tr(lang, "Coverage (median)", "Cakupan (median)");
        break;
    case MapKind::gap:
        style.format = ValueFormat::points;
        style.diverging = true;
        style.reverse = true; // a shortfall (positive gap) in the warm colours
        style.classes = 6;
        title = tr(lang, "Gap to the target on ", "Kekurangan terhadap target pada ") + date;
        legend = tr(lang, "Target minus median coverage", "Target dikurangi cakupan median");
        break;
    case MapKind::probability:
        style.format = ValueFormat::probability;
        style.diverging = true;
        style.fixed = {0, 0.1, 0.5, 0.9, 1};
        style.middle = 0.5;
        title = tr(lang, "Probability of reaching the target by ", "Peluang mencapai target pada ") + date;
        legend = tr(lang, "Probability", "Peluang");
        break;
    case MapKind::change:
        style.format = ValueFormat::points;
        style.diverging = true;
        style.classes = 6;
        title = tr(lang, "Change against the baseline on ", "Perubahan terhadap baseline pada ") + date;
        legend = tr(lang, "Median coverage minus baseline", "Cakupan median dikurangi baseline");
        break;
    case MapKind::uncertainty:
        style.format = ValueFormat::points;
        style.palette = "Purples";
        title = tr(lang, "Uncertainty of coverage on ", "Ketidakpastian cakupan pada ") + date;
        legend = tr(lang, "Width of the 5-95% band", "Lebar pita 5-95%");
        break;
    }
    if (!options.scheme.empty()) style.scheme = parse_scheme(options.scheme);
    if (options.classes > 0) style.classes = options.classes;
    if (!options.breaks.empty()) style.breaks = options.breaks, style.scheme = Scheme::manual, style.fixed.clear();
    if (!options.palette.empty()) style.palette = options.palette;
    if (kind == MapKind::uncertainty && options.palette.empty()) {
        bool known = false;
        for (const auto& p : palettes()) known = known || p.name == style.palette;
        if (!known) style.palette.clear();
    }

    // A set of maps (small multiples, or a single variant with shared breaks) takes its breaks
    // from every variant of the kind and says so; a single map gets classes of its own.
    MapSpec spec;
    if (shown.size() > 1 || options.shared_breaks) {
        std::vector<std::vector<double>> pooled;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (kind != MapKind::change || i != baseline) pooled.push_back(values[i]);
        const MapClasses shared = classify_panels(pooled, style);
        style.fixed = shared.classification.breaks;
        if (style.fixed.size() < 2) style.fixed.clear();
        spec.classes_note = kind == MapKind::change
                                ? tr(lang, "classes shared by every variant but the baseline", "kelas sama untuk semua varian selain baseline")
                                : tr(lang, "classes shared by every variant", "kelas sama untuk semua varian");
    }
    for (const auto& g : info.variants.front().regions) spec.names.push_back(g.name);
    spec.style = style;
    spec.legend_title = legend;
    spec.title = options.title.empty() ? title : options.title;
    std::string sub = info.scenario_title;
    if (shown.size() == 1) sub += " \u2014 " + std::string(tr(lang, "variant ", "varian ")) + info.variants[shown[0]].name;
    sub += " \u2014 " + std::string(tr(lang, "target ", "target ")) + format_percent(lang, info.target, 2);
    spec.subtitle = sub;
    spec.source = std::string(tr(lang, "Source: Cakupan projection, scenario ", "Sumber: proyeksi Cakupan, skenario ")) +
                  info.scenario_name + (info.draws > 0 ? ", " + format_number(lang, static_cast<double>(info.draws), 0) +
                                                    tr(lang, " draws", " simulasi")
                                              : std::string());
    for (std::size_t i : shown)
        spec.panels.push_back({shown.size() > 1 ? info.variants[i].name : std::string(), values[i]});

    const bool parents = options.parent_outlines && !run->parents.empty();
    PlanarShapes planar = parents ? project(run->shapes, options.crs, run->parents.shapes, spec.parent_outlines) : project(run->shapes, options.crs);
    if (parents) spec.parent_names = run->parents.names;
    if (options.simplify_pt > 0 || layout != nullptr) {
        MapLayout laid = layout_map(spec, planar, options.size, lang);
        // Tolerance from the scale the map is drawn at (the smallest panel's, for multiples).
        double scale = 0;
        for (const auto& p : laid.panels)
            if (p.transform.scale > 0 && (scale == 0 || p.transform.scale < scale)) scale = p.transform.scale;
        if (scale > 0 && options.simplify_pt > 0) {
            planar.shapes = simplify_shared(planar.shapes, options.simplify_pt / scale);
            if (parents) spec.parent_outlines = simplify_shared(spec.parent_outlines, options.simplify_pt / scale);
        }
        if (layout != nullptr) *layout = std::move(laid);
    }
    return {std::move(spec), std::move(planar)};
}

RunMaps::RunMaps(const RunData& run) : data_(std::make_unique<Data>(Data{std::shared_ptr<const RunData>(&run, [](const RunData*) {}), "run of scenario " + run.summary.scenario_name})) {}
RunMaps::RunMaps(const std::string& run_dir) : data_(std::make_unique<Data>(Data{std::make_shared<const RunData>(read_run(run_dir)), run_dir})) {}
RunMaps::~RunMaps() = default;
RunMaps::RunMaps(RunMaps&&) noexcept = default;
RunMaps& RunMaps::operator=(RunMaps&&) noexcept = default;

std::vector<RunMapRequest> RunMaps::defaults() const { return default_maps(data_->run->summary); }

std::string RunMaps::render(const RunMapRequest& request, const RunMapOptions& options) const {
    const auto [spec, planar] = data_->map(request, options);
    return render_map(spec, planar, options.format, options.size, options.lang);
}

std::vector<std::string> RunMaps::texts(const RunMapRequest& request, const RunMapOptions& options) const {
    const auto [spec, planar] = data_->map(request, options);
    return layout_map(spec, planar, options.size, options.lang).texts();
}

std::string RunMaps::tooltips(const RunMapRequest& request, const RunMapOptions& options) const {
    MapLayout layout;
    auto [spec, planar] = data_->map(request, options, &layout);
    // Outlines to a point, in whole points: a pointer needs no finer shape, and the page stays small.
    double scale = 0;
    for (const auto& p : layout.panels)
        if (p.transform.scale > 0 && (scale == 0 || p.transform.scale < scale)) scale = p.transform.scale;
    const ShapeSet shapes = scale > 0 ? simplify_shared(planar.shapes, 1.0 / scale) : planar.shapes;
    std::string out = "<g class=\"tooltips\" fill=\"#000\" fill-opacity=\"0\" stroke=\"none\">\n";
    char buf[64];
    for (std::size_t k = 0; k < layout.panels.size() && k < spec.panels.size(); ++k) {
        const PageTransform& t = layout.panels[k].transform;
        for (std::size_t g = 0; g < shapes.region_count() && g < spec.names.size(); ++g) {
            if (shapes.empty_region(g)) continue;
            const double v = g < spec.panels[k].values.size() ? spec.panels[k].values[g] : NAN;
            std::string title = spec.names[g] + ": " +
                                (std::isfinite(v) ? format_value(spec.style.format, options.lang, v, 1) : std::string(tr(options.lang, "no data", "tidak ada data")));
            if (!spec.panels[k].title.empty()) title = spec.panels[k].title + " \u2014 " + title;
            out += "<path fill-rule=\"evenodd\" d=\"";
            for (std::size_t r = shapes.first_ring(g); r < shapes.end_ring(g); ++r)
                for (std::size_t v2 = shapes.ring_start[r]; v2 + 1 < shapes.ring_start[r + 1]; ++v2) {
                    std::snprintf(buf, sizeof buf, "%s%.0f %.0f", v2 == shapes.ring_start[r] ? "M" : "L", t.px(shapes.x[v2]), t.py(shapes.y[v2]));
                    out += buf;
                    if (v2 + 2 == shapes.ring_start[r + 1]) out += 'Z';
                }
            out += "\"><title>" + xml_text(title) + "</title></path>\n";
        }
    }
    return out + "</g>\n";
}

std::vector<RunMapRequest> default_run_maps(const std::string& run_dir) { return RunMaps(run_dir).defaults(); }

std::string render_run_map(const std::string& run_dir, const RunMapRequest& request, const RunMapOptions& options) {
    return RunMaps(run_dir).render(request, options);
}

std::vector<std::string> run_map_texts(const std::string& run_dir, const RunMapRequest& request,
                                       const RunMapOptions& options) {
    return RunMaps(run_dir).texts(request, options);
}

} // namespace cakupan::render
