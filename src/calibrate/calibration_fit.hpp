// The statistical core of calibration: observations matched to what the model produces, the
// likelihood, the multi-start optimiser and the Metropolis chains. Everything here is a pure
// function of its inputs and the seed, so results do not depend on the thread count.
#pragma once

#include "cakupan/calibrate/calibration.hpp"
#include "cakupan/study/study_runner.hpp"
#include "calibrate/observation_model.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace cakupan::calibration {

// One observation as the model sees it: the regions it counts, what it measures and the report
// date it is taken at.
struct Target {
    std::vector<Eigen::Index> regions;
    std::size_t measure = 0; // in ObservationModel::measures
    std::size_t step = 0; // report date index of the calendar
    double observed = 0;
    double sd = 1;        // rounding and model discrepancy together, in the observation's unit
    bool fitted = true;   // false: a hold-out, predicted but not in the likelihood
    double rounding = 0;  // sd of the published figure's rounding
    double floor = 1;     // least sd: a person, or 0.01 points of a percentage
    // The sd with the model's error a share `d` of the observed value (`sd` is this at the fixed share).
    double sd_at(double d) const {
        const double rel = d * observed;
        return std::max(floor, std::sqrt(rounding * rounding + rel * rel));
    }
};

// Parameters in the unit cube and back: uniform priors map linearly to [low, high], log-uniform
// ones through the logarithm.
struct Space {
    std::vector<CalibrationParameter> parameters; // with bounds filled in
    std::vector<double> to_values(const std::vector<double>& u) const;
};

// Predictions of every target for parameter values `x` (in the order of Space::parameters): the
// model's trajectory (expected mode) with the model parameters set, seen through the observation
// model with the observation parameters.
class Predictor {
public:
    Predictor(const Simulation& sim, std::string variant, std::vector<std::string> keys, std::vector<Target> targets,
              ObservationModel observation);
    std::vector<double> predict(const std::vector<double>& x) const;
    // -log posterior without constants: likelihood() + prior().
    double objective(const std::vector<double>& prediction, const std::vector<double>& x) const;
    // -log likelihood without constants: half the sum of squared standardised errors of fitted
    // targets; with an estimated discrepancy (in `x`) each sd depends on it, and the sum of log sd
    // (the normal's normalising term) is added.
    double likelihood(const std::vector<double>& prediction, const std::vector<double>& x) const;
    // -log of the Normal(1, sd) priors of pooled regional multipliers (sd 0: a flat prior).
    double prior(const std::vector<double>& x) const;
    void set_prior_sd(std::vector<double> sd) { prior_sd_ = std::move(sd); }
    // Each target's sd at parameter values `x`.
    double sd(std::size_t target, const std::vector<double>& x) const;
    const std::vector<Target>& targets() const { return targets_; }
    // Each series' measure over its regions at every report date (0..steps) for values `x` (the
    // step of a series is ignored): the fit charts' model paths.
    std::vector<std::vector<double>> paths(const std::vector<double>& x, const std::vector<Target>& series) const;
    const Simulation& simulation() const { return sim_; }
    const ObservationModel& observation() const { return observation_; }

private:
    Trajectory trace(const std::vector<double>& x) const;
    ObservedState state(const Trajectory& t, std::size_t step, const std::vector<double>& x) const;

    const Simulation& sim_;
    std::string variant_;
    std::vector<std::string> keys_;
    std::vector<Target> targets_;
    std::vector<double> prior_sd_; // by parameter
    ObservationModel observation_;
};

struct FitResult {
    std::vector<double> best_u;
    double best_objective = 0;
    std::size_t evaluations = 0;
};

// Bounded BOBYQA from `starts` Latin hypercube points; the best start wins, ties to the first.
// Starts are spread over the processes of `group` (and threads within each); every process gets
// every start's result.
FitResult fit(const Predictor& predictor, const Space& space, int starts, int evaluations, std::uint64_t seed, int threads,
              const ProcessGroup& group);

struct Chains {
    std::vector<std::vector<double>> draws;       // kept draws (parameter values), chain-major order
    std::vector<std::vector<double>> predictions; // predictions of every target at each kept draw
    std::vector<double> rhat;                     // per parameter
    double acceptance = 0;
    std::size_t evaluations = 0;
};

// Adaptive Metropolis (Haario et al. 2001) in the unit cube, started around `start`: the proposal
// covariance adapts during burn-in, then stays fixed so the kept draws are a Markov chain.
// Chains are spread over the processes of `group`; every process gets every chain.
Chains sample(const Predictor& predictor, const Space& space, const std::vector<double>& start, const Calibration& c, int threads,
              const ProcessGroup& group);

// Type-7 percentile of `v` (sorted in place).
double percentile(std::vector<double>& v, double q);

} // namespace cakupan::calibration
