// The result of a run as one type, RunData: what `run` writes (run_output.hpp serialises it) and
// what `report RUN_DIR` and `map RUN_DIR` read back (read_run reconstructs it exactly), so every
// figure and the report are drawn from the same numbers either way. The files and their fields are
// docs/run-format.md. Errors are InputError naming the file and the line (CSV, JSON syntax) or the
// key path (JSON content), and what was expected.
#pragma once

#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/geo/shapes.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cakupan {

// The version of the run directory's layout, summary.json "schema"; read_run refuses any other.
inline constexpr const char* kRunSchema = "cakupan.run/2";

struct CoverageStats {
    double mean = 0, p5 = 0, p50 = 0, p95 = 0;
};

// Lever name -> mean members moved over the period (losses negative), in file order.
using LeverAmounts = std::vector<std::pair<std::string, double>>;

struct RunRegionResult {
    std::string code, name;
    double workers = 0;
    double coverage_start = 0;
    CoverageStats coverage_end;
    double target = 0;
    double probability = 0;
    LeverAmounts members_added;
    double spend = 0;
};

struct RunVariantResult {
    std::string name, description;
    std::vector<std::string> interventions;
    double coverage_start = 0;
    CoverageStats coverage_end;
    double probability = 0;
    double workers = 0, active_start = 0, active_end = 0;
    LeverAmounts members_added;
    double spend = 0;
    std::vector<std::pair<std::string, double>> spend_by_intervention;
    double cost_per_added_member = 0;
    // Every cost by who pays it (lever costs included), in funder order.
    std::vector<std::pair<std::string, double>> spend_by_funder;
    struct InterventionCost {
        std::string intervention, funder;
        double cost = 0;
    };
    std::vector<InterventionCost> cost_by_intervention; // in intervention order
    // Budgets the eligible workers could not absorb, and from which month (YYYY-MM).
    struct BudgetExhausted {
        std::string intervention;
        double budget = 0, unspent = 0;
        std::string from;
        double share_of_draws = 0;
    };
    std::vector<BudgetExhausted> budget_exhausted;
    bool has_baseline = false; // vs_baseline present
    double extra_active_members = 0, cost_per_extra_member = 0;
    std::vector<RunRegionResult> regions;
};

struct RunSummary {
    std::string schema = kRunSchema;
    std::string version;
    std::string scenario_name, scenario_title;
    std::string start, end, step; // ISO dates; "month" or "week"
    int steps = 0;
    std::string mode;
    int draws = 0;
    std::uint64_t seed = 0;
    bool parameter_uncertainty = false;
    double target = 0;
    std::string region_layer;
    int region_count = 0;
    std::vector<RunVariantResult> variants;
    std::vector<std::string> warnings; // one line per exhausted budget (run prints them)
};

struct RunInputFile {
    std::string path;
    std::uint64_t bytes = 0;
    std::string sha256;
};

struct RunManifest {
    std::string version, command, scenario, mode;
    int draws = 0;
    std::uint64_t seed = 0;
    bool parameter_uncertainty = false;
    std::vector<RunInputFile> inputs;
    std::vector<std::string> outputs;
};

// One (variant, region) of timeseries.csv: every measure as a column over the run's dates;
// a measure absent on a date (members_* on the start date) is NaN. Values are as written
// (coverage to 6 decimals, persons to 2).
struct TimeSeries {
    std::string variant, region, name;
    std::map<std::string, std::vector<double>> measures;
    const std::vector<double>* measure(const std::string& m) const;
};

struct RunTimeSeries {
    std::vector<std::string> dates; // sorted, every date of the file
    std::vector<TimeSeries> series; // in file order
    const TimeSeries* find(const std::string& variant, const std::string& region) const;
};

RunSummary parse_run_summary(const std::string& text, const std::string& path);
RunManifest parse_run_manifest(const std::string& text, const std::string& path);
RunTimeSeries parse_run_timeseries(const std::string& text, const std::string& path);

// A whole run. Every number is rounded as its file holds it, so a run in memory and the same run
// read back compare equal.
struct RunData {
    RunSummary summary;
    RunManifest manifest;
    RunTimeSeries timeseries;
    // The outline of every region (lon/lat), in the order of summary.variants[i].regions.
    ShapeSet shapes;
    // The level above the regions drawn over their maps (kab/kota over villages), lon/lat; empty
    // on small or flat layers and in runs drawn without maps or report (docs/run-format.md).
    ParentRegions parents;
};

// summary.json, manifest.json, timeseries.csv and the `regions` table of regions.gpkg; InputError
// if the directory or a file is missing, of another schema, or malformed.
RunData read_run(const std::string& dir);

} // namespace cakupan
