#include "boundary_options.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"
#include "cakupan/geo/region_data.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <ostream>
#include <set>

namespace cakupan::cli {

namespace {

// "kab/kota", "county; codes nest by prefix lengths 2,5", "flat codes, no levels": what the
// layer holds, never a level its codes do not show.
std::string levels_of(const RegionTable& r) {
    if (!r.codes.nests()) return "flat codes, no levels";
    std::set<int> levels;
    for (const auto& id : r.ids) levels.insert(r.codes.level(id));
    std::string out;
    for (int l : levels) out += (out.empty() ? "" : ", ") + (l == 0 ? std::string("unknown level") : r.codes.level_name(l));
    if (r.codes.kind() != CodeStructure::Kind::kemendagri) out += "; codes nest by " + r.codes.rule();
    return out;
}

class ValidateCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("scenario", po::value<std::string>(), "scenario file: checks it and everything it names, without simulating")
            ("boundaries", po::value<std::string>(), "boundary file (any vector format GDAL reads)");
        positional.add("scenario", 1);
        add_boundary_options(options);
        options.add_options()
            ("stats", po::value<std::string>(), "statistics table (CSV, XLSX, ODS, ...) with workers_<segment>/active_<segment> columns")
            ("stats-layer", po::value<std::string>()->default_value(""), "sheet or layer of the statistics file")
            ("code-field", po::value<std::string>()->default_value(""), "column of the statistics holding the region code")
            ("strict", po::bool_switch(), "treat warnings (repaired or missing geometries) as errors");
    }

    int execute(const po::variables_map& vm, Streams io) override {
        if (vm.count("scenario") && vm.count("boundaries"))
            throw UsageError("validate: give a scenario or --boundaries, not both");
        if (vm.count("scenario")) return validate_scenario(vm, io);
        if (!vm.count("boundaries")) throw UsageError("validate: give a scenario file or --boundaries FILE");
        std::optional<StatisticsOptions> stats;
        if (vm.count("stats"))
            stats = StatisticsOptions{vm["stats"].as<std::string>(), vm["stats-layer"].as<std::string>(),
                                      vm["code-field"].as<std::string>(), encoding_option(vm)};
        Diagnostics diag;
        const RegionData data = load_region_data(boundary_options(vm["boundaries"].as<std::string>(), vm), stats, diag);
        const bool failed = print_diagnostics(diag, io.err) || (vm["strict"].as<bool>() && !diag.items().empty());

        const auto& r = data.regions;
        io.out << "boundaries: " << r.source << ", layer " << r.layer << ": " << r.size() << (r.size() == 1 ? " region" : " regions");
        if (r.size() > 0) io.out << " (" << levels_of(r) << ")";
        io.out << ", " << format_fixed(r.area_km2.sum(), 1) << " km2, CRS " << r.crs << "\n";
        if (data.statistics && !diag.has_errors()) {
            const auto& s = *data.statistics;
            io.out << "statistics: " << stats->path << ": " << s.segments.size() << " segments\n";
            auto line = [&](const std::string& label, double workers, double active) {
                io.out << "  " << label << ": " << format_count(workers) << " workers, " << format_count(active)
                       << " active, coverage " << format_percent(workers > 0 ? active / workers : 0.0) << "\n";
            };
            line("all", s.total_workers(), s.total_active());
            for (std::size_t k = 0; k < s.segments.size(); ++k)
                line(s.segments[k], s.workers.col(static_cast<Eigen::Index>(k)).sum(),
                     s.active.col(static_cast<Eigen::Index>(k)).sum());
        }
        if (failed) {
            io.err << "cakupan: validation failed: " << diag.error_count() << " error(s), " << diag.warning_count()
                   << " warning(s)" << (vm["strict"].as<bool>() && diag.warning_count() ? " (--strict counts warnings as errors)" : "")
                   << "\n";
            return static_cast<int>(ExitCode::input_data);
        }
        io.out << "ok: " << diag.warning_count() << " warning(s)\n";
        return 0;
    }

private:
    static int validate_scenario(const po::variables_map& vm, Streams io) {
        Diagnostics notes;
        const LoadedScenario in = load_scenario_inputs(vm["scenario"].as<std::string>(), notes);
        print_warnings(notes, io.err);
        const Scenario& sc = in.scenario;
        const auto islands = in.adjacency.islands();
        io.out << "scenario " << sc.name << ": " << to_string(sc.period.start) << " to " << to_string(sc.period.end) << ", "
               << make_calendar(sc.period).steps() << (sc.period.step == StepUnit::month ? " monthly" : " weekly")
               << " steps, target " << format_percent(sc.target.overall) << "\n";
        io.out << "regions: " << in.regions.size() << " from " << sc.boundaries.path << " (layer " << in.regions.layer
               << "), " << in.adjacency.link_count() / 2 << " neighbour pairs, " << islands.size() << " without neighbours";
        if (in.regions.codes.kind() != CodeStructure::Kind::kemendagri) io.out << " (" << levels_of(in.regions) << ")";
        io.out << "\n";
        io.out << "statistics: " << format_count(in.statistics.total_workers()) << " workers, "
               << format_count(in.statistics.total_active()) << " active, coverage "
               << format_percent(in.statistics.total_active() / in.statistics.total_workers()) << "\n";
        // Which model file a named or default model resolved to (the models directory can vary).
        io.out << "model: " << sc.variants.front().model.name << " from " << sc.variants.front().model.path << "\n";
        for (const auto& v : sc.variants) {
            io.out << "variant " << v.name << ":";
            if (v.interventions.empty()) io.out << " no intervention";
            for (std::size_t i = 0; i < v.interventions.size(); ++i)
            {
                const auto n = select_regions(v.interventions[i].regions, in.regions).size();
                io.out << (i ? ", " : " ") << v.interventions[i].name << " (" << to_string(v.interventions[i].kind) << ", "
                       << n << (n == 1 ? " region)" : " regions)");
            }
            io.out << "\n";
        }
        if (vm["strict"].as<bool>() && !notes.items().empty()) {
            io.err << "cakupan: validation failed: " << notes.warning_count() << " warning(s) under --strict\n";
            return static_cast<int>(ExitCode::scenario);
        }
        io.out << "ok: " << notes.warning_count() << " warning(s)\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_validate_command() { return std::make_unique<ValidateCommand>(); }

} // namespace cakupan::cli
