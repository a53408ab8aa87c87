#include "cakupan/run_scenario.hpp"

#include "cakupan/diagnostics.hpp"
#include "cakupan/error.hpp"
#include "cakupan/output_rules.hpp"
#include "cakupan/run_output.hpp"
#include "cakupan/temporaries.hpp"

#include <chrono>
#include <filesystem>

namespace cakupan {

namespace {

void remove_leftovers(const std::filesystem::path& dir, const RunConfig& config) {
    const bool here = dir.empty() || dir == ".";
    for (const auto& p : remove_stale_temporaries(here ? std::filesystem::path(".") : dir))
        if (config.notice)
            config.notice("removed " + (here ? std::filesystem::path(p).filename().string() : p) +
                          ", left by a process that no longer runs");
}

} // namespace

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
    remove_leftovers(output_path(config.out).parent_path(), config);
    if (config.force) remove_leftovers(config.out, config);

    RunOptions ro;
    ro.mode = config.mode.value_or(sc.mode);
    ro.draws = config.draws.value_or(sc.draws);
    ro.seed = config.seed.value_or(sc.seed);
    ro.vary_parameters = config.vary_parameters.value_or(sc.vary_parameters);
    ro.threads = config.threads;
    ro.region_series = config.region_timeseries;
    ro.progress = config.progress;
    const auto t0 = std::chrono::steady_clock::now();
    outcome.result = sim.run(ro);
    outcome.engine_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    OutputOptions oo;
    oo.dir = config.out;
    oo.force = config.force;
    oo.command_line = config.command_line;
    oo.region_timeseries = config.region_timeseries;
    const FigureOptions figures = config.figures;
    oo.finish = [figures](const std::string& dir) { write_run_figures(dir, figures); };
    write_run_outputs(in, outcome.result, oo);
    return outcome;
}

} // namespace cakupan
