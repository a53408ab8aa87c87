// The projection engine: monthly (or weekly) flows between never-covered, active, funded and
// lapsed workers per region and segment (docs/model.md), in expected or stochastic mode, for every variant.
#pragma once

#include "cakupan/geo/contiguity.hpp"
#include "cakupan/geo/region_table.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "cakupan/io/statistics.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cakupan {

// Where members come from and go to; "members added by each lever" are sums of these flows.
enum class Lever : int {
    voluntary,        // uncovered workers who enrol by themselves (Bass, on the remaining potential)
    replacement,      // registrations replacing members who left (hiring, new officials, new payers)
    agents,           // recruited by outreach agents
    enforcement,      // registered by employers under a compliance campaign
    subsidy,          // funded by a regional budget
    village_programme,// funded from village funds
    fixed_term,       // covered for a fixed term (election workers, seasonal programmes)
    renewal,          // budget-paid members paid again once the new year's budget is approved
    lapse,            // members who leave a covered job, a budget's list or stop paying (a loss)
    funding_end,      // funded or fixed-term members not retained when their cover ends (a loss)
    january_gap,      // members of regular budgets unpaid from 1 January until renewal (a loss)
    count
};
inline constexpr int kLeverCount = static_cast<int>(Lever::count);
const char* to_string(Lever lever);
inline bool is_loss(Lever l) { return l == Lever::lapse || l == Lever::funding_end || l == Lever::january_gap; }
// Members moved by a lever as a change in coverage: losses count negative.
inline double as_change(Lever l, double moved) { return is_loss(l) ? -moved : moved; }

// The time axis: step k runs from boundaries[k] to boundaries[k+1] - 1 day.
struct Calendar {
    std::vector<Date> boundaries;   // steps + 1
    std::vector<double> months;     // length of each step in months (1 for a whole month)
    std::size_t steps() const { return months.size(); }
    Date report_date(std::size_t k) const; // state after step k-1; k = 0 is the start date
};
Calendar make_calendar(const Period& period);

// Inputs shared by every variant and draw.
struct EngineData {
    Eigen::ArrayXXd workers;  // regions x model segments
    Eigen::ArrayXXd active;   // regions x model segments
    Eigen::ArrayXd villages;  // villages per region (1 on a village layer)
    Eigen::SparseMatrix<double, Eigen::RowMajor> weights; // row-standardised contiguity
    std::vector<bool> has_neighbours;
};

// Aligns the statistics to the model's segments and reads the village counts; throws InputError
// when a model segment has no columns in the statistics.
EngineData make_engine_data(const RegionTable& regions, const RegionStatistics& stats, const Model& model,
                            const Adjacency& adjacency, const std::vector<double>& villages);

// The full state of one draw at every step (Engine::trace, for tests and debugging).
struct Trajectory {
    // [step][...]: regions x segments; step 0 is the initial state
    // active: paying members (self-paying members of budget-paid segments included); lapsed:
    // members not paying, those awaiting their budget's renewal included
    std::vector<Eigen::ArrayXXd> never, active, funded, lapsed;
    std::vector<Eigen::ArrayXXd> flows; // [step] regions x levers, members moved during the step
    std::vector<Eigen::ArrayXd> spend;  // [step] regions, Rp committed during the step
    std::vector<Eigen::ArrayXd> intervention_cost; // [step] per intervention: Rp of every cost, lever costs included
};

// Budget a funded programme could not spend because its eligible pool (U + L in its scope) ran out.
struct Exhaustion {
    double budget = 0;          // Rp the programme would spend (mean over draws)
    double unspent = 0;         // Rp it could not spend (mean over draws, 0 in draws where it spent all)
    double share_of_draws = 0;  // share of draws in which the pool ran out
    int step = -1;              // the first step by which the pool ran out in at least half the draws; -1: never
};

struct VariantResult {
    std::string name;
    std::string description;
    // coverage per region and report date (regions x steps+1); the percentiles are NaN before the
    // end when RunOptions::region_series is off
    Eigen::ArrayXXd mean, p5, p50, p95;
    // coverage of all regions together per report date, and its value at the end in every draw
    Eigen::ArrayXd overall_mean, overall_p5, overall_p50, overall_p95;
    std::vector<double> overall_end; // one per draw, in draw order
    Eigen::ArrayXd region_probability; // P(region coverage at the end >= its target)
    double overall_probability = 0;
    Eigen::ArrayXXd lever_mean;      // regions x levers: mean members moved over the period
    Eigen::ArrayXXd lever_step_mean; // steps x levers: mean members moved, all regions
    Eigen::ArrayXd spend_mean;       // regions: mean Rp committed over the period
    std::vector<double> intervention_spend_mean; // per enabled intervention, in scenario order
    std::vector<std::string> intervention_names;
    // What every lever costs, as its funder pays it: `spend` above plus the model's lever costs
    // (agents' commission, fee and bonus; campaigns' cost per region and month).
    std::vector<Funder> intervention_funders;        // per enabled intervention
    std::vector<double> intervention_cost_mean;      // per enabled intervention: Rp over the period
    Eigen::ArrayXXd intervention_step_cost_mean;     // steps x interventions: Rp per step
    std::array<double, kFunderCount> funder_spend_mean{}; // Rp over the period, by Funder
    std::vector<Exhaustion> exhaustion;              // per enabled intervention (funded programmes only)
    double workers_total = 0;
    Eigen::ArrayXd workers;          // per region
};

struct RunResult {
    Calendar calendar;
    Mode mode = Mode::stochastic;
    int draws = 0;
    std::uint64_t seed = 0;
    bool vary_parameters = false;
    Eigen::ArrayXd target; // per region
    double overall_target = 0;
    std::vector<VariantResult> variants;
};

struct RunOptions {
    Mode mode = Mode::stochastic;
    int draws = 1000;
    std::uint64_t seed = 1;
    bool vary_parameters = true; // stochastic mode: draw uncertain parameters from their ranges
    int threads = 0; // 0 = OpenMP's default
    bool region_series = true; // percentiles per region at every step; false: at the end only
    std::function<void(double)> progress; // called with the share done, from the calling thread
};

// Plans the variants once; run() and trace() then only read. The engine shares its data (an
// evaluation of a Simulation builds an engine per setting around the same data) and keeps no
// reference to the scenario or the regions, which are read while planning only.
class Engine {
public:
    Engine(const Period& period, const Target& target, const std::vector<Variant>& variants, const RegionTable& regions,
           std::shared_ptr<const EngineData> data);
    Engine(const Scenario& scenario, const RegionTable& regions, std::shared_ptr<const EngineData> data)
        : Engine(scenario.period, scenario.target, scenario.variants, regions, std::move(data)) {}
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    RunResult run(const RunOptions& options) const;
    // One draw with its whole state; `vary` draws the parameters as run() does with vary_parameters.
    Trajectory trace(std::size_t variant, std::uint64_t draw, Mode mode, std::uint64_t seed, bool vary = false) const;

    const Calendar& calendar() const { return calendar_; }
    std::size_t region_count() const { return static_cast<std::size_t>(data_->workers.rows()); }

    struct Plan; // per-variant schedule of interventions, built once

private:
    std::shared_ptr<const EngineData> data_;
    Calendar calendar_;
    double overall_target_ = 0;
    std::vector<Plan> plans_;
    Eigen::ArrayXd targets_;
};

} // namespace cakupan
