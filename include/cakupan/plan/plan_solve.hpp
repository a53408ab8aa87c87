// Solvers of a plan. Greedy marginal allocation over every variable at once (so the spill-over
// between neighbouring regions is in every comparison), in steps of (max - min) / plan.steps; then
// for minimum_spend a bracketing root finder (bisection in whole units) on the variable that met
// the requirement, and for maximise a comparison with the proportional-to-workers and equal-split
// allocations of the same budget (the answer is never worse than either). Every candidate is
// evaluated with the same draws (common random numbers), in batches across threads and processes.
#pragma once

#include "cakupan/plan/plan_problem.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cakupan {

struct PlanAnswer {
    Candidate chosen;
    bool feasible = true;     // the requirement (minimum_spend) is met by the chosen plan
    std::string binding;      // which constraint binds at the chosen plan, in words
    std::vector<Candidate> path; // the greedy path: the budget-outcome frontier, spend ascending
    // Per variable: the amount above which it buys nothing more (NaN when it never stopped paying off).
    std::vector<double> saturated_at;
    std::vector<std::string> saturated_why; // "pool empty" (spend stopped rising) or "no gain" (on the objective)
    std::vector<double> saturated_spend;    // the variable's spend there: what the pool absorbs
    // Per variable at the chosen plan: median coverage points and P(target) gained by one more step.
    std::vector<double> next_median, next_probability, next_spend;
    std::vector<std::pair<std::string, Candidate>> baselines; // maximise: "proportional", "equal"
    bool monotone = true;     // the requirement grew with the bisected variable at every point seen
    double mc_error = 0;      // standard error of the chosen P(target): sqrt(P (1 - P) / draws)
    std::size_t evaluations = 0;
    // Out of reach: when the best reachable plan's median would reach the target (within 36
    // months after the deadline, with the same programmes), or nullopt.
    std::optional<Date> reached_on;
};

PlanAnswer solve_plan(const PlanProblem& problem, int threads, const ProcessGroup& group);

// NLopt COBYLA from a minimum-spend answer over the continuous amounts (snapped to whole units):
// the cheapest point it sees that meets the requirement, or `best`. At most `max_evaluations`.
Candidate refine_minimum(const PlanProblem& problem, const Candidate& best, int threads, const ProcessGroup& group,
                         std::size_t& evaluations, int max_evaluations);

// Spend of a candidate per (funder, year), in the order funders first appear among the levers.
struct FunderSpend {
    std::string funder;
    int year = 0;
    double spend = 0, ceiling = -1; // ceiling -1 = no envelope
};
std::vector<FunderSpend> funder_spend(const PlanProblem& problem, const Candidate& c);

// Whether a candidate meets the plan's requirement (minimum_spend) or stays within its budget
// and envelopes (maximise).
bool meets_requirement(const PlanProblem& problem, const Candidate& c);
bool within_budget(const PlanProblem& problem, const Candidate& c);

} // namespace cakupan
