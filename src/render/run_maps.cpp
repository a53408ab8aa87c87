#include "cakupan/render/run_maps.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/map_layer.hpp"
#include "cakupan/common/suggest.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

namespace cakupan::render {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kKindNames = {"coverage", "gap", "probability", "change", "uncertainty"};

// What the maps need from summary.json.
struct RunInfo {
    std::string name, title, end_date;
    double target = NAN;
    long draws = 0;
    std::vector<std::string> variants;
    bool has_baseline() const { return std::find(variants.begin(), variants.end(), "baseline") != variants.end(); }
};

RunInfo read_run_info(const std::string& run_dir) {
    const fs::path path = fs::path(run_dir) / "summary.json";
    std::error_code ec;
    if (!fs::is_directory(run_dir, ec)) throw InputError(run_dir + ": not a run directory (no such directory)");
    std::ifstream in(path);
    if (!in) throw InputError(path.string() + ": not found; is " + run_dir + " a run directory (cakupan run --out)?");
    RunInfo info;
    try {
        const auto doc = nlohmann::json::parse(in);
        info.name = doc.at("scenario").at("name").get<std::string>();
        info.title = doc.at("scenario").value("title", info.name);
        info.end_date = doc.at("period").at("end").get<std::string>();
        info.target = doc.at("target").at("coverage").get<double>();
        info.draws = doc.value("draws", 0L);
        for (const auto& v : doc.at("variants")) info.variants.push_back(v.at("name").get<std::string>());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string() + ": not a Cakupan summary: " + e.what());
    }
    if (info.variants.empty()) throw InputError(path.string() + ": lists no variant");
    return info;
}

std::size_t variant_index(const RunInfo& info, const std::string& variant, const std::string& run_dir) {
    for (std::size_t i = 0; i < info.variants.size(); ++i)
        if (info.variants[i] == variant) return i;
    throw InputError(run_dir + ": no variant '" + variant + "'" + did_you_mean(variant, info.variants) +
                     "; variants: " + join_list(info.variants));
}

// Every variant's layer of regions.gpkg (layers are written in variant order).
std::vector<MapLayer> read_variants(const std::string& run_dir, std::size_t variants, const std::vector<std::string>& fields) {
    const std::string gpkg = (fs::path(run_dir) / "regions.gpkg").string();
    const auto names = layer_names(gpkg);
    if (variants > names.size())
        throw InputError(gpkg + ": has " + std::to_string(names.size()) + " layers but summary.json lists more variants");
    std::vector<MapLayer> out;
    for (std::size_t i = 0; i < variants; ++i) {
        MapLayerRequest r;
        r.path = gpkg;
        r.layer = names[i];
        r.id_field = "code";
        r.name_field = "name";
        r.fields = fields;
        out.push_back(read_map_layer(r));
    }
    return out;
}

std::string file_safe(const std::string& s) {
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return out;
}

// Values of `b` re-ordered to `a`'s region codes (NaN where a code is missing).
std::vector<double> aligned(const MapLayer& a, const MapLayer& b, std::size_t field) {
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < b.ids.size(); ++i) at.emplace(b.ids[i], i);
    std::vector<double> out(a.ids.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < a.ids.size(); ++i)
        if (auto it = at.find(a.ids[i]); it != at.end()) out[i] = b.values[field][it->second];
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

std::vector<RunMapRequest> default_maps(const RunInfo& info) {
    std::vector<RunMapRequest> out;
    for (const auto& v : info.variants) out.push_back({MapKind::coverage, v});
    if (info.variants.size() > 1) out.push_back({MapKind::coverage, ""});
    for (const auto& v : info.variants) out.push_back({MapKind::gap, v});
    for (const auto& v : info.variants) out.push_back({MapKind::probability, v});
    if (info.has_baseline())
        for (const auto& v : info.variants)
            if (v != "baseline") out.push_back({MapKind::change, v});
    out.push_back({MapKind::uncertainty, info.variants.back()});
    return out;
}

} // namespace

struct RunMaps::Data {
    std::string run_dir;
    RunInfo info;
    // Every variant's layer, by the fields read from it; filled as maps ask for them.
    mutable std::map<std::vector<std::string>, std::vector<MapLayer>> layers_by_fields;

    const std::vector<MapLayer>& variant_layers(const std::vector<std::string>& fields) const {
        auto it = layers_by_fields.find(fields);
        if (it == layers_by_fields.end()) it = layers_by_fields.emplace(fields, read_variants(run_dir, info.variants.size(), fields)).first;
        return it->second;
    }

    std::pair<MapSpec, PlanarShapes> map(const RunMapRequest& request, const RunMapOptions& options) const;
};

// The map of a run as a spec and its planar shapes.
std::pair<MapSpec, PlanarShapes> RunMaps::Data::map(const RunMapRequest& request, const RunMapOptions& options) const {
    const Lang lang = options.lang;
    const MapKind kind = request.kind;

    std::vector<std::size_t> shown; // variants drawn, one panel each
    if (!request.variant.empty()) {
        shown.push_back(variant_index(info, request.variant, run_dir));
    } else {
        for (std::size_t i = 0; i < info.variants.size(); ++i)
            if (kind != MapKind::change || info.variants[i] != "baseline") shown.push_back(i);
    }
    if (kind == MapKind::change) {
        if (!info.has_baseline())
            throw InputError(run_dir + ": a change map needs a variant named 'baseline'; variants: " + join_list(info.variants));
        if (request.variant == "baseline")
            throw InputError(run_dir + ": the change of 'baseline' against itself is zero everywhere; choose another variant");
        if (shown.empty()) throw InputError(run_dir + ": no variant besides 'baseline' to compare");
    }

    // Every variant is read so that breaks are shared by all maps of one kind in a run.
    std::vector<std::string> fields;
    switch (kind) {
    case MapKind::coverage: fields = {"coverage_p50"}; break;
    case MapKind::gap: fields = {"gap_to_target"}; break;
    case MapKind::probability: fields = {"probability_target_met"}; break;
    case MapKind::change: fields = {"coverage_p50"}; break;
    case MapKind::uncertainty: fields = {"coverage_p5", "coverage_p95"}; break;
    }
    const std::vector<MapLayer>& layers = variant_layers(fields);
    const MapLayer& first = layers.front();
    std::vector<std::vector<double>> values(layers.size());
    std::size_t baseline = 0;
    if (kind == MapKind::change) baseline = variant_index(info, "baseline", run_dir);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        switch (kind) {
        case MapKind::change: {
            const auto base = aligned(first, layers[baseline], 0), here = aligned(first, layers[i], 0);
            values[i].resize(base.size());
            for (std::size_t r = 0; r < base.size(); ++r) values[i][r] = here[r] - base[r];
            break;
        }
        case MapKind::uncertainty: {
            const auto p5 = aligned(first, layers[i], 0), p95 = aligned(first, layers[i], 1);
            values[i].resize(p5.size());
            for (std::size_t r = 0; r < p5.size(); ++r) values[i][r] = p95[r] - p5[r];
            break;
        }
        default:
            values[i] = aligned(first, layers[i], 0);
        }
    }

    MapStyle style;
    std::string title, legend;
    const std::string date = format_date(lang, info.end_date);
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

    // Breaks from every variant of the kind, then fixed for the panels drawn.
    std::vector<std::vector<double>> pooled;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (kind != MapKind::change || i != baseline) pooled.push_back(values[i]);
    const MapClasses shared = classify_panels(pooled, style);
    style.fixed = shared.classification.breaks;
    if (style.fixed.size() < 2) style.fixed.clear();

    MapSpec spec;
    spec.names = first.names;
    spec.style = style;
    spec.legend_title = legend;
    spec.title = options.title.empty() ? title : options.title;
    std::string sub = info.title;
    if (shown.size() == 1) sub += " \u2014 " + std::string(tr(lang, "variant ", "varian ")) + info.variants[shown[0]];
    sub += " \u2014 " + std::string(tr(lang, "target ", "target ")) + format_percent(lang, info.target, 2);
    spec.subtitle = sub;
    spec.source = std::string(tr(lang, "Source: Cakupan projection, scenario ", "Sumber: proyeksi Cakupan, skenario ")) +
                  info.name + (info.draws > 0 ? ", " + format_number(lang, static_cast<double>(info.draws), 0) +
                                                    tr(lang, " draws", " simulasi")
                                              : std::string());
    for (std::size_t i : shown)
        spec.panels.push_back({shown.size() > 1 ? info.variants[i] : std::string(), values[i]});

    PlanarShapes planar = project(first.shapes, options.crs);
    return {std::move(spec), std::move(planar)};
}

RunMaps::RunMaps(const std::string& run_dir) : data_(std::make_unique<Data>(Data{run_dir, read_run_info(run_dir), {}})) {}
RunMaps::~RunMaps() = default;
RunMaps::RunMaps(RunMaps&&) noexcept = default;
RunMaps& RunMaps::operator=(RunMaps&&) noexcept = default;

std::vector<RunMapRequest> RunMaps::defaults() const { return default_maps(data_->info); }

std::string RunMaps::render(const RunMapRequest& request, const RunMapOptions& options) const {
    const auto [spec, planar] = data_->map(request, options);
    return render_map(spec, planar, options.format, options.size, options.lang);
}

std::vector<std::string> RunMaps::texts(const RunMapRequest& request, const RunMapOptions& options) const {
    const auto [spec, planar] = data_->map(request, options);
    return layout_map(spec, planar, options.size, options.lang).texts();
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
