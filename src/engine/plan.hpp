// The engine's private pieces: a variant's plan (built once by engine_plan.cpp), the model values
// of one draw (parameters.cpp), the buffers of one draw and the function that runs it (draw.cpp).
#pragma once

#include "cakupan/engine/engine.hpp"
#include "engine/portable_math.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace cakupan {

// ---- calendar.cpp ------------------------------------------------------------------------------

double day_count(Date a, Date b);
// Share of step k that lies inside [start, end] (both inclusive days).
double overlap(const Calendar& c, std::size_t k, Date start, Date end);
// The step that contains d (steps() when d is after the period).
std::size_t step_of(const Calendar& c, Date d);
// Per step: 1 for the step that contains 1 January, other than the first.
std::vector<char> january_steps(const Calendar& c);

// ---- engine_plan.cpp ---------------------------------------------------------------------------

struct Scope {
    std::vector<std::uint32_t> regions;
    std::vector<int> segments;
    std::vector<char> in_segment; // by segment
};

struct Engine::Plan {
    std::string name, description;
    Model model; // the variant's model: parameter values and plausible ranges
    std::vector<char> budget_paid, employer_paid, pays_self; // by segment
    struct Change {
        std::size_t step; // the step that contains its date
        std::string key;
        double value;
    };
    std::vector<Change> changes; // in date order
    std::vector<Eigen::ArrayXd> replacement_factor; // by segment: regions (ones where no factor applies)

    struct Funded {
        std::size_t index; // in the variant's interventions
        Lever lever;
        Scope scope;
        int segment;
        std::size_t start_step, end_step; // end_step == steps when funding outlasts the period
        double members_bought = 0;        // subsidy: floor(budget / (premium x months))
        double per_village = 0;
        double premium = 0, months = 0;
        double retention = kUnset; // unset: the model's funded_retention of the draw
        double budget = 0;         // subsidy: Rp as the scenario gives it
    };
    struct Rate {
        std::size_t index;
        Scope scope;
        std::vector<double> active; // share of each step it runs
        double value = kUnset;      // multiplier or hazard; unset: the model's value of the draw
        double cost_per_region_month = 0;
    };
    struct Agents {
        std::size_t index;
        Scope scope;
        std::vector<double> active;
        double agents = 0;
        double productivity = kUnset, active_share = kUnset; // unset: the model's values of the draw
        double cost_per_member = 0;
        double commission = 0, fee = 0, bonus = 0, bonus_threshold = 0; // lever costs (Rp, per agent and month)
        std::vector<double> premium; // by segment: a recruit's monthly contribution (0 where the model has none)
    };
    std::vector<Funded> funded;
    std::vector<Rate> outreach, regulation, enforcement;
    std::vector<Agents> agents;
    std::vector<double> fixed_cost;              // per intervention
    std::vector<std::vector<double>> cost_share; // per intervention: share of the fixed cost by region
    std::vector<std::string> names;
    std::vector<Funder> funders; // per intervention
    std::vector<char> january;   // per step: starts a new year
};

// ---- parameters.cpp ----------------------------------------------------------------------------

// The model's values for one draw.
struct Params {
    double p, q, rho, crowd_in, january_gap, renewal_delay, initial_lapsed, retention;
    double outreach_uplift, regulation_uplift, productivity, active_share, enforcement;
    std::vector<double> lapse, saturation, replacement; // by segment
};

// With `vary`, every parameter not marked "sourced" and not set by the scenario is drawn from a
// triangular distribution over its plausible range with the model's value as mode; the stream is
// keyed by (seed, draw, parameter name) only (stream_keys.hpp).
Params draw_params(const Model& m, bool vary, std::uint64_t seed, std::uint64_t draw);

// The slot of a changeable parameter (scenario.hpp, changeable_parameter) in a draw's values.
double* parameter_slot(Params& pr, const Model& m, const std::string& key);

// An intervention's own value, or the draw's model value where it sets none.
inline double or_model(double fixed, double model) { return std::isnan(fixed) ? model : fixed; }

// ---- draw.cpp ----------------------------------------------------------------------------------

// Regions per tile of the enrolment and lapse phases.
inline constexpr Eigen::Index kTile = 512;

struct DrawBuffers {
    // regions x segments: never-covered U, active A (for budget-paid segments: paid by a regular
    // budget), lapsed L, workers N, self-paying members of budget-paid segments S, and members of
    // regular budgets awaiting the new year's budget W. N = U + A + F + L + S + W.
    Eigen::ArrayXXd never, active, lapsed, workers, self_paying, awaiting;
    std::vector<Eigen::ArrayXd> funded; // per funded plan: members funded by region
    Eigen::ArrayXXd coverage_seg, neighbour_seg;
    // scratch of the enrolment and lapse phases, one segment at a time
    Eigen::ArrayXd uplift_outreach, uplift_regulation;                                                   // regions
    Eigen::ArrayXd replacements, rate, h, p0_never, p0_lapsed, p0_lapse, ratio, replaced_share, leavers; // a tile
    Eigen::ArrayXXd uniforms; // a tile x 3: enrolment of the never-covered, of the lapsed, lapse
    Eigen::ArrayXXd funded_rs;
    // outputs
    Eigen::ArrayXXd coverage;    // regions x (steps + 1)
    Eigen::ArrayXd overall;      // steps + 1
    Eigen::ArrayXXd levers;      // regions x levers
    Eigen::ArrayXXd lever_steps; // steps x levers
    Eigen::ArrayXd spend;        // regions
    std::vector<double> intervention_spend;
    Eigen::ArrayXXd intervention_cost;   // steps x interventions: Rp of every cost, lever costs included
    std::vector<double> agent_contrib;   // per agents plan: monthly contributions of everyone recruited so far
    std::vector<double> agent_recruits;  // per agents plan: members recruited this step
    std::vector<double> unspent, budget; // per intervention: Rp a funded programme could not spend, of its budget
    std::vector<int> exhausted_step;     // per intervention: the step its pool ran out (-1: never)
};

// Whole persons drawn around an expected value within the room may overshoot it; the draw is cut
// to the whole persons of room (from the lapsed first), so no draw passes saturation.
inline void within_room(double& from_never, double& from_lapsed, double room) {
    const double excess = from_never + from_lapsed - std::floor(room + 1e-9);
    if (excess <= 0) return;
    const double cut = std::min(from_lapsed, excess);
    from_lapsed -= cut;
    from_never = std::max(0.0, from_never - (excess - cut));
}

// -log(1 - x): replacements E among P uncovered as a hazard rate, so that P (1 - exp(-rate)) = E.
// A series where x is small (no logarithm on the common path), log1p above. Inline: it runs for
// every region, segment and step of a draw.
inline double rate_of_share(double x) {
    if (x >= 1) return 40.0; // everyone: exp(-40) is below any share that matters
    if (x > 0.1) return -portable::log1p(-x);
    return x * (1 + x * (0.5 + x * (1.0 / 3 + x * (0.25 + x * (0.2 + x / 6)))));
}

// draw_support.cpp: the product of the uplifts of the campaigns in `list` acting on segment si in
// step k, by region (1 where none acts; `model` is the draw's value for campaigns without their
// own); neighbours' mean coverage by segment, W x coverage (a region's own where it has none); and
// whole persons from shares that sum to `members` (floors, then the largest remainders).
void campaign_uplift(const std::vector<Engine::Plan::Rate>& list, double model, std::size_t k, std::size_t si, Eigen::Index R,
                     Eigen::ArrayXd& out);
void spill_over(const EngineData& data, const Eigen::ArrayXXd& coverage, Eigen::ArrayXXd& out);
void largest_remainders(std::vector<double>& take, double members);

// Costs of a step (draw_support.cpp): fixed costs of the interventions that start acting, into
// the step's spend by region; the levers' own costs (agents' commission, fee and bonus; campaigns
// by region and month), by intervention and funder only.
void commit_fixed_costs(const Engine::Plan& plan, std::size_t k, DrawBuffers& b, Eigen::ArrayXd& step_spend);
void commit_lever_costs(const Engine::Plan& plan, const Params& pr, double dt, std::size_t k, DrawBuffers& b);

// Runs one draw (or the expected path) of one variant; writes into `b`, and the whole state into
// `trace` when given.
void simulate(const Engine::Plan& plan, const EngineData& data, const Calendar& cal, std::uint64_t draw, Mode mode,
              std::uint64_t seed, bool vary, DrawBuffers& b, Trajectory* trace);

} // namespace cakupan
