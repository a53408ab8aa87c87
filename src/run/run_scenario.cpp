#include "cakupan/run/run_scenario.hpp"

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/io/temporaries.hpp"

#include <chrono>
#include <filesystem>

namespace cakupan {


RunOutcome run_scenario(const RunConfig& config) {
    if (config.draws && *config.draws < 1) throw UsageError("--draws: must be at least 1");
    check_output_dir(config.out, config.force, {config.scenario}); // before any work: no time lost to a late refusal

    Diagnostics notes;
    RunOutcome outcome;
    outcome.simulation = std::make_shared<const Simulation>(Simulation::load(config.scenario, notes));
    if (config.notice)
        for (const auto& line : notes.shown_lines()) config.notice(line);
    const Simulation& sim = *outcome.simulation;
    const LoadedScenario& in = sim.inputs();
    const Scenario& sc = in.scenario;
    check_output_dir(config.out, config.force, sc.input_files); // now that every input is known
    std::vector<std::string> removed = remove_leftovers(output_path(config.out).parent_path().string());
    if (config.force)
        for (auto& line : remove_leftovers(config.out)) removed.push_back(std::move(line));
    if (config.notice)
        for (const auto& line : removed) config.notice(line);

    RunOptions ro;
    ro.mode = config.mode.value_or(sc.mode);
    ro.draws = config.draws.value_or(sc.draws);
    ro.seed = config.seed.value_or(sc.seed);
    ro.vary_parameters = config.vary_parameters.value_or(sc.vary_parameters);
    ro.threads = config.threads;
    const bool region_timeseries = config.region_timeseries.value_or(in.regions.size() <= kRegionTimeseriesMaxRegions);
    ro.region_series = region_timeseries;
    ro.progress = config.progress;
    const auto t0 = std::chrono::steady_clock::now();
    outcome.result = sim.run(ro);
    outcome.engine_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    OutputOptions oo;
    oo.dir = config.out;
    oo.force = config.force;
    oo.command_line = config.command_line;
    oo.region_timeseries = region_timeseries;
    FigureOptions figures = config.figures;
    figures.step = config.step;
    if (config.step) config.step("writing");
    oo.parent_regions = figures.maps || figures.report;
    if (figures.charts || figures.maps || figures.report)
        oo.finish = [figures](const std::string& dir, const RunData& run) { write_run_figures(dir, run, figures); };
    outcome.data = write_run_outputs(in, outcome.result, oo);
    return outcome;
}

} // namespace cakupan
