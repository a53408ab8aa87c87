// The run directory: summary.json, timeseries.csv, regions.gpkg and manifest.json, written into
// a temporary directory and renamed into place, so a failed run leaves nothing half-written.
#pragma once

#include "cakupan/engine/engine.hpp"
#include "cakupan/run/run_reader.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// What a planner asks of a variant: where it ends, with what odds, at what cost.
struct VariantSummary {
    std::string name;
    double coverage_start = 0;
    double end_mean = 0, end_p5 = 0, end_p50 = 0, end_p95 = 0;
    double probability = 0;
    double active_start = 0, active_end = 0; // mean active members (all regions)
    std::vector<double> levers;              // mean members moved per lever over the period
    double spend = 0;                        // Rp committed
    double paid_members = 0;                 // members added by levers that cost money
    double cost_per_added_member = 0;        // spend / paid_members (0 when nothing is paid)
    bool has_baseline = false;               // a variant named "baseline" exists
    double extra_vs_baseline = 0;            // active members at the end above the baseline
    double cost_per_extra_member = 0;        // spend above the baseline's / extra members
};

std::vector<VariantSummary> summarize(const RunResult& result);

struct OutputOptions {
    std::string dir;
    bool force = false;              // replace an earlier run (output_rules.hpp says which)
    std::string command_line;        // recorded in manifest.json
    bool region_timeseries = true;   // per-region rows in timeseries.csv (not only "all")
    bool parent_regions = false;     // the parents of a fine layer in regions.gpkg, for its maps
    // Called with the finished temporary directory and the run as its files hold it, before the
    // directory is moved into place (figures and the report); whatever it throws removes the
    // directory like any other failure.
    std::function<void(const std::string& dir, const RunData& run)> finish;
};

// Throws OutputError unless a run may be written in `dir` (check_output_directory, output_rules.hpp);
// `inputs` are the files the run reads, which --force never replaces.
void check_output_dir(const std::string& dir, bool force, const std::vector<std::string>& inputs = {});

// The run as its files will hold it: every number rounded as written (summary.json: shares to
// 1e-6, persons and Rp to 0.01; timeseries.csv: the same decimals), the inputs hashed, the shapes
// as regions.gpkg stores them. Figures drawn from it are those drawn from the directory later.
// With `with_parents`, the level default_parent_level picks is dissolved and named from the
// other layers of the boundary file.
RunData make_run_data(const LoadedScenario& inputs, const RunResult& result, const std::string& command_line,
                      bool region_timeseries, bool with_parents = false);

// One line per funded programme whose budget the eligible pool could not absorb:
// "<file>: variant X, intervention Y: Rp... of Rp... cannot be spent: eligible workers exhausted from YYYY-MM".
std::vector<std::string> budget_warnings(const LoadedScenario& inputs, const RunResult& result);

// The files of a run, each from its part of RunData (docs/run-format.md).
std::string summary_json(const RunSummary& summary);
std::string timeseries_csv(const RunTimeSeries& series);
std::string manifest_json(const RunManifest& manifest);

// Writes summary.json, timeseries.csv, manifest.json and regions.gpkg, then options.finish, into a
// temporary directory renamed into place. The first form makes the RunData and returns it.
RunData write_run_outputs(const LoadedScenario& inputs, const RunResult& result, const OutputOptions& options);
void write_run_outputs(const RunData& run, const OutputOptions& options);

// SHA-256 of a file, or of bytes in memory, as 64 hex digits.
std::string sha256_file(const std::string& path);
std::string sha256_text(std::string_view text);

} // namespace cakupan
