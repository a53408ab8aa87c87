// A plan file (plans/*.toml, docs/plan.md): a base scenario variant, the decision variables (how
// much of which lever, where, paid by which funder, within which bounds and whole units), the
// objective and the constraints. Checked like scenario files: every problem names file:line:column.
#pragma once

#include "cakupan/scenario/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cakupan {

// What the planner asks.
enum class PlanGoal {
    minimum_spend, // the least spend that meets the coverage requirement
    maximise,      // the best outcome within the budget and the funders' envelopes
    frontier,      // spend against outcome, from nothing to where more money buys nothing
};
const char* to_string(PlanGoal g);

// The coverage requirement of minimum_spend, and the chance level of every P(target).
enum class Requirement {
    overall,      // P(all regions together >= target) >= probability
    every_region, // P(region >= its target) >= probability in every region
    median,       // median coverage of all regions together >= target
};
const char* to_string(Requirement r);

// What maximise maximises.
enum class Measure {
    probability,       // P(all regions together >= target)
    median,            // median coverage of all regions together
    regions_at_target, // regions whose P(target) >= probability
    lowest_region,     // the lowest median coverage of any region
};
const char* to_string(Measure m);

// One lever: an intervention whose one number the planner decides, in one or several copies
// (one per region group). The intervention is either one the scenario declares or one the plan
// writes out in full (`intervention` = its table as TOML, copied into the scenario of the plan).
struct PlanLever {
    std::string name;        // also the name of its interventions in the plan's scenario
    std::string from;        // an intervention of the scenario, or "" when the plan writes it
    std::string type;        // intervention type ("subsidy", "agents", "village_programme", ...)
    std::string amount;      // the number decided: "budget", "agents", "per_village"
    double min = 0, max = 0; // bounds of that number per copy
    double unit = 1;         // whole units of it (Rp1,000,000 of budget, one agent)
    double fee = 0;          // agents: Rp per agent per month, charged as the intervention's cost
    std::string funder;      // who pays: apbd_province, apbd_kabkota, dana_desa, csr_zakat, ...
    // Region groups: each group is one copy with its own amount; empty = the intervention's own regions.
    std::vector<std::vector<std::string>> groups;
    bool each_region = false; // one copy per region the intervention's selector picks
    std::string where;        // file:line:column of its table
};

// A ceiling on what a funder spends in one calendar year (spend is counted when committed).
struct Envelope {
    std::string funder;
    int year = 0;
    double max = 0;
    std::string where;
};

struct Plan {
    std::string path, name, title;
    std::string scenario; // resolved relative to the plan file
    std::string variant;  // "" = the scenario's first variant: the programmes that run regardless
    std::string where;

    PlanGoal goal = PlanGoal::minimum_spend;
    Requirement requirement = Requirement::overall;
    Measure measure = Measure::probability;
    double probability = 0.8;    // the chance level of the requirement and of regions_at_target
    std::optional<double> target; // overrides the scenario's overall target
    double budget = 0;            // maximise: total spend at most this (0 = only the envelopes)
    std::vector<Envelope> envelopes;

    // Evaluation: stochastic with parameter uncertainty, the same draws for every candidate.
    Mode mode = Mode::stochastic;
    int draws = 500;
    std::uint64_t seed = 1;
    bool vary_parameters = true;
    int steps = 20; // frontier and greedy: increments from the lower to the upper bounds

    std::vector<PlanLever> levers;
};

// Reads and checks a plan file (ScenarioError, exit 4, with file:line:column and the key path;
// "did you mean" for a misspelt key or name). Levers are checked against the scenario when the
// problem is made (make_plan_problem).
Plan load_plan(const std::string& path);

} // namespace cakupan
