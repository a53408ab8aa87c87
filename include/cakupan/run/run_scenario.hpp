// The `run` job as one library call, after OSRM's extract(config): read and check a scenario,
// project every variant, write the run directory with its maps, charts and report. The command
// line fills a RunConfig and calls run_scenario; nothing else assembles this pipeline.
#pragma once

#include "cakupan/report/report.hpp"
#include "cakupan/engine/simulation.hpp"
#include "cakupan/run/run_reader.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cakupan {

inline constexpr std::size_t kRegionTimeseriesMaxRegions = 1000;

struct RunConfig {
    std::string scenario;            // the scenario file
    std::string out;                 // the run directory to write
    bool force = false;              // replace an earlier run there (output_rules.hpp says which)
    // Overrides of the scenario's [run] section; unset = as the file says.
    std::optional<Mode> mode;
    std::optional<int> draws;
    std::optional<std::uint64_t> seed;
    std::optional<bool> vary_parameters;
    int threads = 0;                 // 0 = OpenMP's default
    // Per-region percentiles at every step, and their rows in timeseries.csv; unset = on for layers
    // of at most kRegionTimeseriesMaxRegions regions (the rows of a village layer would dwarf the run).
    std::optional<bool> region_timeseries;
    FigureOptions figures;           // maps, charts and report beside the data
    std::string command_line;        // recorded in manifest.json
    std::function<void(double)> progress;             // share of the draws done
    std::function<void(const std::string&)> step;     // then each output step ("writing", "maps 3/25", ...)
    std::function<void(const std::string&)> notice;   // warnings and removed leftovers, one line each
};

struct RunOutcome {
    std::shared_ptr<const Simulation> simulation; // the loaded inputs, for a caller that goes on
    RunResult result;
    RunData data; // the results as the run directory holds them
    double engine_seconds = 0;
};

// Throws the errors of each stage (UsageError, InputError, ScenarioError, OutputError); on any
// error nothing is left in `out`.
RunOutcome run_scenario(const RunConfig& config);

} // namespace cakupan
