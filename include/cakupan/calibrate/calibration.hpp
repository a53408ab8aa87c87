// Calibration (docs/calibration.md): estimate model parameters from observed figures. A calibration
// file names a base scenario (its regions, statistics, period and model), the observation tables,
// the parameters to estimate with their bounds and priors, and the settings of the fit. Fitting runs
// in process on a Simulation in expected mode: a multi-start derivative-free optimiser (NLopt), then
// a posterior by adaptive Metropolis chains whose draws give the bands of every fitted observation.
#pragma once

#include "cakupan/engine/simulation.hpp"
#include "cakupan/io/observations.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/study/study_runner.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cakupan {

// normal: Normal(1, prior_sd) over the bounds, for the regional multipliers of partial pooling.
enum class Prior { uniform, log_uniform, normal };

// The observation parameter of `discrepancy = "estimate"`: the model's error as a share of the value.
inline constexpr const char* kDiscrepancyKey = "observation.discrepancy";

struct CalibrationParameter {
    std::string key;   // model key, "lapse.informal", or an observation parameter, "observation.pu_share"
    double low = 0, high = 0;
    Prior prior = Prior::uniform;
    double prior_sd = 0; // Prior::normal
    // per = "province" (a level of the layer's codes): besides the national value, one multiplier
    // per region of that level, KEY#CODE, with a Normal(1, pooling) prior that pools them toward 1.
    std::string per;
    double pooling = 0;
    std::string where; // file:line:column of its [[parameter]] table
    // A parameter of the observation model, not of the model: estimated like the others, never
    // passed to the Simulation nor written into the calibrated model file.
    bool observation() const { return key.rfind("observation.", 0) == 0; }
};

// A number of the observation model: a constant, or an observation parameter p (or 1 - p).
struct ObservationScale {
    double constant = 1;
    std::string parameter;   // "observation.pu_share"; empty: the constant
    bool complement = false; // 1 - parameter
    std::string where;       // file:line:column of its value
};

// What an observed indicator counts: the covered members (A + F) of some segments of the model,
// times a scale, in persons or as a percentage of those segments' workers.
struct Measure {
    std::string indicator;
    std::vector<std::string> segments;      // empty = every segment of the model
    std::vector<std::string> segment_where; // file:line:column of each
    ObservationScale scale;
    ObservationUnit unit = ObservationUnit::persons;
    std::string where;
};

// Members counted where they work: a share of the covered members of `segments` living outside
// every hub (a hub: the regions with its code or within it) is counted at this hub instead.
struct Workplace {
    std::string hub, hub_where;
    std::vector<std::string> segments;
    std::vector<std::string> segment_where;
    ObservationScale share;
    std::string where;
    std::string path; // "workplace" (a single [workplace] table) or "workplace[i]"
};

struct Calibration {
    std::string path, name, title, where;
    std::string model_name; // [model] name of the calibrated model (default: name)
    std::string scenario; // resolved relative to the calibration file
    std::string variant;  // "" = the scenario's first
    std::vector<std::string> observations; // tables, resolved relative to the file
    std::vector<std::string> indicators;   // fitted indicators (default: every measured one present)
    std::optional<RegionLevel> level;      // only observations at this level
    std::optional<std::chrono::year_month> from, to; // only observations in this window
    double discrepancy = 0.03; // sd of the model's error, as a share of the observed value
    // discrepancy = "estimate": the share is the observation parameter `observation.discrepancy`.
    bool estimate_discrepancy = false;
    std::string discrepancy_where; // file:line:column of calibration.discrepancy, if given
    std::uint64_t seed = 1;
    int starts = 8;            // optimiser starts (Latin hypercube)
    int evaluations = 400;     // per start
    int chains = 4;
    int burn_in = 500;         // per chain, adapting the proposal
    int samples = 1000;        // per chain after burn-in
    int thin = 5;
    std::vector<CalibrationParameter> parameters;
    // The [[measure]] tables, then the built-in `bpjstk_participants_active` (every segment, scale
    // 1, persons) unless a table defines it.
    std::vector<Measure> measures;
    std::vector<Workplace> workplaces; // one [workplace] table or [[workplace]] tables, one per hub

    std::vector<std::string> measured_indicators() const;
};

// Reads and checks a calibration file: ScenarioError (exit 4) with file:line:column for unknown
// keys (with the nearest), bad values and bounds, observation parameters used but not declared,
// declared but not used, or without bounds, the same hub twice, workplace shares that can sum above
// 1, and `observation.discrepancy` missing with discrepancy = "estimate" or declared without it.
// Parameter keys and segments are checked against the model, the workplace hubs against the
// regions, when the calibration runs (their place is kept).
Calibration load_calibration(const std::string& path);

struct CalibrationConfig {
    std::string calibration; // the file
    std::string out;         // directory to write
    bool force = false;
    std::string holdout;     // observation table kept aside: projected, scored, never fitted
    int rolling = 0;         // > 0: rolling-origin backtests, each origin projected this many months
    int threads = 0;         // 0 = OpenMP's default
    render::Lang lang = render::Lang::id; // of the fit charts and report.html
    std::string command_line;
    std::function<void(const std::string&)> progress; // one line per stage
};

struct ObservationFit {
    Observation observation;
    std::string table;       // the file it came from
    bool holdout = false;
    double p5 = 0, p50 = 0, p95 = 0; // posterior predictive
    double best = 0;                 // at the best fit
};

struct ParameterEstimate {
    std::string key;
    double best = 0;                 // the optimiser's
    double p5 = 0, p50 = 0, p95 = 0; // posterior
    double rhat = 0;                 // Gelman-Rubin across chains
    double prior_low = 0, prior_high = 0;
};

struct FitScores {
    std::size_t n = 0;
    double rmse = 0;   // persons
    double mape = 0;   // mean absolute percentage error, %
    double median_ape = 0;
    double inside90 = 0; // share of observations inside their 90% band
};

// One prediction of a rolling-origin backtest: fitted to the observations up to `origin`, then
// projected to a later observation.
struct BacktestRow {
    std::chrono::year_month origin{};
    int horizon = 0; // months after the origin
    ObservationFit fit;
};

struct CalibrationOutcome {
    std::vector<ParameterEstimate> parameters;
    std::vector<ObservationFit> fits;
    FitScores fit, holdout;
    std::vector<BacktestRow> backtest;
    std::vector<FitScores> backtest_scores; // per horizon 1..rolling
    double best_objective = 0; // -log likelihood at the best fit (without constants)
    std::size_t evaluations = 0;
    double seconds_per_evaluation = 0;
    double acceptance = 0;     // Metropolis acceptance rate after burn-in
    std::string model_text;    // the calibrated model file
};

// Fits and writes DIR: model.toml (the calibrated model), fit.csv, holdout.csv (with a hold-out
// table), posterior.csv, calibration.json, a fit chart per observed series (charts/fit-*.svg and
// .png), report.html and manifest.json; nothing is written on error.
// Starts and chains are spread over the processes of `group` (mpirun) and the threads of each;
// every process computes the same outcome and process 0 writes it.
CalibrationOutcome run_calibration(const CalibrationConfig& config, const ProcessGroup& group);

} // namespace cakupan
