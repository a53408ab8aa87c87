#include "boundary_options.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/geo/region_data.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/map_layer.hpp"
#include "cakupan/render/run_maps.hpp"
#include "commands.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <ostream>

namespace cakupan::cli {

namespace {

namespace fs = std::filesystem;
using namespace cakupan::render;

// The page from --page/--landscape or --width/--height (a side not given: from the extent),
// --dpi and --margin.
PageSize page_size(const po::variables_map& vm) {
    const double dpi = vm["dpi"].as<double>();
    if (!(dpi >= 36 && dpi <= 2400)) throw UsageError("--dpi: must be between 36 and 2400");
    PageSize size;
    if (vm.count("page")) {
        if (vm.count("width") || vm.count("height")) throw UsageError("--page: give either --page or --width/--height, not both");
        const bool landscape = vm["landscape"].as<bool>(), portrait = vm["portrait"].as<bool>();
        if (landscape && portrait) throw UsageError("--landscape/--portrait: give one of them");
        size = paper_page(vm["page"].as<std::string>(), landscape, dpi);
        size.turn_to_extent = !landscape && !portrait;
    } else {
        if (vm["landscape"].as<bool>() || vm["portrait"].as<bool>())
            throw UsageError(std::string(vm["landscape"].as<bool>() ? "--landscape" : "--portrait") + ": only with --page");
        size.dpi = dpi;
        size.width_px = vm.count("width") ? vm["width"].as<int>() : 0;
        size.height_px = vm.count("height") ? vm["height"].as<int>() : 0;
        for (const char* option : {"width", "height"})
            if (vm.count(option) && (vm[option].as<int>() < 16 || vm[option].as<int>() > 20000))
                throw UsageError(std::string("--") + option + ": " + std::to_string(vm[option].as<int>()) + " px is outside 16..20000");
    }
    if (size.width_px > 20000 || size.height_px > 20000)
        throw UsageError("--page: " + vm["page"].as<std::string>() + " at " + format_number(Lang::en, dpi, 0) +
                         " dpi is over 20000 px; lower --dpi");
    if (vm.count("margin")) {
        const double mm = vm["margin"].as<double>();
        if (!(mm >= 0 && mm <= 50)) throw UsageError("--margin: must be between 0 and 50 mm");
        size.margin_pt = mm / 25.4 * 72.0;
    }
    return size;
}

// The outlines of a coarser level over a file's map (--parent-level): by default the level
// default_parent_level picks; their names from the other layers of the same file (none without).
void add_parent_outlines(MapSpec& spec, const MapLayer& layer, const PlanarShapes& planar, const std::string& option,
                         const MapLayerRequest& request) {
    if (option == "none" || layer.ids.empty() || std::find(layer.ids.begin(), layer.ids.end(), "") != layer.ids.end()) return;
    const CodeStructure cs = CodeStructure::detect(layer.ids);
    int level = 0;
    if (option.empty()) {
        level = default_parent_level(cs, layer.ids);
    } else {
        if (!cs.nests()) throw UsageError("--parent-level: the codes of " + request.path + " do not nest");
        int finest = 0;
        for (const auto& id : layer.ids) finest = std::max(finest, cs.level(id));
        try {
            std::size_t used = 0;
            level = std::stoi(option, &used);
            if (used != option.size()) throw std::invalid_argument(option);
        } catch (const std::exception&) {
            throw UsageError("--parent-level: '" + option + "' is not a level number or none");
        }
        if (level < 1 || level >= finest)
            throw UsageError("--parent-level: " + option + " is not above the regions' level " + std::to_string(finest));
    }
    if (level < 1) return;
    ParentRegions parents = parent_regions(planar.shapes, cs, layer.ids, level);
    name_parents(parents, names_in_other_layers(request.path, layer.layer, parents.codes, request.encoding));
    spec.parent_outlines = std::move(parents.shapes);
    spec.parent_names = std::move(parents.names);
}

class MapCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("input", po::value<std::string>()->required(), "a vector file (any format GDAL reads) or a run directory")
            ("out", po::value<std::string>()->required(), "map to write: .png, .svg or .pdf")
            ("field", po::value<std::string>(), "numeric field to map (files); with --stats a statistics field: workers, active, coverage, workers_SEG, active_SEG, coverage_SEG, villages")
            ("stats", po::value<std::string>(), "files: statistics table (CSV, XLSX, ODS, ...) joined to the regions by code, as validate --stats")
            ("stats-layer", po::value<std::string>()->default_value(""), "sheet or layer of the statistics file")
            ("code-field", po::value<std::string>()->default_value(""), "column of the statistics holding the region code")
            ("kind", po::value<std::string>()->default_value("coverage"),
             "run maps: coverage, gap, probability, change (against 'baseline') or uncertainty (p95-p5)")
            ("variant", po::value<std::string>()->default_value(""), "run maps: the variant (default: small multiples of all)")
            ("layer", po::value<std::string>()->default_value(""), "layer of the file (needed when it has several)")
            ("id-field", po::value<std::string>()->default_value(""), "field holding the region code (default: detect)")
            ("name-field", po::value<std::string>()->default_value(""), "field holding the names for labels (default: detect nama/name)")
            ("source-crs", po::value<std::string>()->default_value(""), "CRS to assume when the file declares none")
            ("where", po::value<std::string>()->default_value(""), "files: map only the features this attribute filter keeps (OGR SQL, e.g. \"kode LIKE '19.%'\")")
            ("within", po::value<std::string>()->default_value(""), "files: map only the region with this code and those under it (e.g. 19.01)")
            ("lang", po::value<std::string>()->default_value("id"), "language of every text: id or en")
            ("width", po::value<int>(), "width in pixels (default: 6 2/3 in for the longer side of the map, 2000 px at 300 dpi; the other from its extent)")
            ("height", po::value<int>(), "height in pixels (default: from the map's extent)")
            ("page", po::value<std::string>(), "paper size instead of --width/--height: A4, A3 or letter")
            ("landscape", po::bool_switch(), "with --page: the long side across (default: as the map's extent)")
            ("portrait", po::bool_switch(), "with --page: the long side up (default: as the map's extent)")
            ("margin", po::value<double>(), "page margin in millimetres (default: 3.5% of the shorter side)")
            ("dpi", po::value<double>()->default_value(300), "pixels per inch (text and lines are sized in points)")
            ("scheme", po::value<std::string>(), "quantile, equal, natural, manual or unclassed")
            ("classes", po::value<int>(), "number of classes (default 5)")
            ("breaks", po::value<std::string>(), "inner class breaks, comma separated (implies --scheme manual)")
            ("palette", po::value<std::string>(), "ColorBrewer palette, e.g. YlGnBu, RdBu")
            ("shared-breaks", po::bool_switch(), "run maps of one variant: classes of every variant of the kind (default: its own)")
            ("title", po::value<std::string>(), "title instead of the default")
            ("parent-level", po::value<std::string>()->default_value(""),
             "outline and name the regions of this code level over the map (1 = top), or none (default: over more than 30 regions that nest, the lowest level above with 2 to 60 regions)")
            ("crs", po::value<std::string>()->default_value(""),
             "projection, any CRS GDAL knows (default: equirectangular up to 20 degrees across, equal-area beyond)")
            ("force", po::bool_switch(), "replace the map if it exists (a regular file only, never an input)");
        add_encoding_option(options);
        positional.add("input", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        const std::string input = vm["input"].as<std::string>();
        const std::string out = vm["out"].as<std::string>();
        const bool force = vm["force"].as<bool>();
        const Format format = format_for_path(out);
        const Lang lang = parse_lang(vm["lang"].as<std::string>());
        const PageSize size = page_size(vm);
        if (vm.count("classes") && (vm["classes"].as<int>() < 1 || vm["classes"].as<int>() > 12))
            throw UsageError("--classes: must be between 1 and 12");
        const std::vector<double> breaks = vm.count("breaks") ? parse_breaks(vm["breaks"].as<std::string>()) : std::vector<double>{};
        std::error_code ec;
        check_output_file(out, force, fs::is_directory(input, ec) ? run_directory_inputs(input) : std::vector<std::string>{input});
        remove_leftovers_beside(out, io.err);

        std::string bytes;
        std::string what;
        if (fs::is_directory(input, ec)) {
            if (vm.count("field")) throw UsageError("--field: maps a field of a file; for a run directory use --kind");
            if (!vm["where"].as<std::string>().empty() || !vm["within"].as<std::string>().empty())
                throw UsageError("--where/--within: only for a file; a run directory maps its own regions");
            const std::string parent_level = vm["parent-level"].as<std::string>();
            if (!parent_level.empty() && parent_level != "none")
                throw UsageError("--parent-level: a run directory draws the level its run stored; give none to leave it out");
            RunMapRequest request{parse_map_kind(vm["kind"].as<std::string>()), vm["variant"].as<std::string>()};
            RunMapOptions options;
            options.lang = lang;
            options.format = format;
            options.size = size;
            if (vm.count("title")) options.title = vm["title"].as<std::string>();
            options.crs = vm["crs"].as<std::string>();
            if (vm.count("scheme")) options.scheme = vm["scheme"].as<std::string>();
            if (vm.count("classes")) options.classes = vm["classes"].as<int>();
            options.breaks = breaks;
            if (vm.count("palette")) options.palette = vm["palette"].as<std::string>();
            options.shared_breaks = vm["shared-breaks"].as<bool>();
            options.parent_outlines = parent_level != "none";
            bytes = drawn_for(out, [&] { return render_run_map(input, request, options); });
            what = std::string(to_string(request.kind)) + " map of " +
                   (request.variant.empty() ? std::string("every variant") : "variant " + request.variant);
        } else {
            if (!vm.count("field")) throw UsageError("--field: name the numeric field of " + input + " to map");
            if (!vm["kind"].defaulted() || !vm["variant"].as<std::string>().empty())
                throw UsageError("--kind/--variant: only for a run directory; " + input + " is a file");
            if (vm["shared-breaks"].as<bool>()) throw UsageError("--shared-breaks: only for a run directory; " + input + " is a file");
            MapLayerRequest request;
            request.path = input;
            request.layer = vm["layer"].as<std::string>();
            request.id_field = vm["id-field"].as<std::string>();
            request.name_field = vm["name-field"].as<std::string>();
            request.assume_crs = vm["source-crs"].as<std::string>();
            request.encoding = encoding_option(vm);
            request.where = vm["where"].as<std::string>();
            request.within = vm["within"].as<std::string>();
            const std::string field = vm["field"].as<std::string>();
            MapLayer layer;
            bool share = false;
            if (vm.count("stats")) {
                if (!request.where.empty()) throw UsageError("--where: not with --stats; choose regions with --within");
                const std::string stats_path = vm["stats"].as<std::string>();
                const BoundaryOptions bo{input, request.layer, request.id_field, request.name_field, request.assume_crs, request.within, {},
                                         request.encoding};
                Diagnostics diag;
                const RegionData data = load_region_data(
                    bo, StatisticsOptions{stats_path, vm["stats-layer"].as<std::string>(), vm["code-field"].as<std::string>(), request.encoding},
                    diag);
                if (print_diagnostics(diag, io.err) || !data.statistics) {
                    io.err << "cakupan: " << stats_path << ": the statistics do not join to " << input << "; nothing written\n";
                    return static_cast<int>(ExitCode::input_data);
                }
                layer.source = input;
                layer.layer = data.regions.layer;
                layer.ids = data.regions.ids;
                layer.names = data.regions.names;
                layer.values = {statistics_field(*data.statistics, field, stats_path)};
                layer.shapes = data.regions.shapes;
                share = statistics_field_is_share(field);
            } else {
                if (vm.count("stats-layer") && !vm["stats-layer"].defaulted()) throw UsageError("--stats-layer: only with --stats");
                request.fields = {field};
                layer = read_map_layer(request);
            }

            MapSpec spec;
            spec.names = layer.names;
            if (vm.count("scheme")) spec.style.scheme = parse_scheme(vm["scheme"].as<std::string>());
            if (vm.count("classes")) spec.style.classes = vm["classes"].as<int>();
            if (!breaks.empty()) spec.style.breaks = breaks, spec.style.scheme = Scheme::manual;
            if (vm.count("palette")) spec.style.palette = vm["palette"].as<std::string>();
            spec.title = vm.count("title") ? vm["title"].as<std::string>() : field;
            spec.subtitle = std::string(tr(lang, "Layer ", "Lapisan ")) + layer.layer + " \u2014 " +
                            format_number(lang, static_cast<double>(layer.ids.size()), 0) + tr(lang, " regions", " wilayah");
            spec.legend_title = field;
            if (share) spec.style.format = ValueFormat::percent;
            spec.source = std::string(tr(lang, "Source: ", "Sumber: ")) + fs::path(input).filename().string() + ", " +
                          (vm.count("stats") ? fs::path(vm["stats"].as<std::string>()).filename().string() + ", " : std::string()) +
                          tr(lang, "field ", "kolom ") + field;
            spec.panels.push_back({"", layer.values[0]});
            if (!breaks.empty() && all_shares(layer.values[0])) check_share_breaks(breaks, ValueFormat::percent);
            const PlanarShapes planar = project(layer.shapes, vm["crs"].as<std::string>());
            add_parent_outlines(spec, layer, planar, vm["parent-level"].as<std::string>(), request);
            if (const std::string w = far_flung_warning(planar.shapes, layer.names); !w.empty()) io.err << "warning: " << w << "\n";
            bytes = drawn_for(out, [&] { return render_map(spec, planar, format, size, lang); });
            what = "map of " + field + " (" + std::to_string(layer.ids.size()) + " regions)";
        }
        write_file_atomically(out, bytes, force);
        io.out << "wrote " << out << ": " << what << "\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_map_command() { return std::make_unique<MapCommand>(); }

} // namespace cakupan::cli
