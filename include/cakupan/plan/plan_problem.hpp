// A plan made into an optimisation problem: the scenario of the plan (the base variant with one
// intervention per lever and region group), its decision variables, and the evaluation of a
// candidate with common random numbers: every candidate is run with the same seed, so the same
// draws of the world, and differences between candidates are the plan's, not noise.
#pragma once

#include "cakupan/engine/simulation.hpp"
#include "cakupan/plan/plan.hpp"
#include "cakupan/study/study_runner.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cakupan {

// One decision variable: the amount of one copy of a lever (an intervention of the plan's scenario).
struct PlanVariable {
    std::string intervention;       // its name in the plan's scenario
    std::size_t lever = 0;          // index in Plan::levers
    std::vector<std::string> codes; // the regions it covers ({} = the template's own selector)
    std::string label;              // "vulnerable" or "vulnerable 19.01"
    double lo = 0, hi = 0, unit = 1;
    double fee_months = 0;          // agents: months active, for the fee
    int year = 0;                   // calendar year its spend is committed (its start)
    std::string month;              // "2025-07": the month a funded cohort's spend is committed; agents' fees from it to the end
};

// One evaluated candidate. Spend is Rp committed (plan_spend), mean over draws.
struct Candidate {
    std::vector<double> x;          // amount per variable
    std::vector<double> spend;      // per variable
    double total_spend = 0;
    double probability = 0;         // P(all regions together >= target at the end)
    double median = 0;              // median coverage of all regions together at the end
    double quantile = 0;            // the ceil(p x draws)-th largest overall coverage: >= target iff P >= p
    std::vector<double> region_probability, region_median, region_added; // per region
    double lowest_region = 0;       // lowest region median
    int regions_at_target = 0;      // regions with P(target) >= p
};

class PlanProblem {
public:
    // Reads the scenario, checks the levers against it (unknown intervention, an amount its type
    // does not have, regions it does not cover), and builds the plan's scenario once.
    PlanProblem(Plan plan, Diagnostics& notes);

    const Plan& plan() const { return plan_; }
    const Simulation& simulation() const { return *sim_; }
    const std::vector<PlanVariable>& variables() const { return vars_; }
    double target() const { return target_; }
    const Eigen::ArrayXd& region_targets() const { return region_targets_; }
    const Eigen::ArrayXd& region_workers() const { return region_workers_; }
    // Workers in each variable's regions (for allocations proportional to workers).
    std::vector<double> variable_workers() const;

    std::vector<double> lower() const;
    std::vector<double> upper() const;
    std::vector<double> snap(std::vector<double> x) const; // to whole units within bounds

    // The candidate's settings (variant "plan", each variable's amount, agents' fees as cost).
    Settings settings(const std::vector<double>& x) const;
    Candidate evaluate(const std::vector<double>& x, int threads = 1) const;
    // Every candidate, across threads (OpenMP) and processes (MPI); every process gets every result,
    // in candidate order, the same bytes whatever the split.
    std::vector<Candidate> evaluate_all(const std::vector<std::vector<double>>& xs, int threads, const ProcessGroup& group) const;

    // The plan's scenario with these amounts, paths relative to `dir` (absolute when dir is "").
    // `extend_months` moves the end of the period (for the date a target out of reach would be reached).
    std::string scenario_text(const std::vector<double>& x, const std::string& dir, int extend_months = 0) const;

    // The first report date within `months` after the deadline at which the median coverage of
    // all regions together reaches the target with these amounts; nullopt when it does not.
    std::optional<Date> reach_date(const std::vector<double>& x, int months) const;

private:
    Plan plan_;
    std::vector<std::pair<std::string, std::string>> inline_; // lever -> its intervention table (TOML)
    std::vector<PlanVariable> vars_;
    std::string base_variant_;                    // its name in the scenario
    std::vector<std::string> base_interventions_; // the programmes it runs
    std::shared_ptr<const Simulation> sim_;
    double target_ = 0;
    Eigen::ArrayXd region_targets_, region_workers_, base_added_;
    std::vector<std::size_t> spend_index_; // per variable: its index in intervention_spend_mean
};

// The spend of each variable's intervention in a result: the one place that knows how spend is
// recorded, so funders and lever costs change only this function.
std::vector<double> plan_spend(const VariantResult& result, const std::vector<std::size_t>& spend_index);

} // namespace cakupan
