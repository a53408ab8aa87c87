// A scenario file, checked and resolved into typed variants ready for the engine.
#pragma once

#include "cakupan/geo/boundaries.hpp"
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/scenario/model.hpp"
#include "cakupan/geo/region_table.hpp"
#include "cakupan/io/statistics.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace cakupan {

using Date = std::chrono::year_month_day;

std::string to_string(Date d); // "2025-06-01"

// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
Date add_months(Date d, int months);

enum class StepUnit { month, week };
enum class Mode { expected, stochastic };

struct Period {
    Date start;
    Date end; // inclusive: the state is reported at the end of this day
    StepUnit step = StepUnit::month;
};

// Regions an intervention applies to. Each pattern is a code ("19.71"), which also takes every
// region below it ("19.03" on a village layer) as the layer's code structure nests them, or a
// glob with * and ? ("19.0?") over whole codes; "*" = all.
struct RegionSelector {
    std::vector<std::string> include = {"*"};
    std::vector<std::string> exclude;
    int level = 0;          // 0 = any; else only regions of this level (1 = the top level)
    std::string level_name; // a level by name ("kabkota", "county"), resolved against the layer
    std::string where;      // file:line:column of the selector, for errors
    std::string level_where; // file:line:column of `level`
};

// fixed_term: N workers covered from a date for K months, then uncovered (election workers,
// seasonal programmes).
enum class InterventionKind { subsidy, village_programme, outreach, agents, regulation, enforcement, fixed_term };

const char* to_string(InterventionKind k);

// Who pays for an intervention. Dana Desa (village funds) may pay only village programmes.
enum class Funder { apbd_province, apbd_kabkota, dana_desa, csr_zakat };
inline constexpr int kFunderCount = 4;
const char* to_string(Funder f);

constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

struct Intervention {
    std::string name;
    std::string description;
    InterventionKind kind = InterventionKind::subsidy;
    std::string where; // file:line:column of its table
    Date start;
    Date end;          // last day it acts (for funded kinds: start + months - 1 day)
    RegionSelector regions;
    std::vector<std::string> segments; // segments it acts on

    // subsidy and village programme: who is funded, for how long, at what premium
    double budget = 0;            // Rp (subsidy)
    double per_village = 0;       // workers funded per village (village programme)
    double members = 0;           // workers covered (fixed-term cohort)
    int months = 0;               // months each cohort is funded
    double premium = kUnset;      // Rp per member per month; unset = model premium.<segment> (fixed-term: 0 where none)
    double retention = kUnset;    // share still paying when funding ends; unset = model funded_retention (varies by draw)

    double uplift = kUnset;       // outreach and regulation multipliers; unset = model default
    double agents = 0;            // number of agents
    double productivity = kUnset; // members per active agent per month; unset = model
    double active_share = kUnset; // share of agents active; unset = model
    double hazard = kUnset;       // enforcement hazard per month; unset = model
    double cost = 0;              // fixed cost in Rp (campaign, agents' fees)
    double cost_per_member = 0;   // Rp per member recruited (agents' commission)

    // Costs of the lever itself, counted in the funder's spend; unset = the model's value
    double commission = kUnset;            // agents: share of the recruits' contributions (agent_commission)
    double fee_per_agent = kUnset;         // agents: Rp per agent per month (agent_fee)
    double cost_per_region_month = kUnset; // outreach, regulation, enforcement (<kind>_cost)
    Funder funder = Funder::apbd_province; // village programmes: Dana Desa unless given
};

// A number an intervention table may give, its limits and the kinds that have it. The one table
// behind the scenario reader (the file, [variant] and [sweep] overrides) and the keys a study may
// vary, so both accept the same fields within the same limits. `months` is not here: it is a
// whole number that moves a funded programme's end date.
struct InterventionNumber {
    const char* name;
    double Intervention::* member;
    double min, max;
    const char* expected;                // what the error message asks for
    bool required;                       // must be given for the kinds that have it
    std::vector<InterventionKind> kinds; // empty = every kind
    bool applies_to(InterventionKind k) const;
};
const std::vector<InterventionNumber>& intervention_numbers();

struct Target {
    double overall = kUnset;               // share, e.g. 0.5717
    std::map<std::string, double> regions; // per-region targets (code -> share); others use overall
};

// One runnable what-if: the base scenario with a variant's (and a sweep point's) overrides applied.
// A model parameter that takes another value from a date on (a trend that changed, a shock): the
// model's value holds before it. Only the parameters the flows read every step may change
// (changeable_parameter).
struct ParameterChange {
    std::string key; // "replacement.formal"
    Date from;
    double value = 0;
};
bool changeable_parameter(const std::string& key);

// A regional multiplier on a model parameter: in the regions with `code` or within it, the
// parameter is `factor` x its value (a province's own trend around the national one). Only
// replacement.<segment> varies by region.
struct RegionFactor {
    std::string key; // "replacement.formal"
    std::string code;
    double factor = 1;
};

struct Variant {
    std::string name;
    std::string description;
    Model model; // with the scenario's and the variant's parameter overrides
    std::vector<Intervention> interventions; // only the enabled ones
    std::vector<ParameterChange> changes;    // in date order
    std::vector<RegionFactor> factors;
};

struct Scenario {
    std::string path;
    std::string name;
    std::string title;
    BoundaryOptions boundaries;
    StatisticsOptions statistics;
    ContiguityOptions contiguity; // for spill-over between neighbours
    Period period;
    Target target;
    std::uint64_t seed = 1;
    int draws = 1000;
    Mode mode = Mode::stochastic;
    bool vary_parameters = true; // run.uncertainty = "parameters" (default) or "none"
    std::vector<Variant> variants; // at least one
    std::vector<Intervention> declared; // every intervention as written, before variant overrides
    std::vector<std::string> input_files; // every file read, for the manifest
};

// Reads, checks and resolves a scenario file. Paths in it are relative to the file. Structural
// problems throw ScenarioError (exit code 4) naming file:line:column and the key path, with the
// nearest key for a misspelt one; warnings (values outside the plausible range) go to `notes`.
// Region selectors and per-region targets are checked against the regions by check_against().
Scenario load_scenario(const std::string& path, Diagnostics& notes);

// Checks selectors and targets against the region codes of the data (ScenarioError on a selector
// that matches nothing, a level the layer does not have or a code that does not exist, saying how
// the layer's codes nest, with "did you mean").
void check_against(const Scenario& scenario, const RegionTable& regions);

// Indices of the regions a selector picks, in region order.
std::vector<std::uint32_t> select_regions(const RegionSelector& selector, const RegionTable& regions);

} // namespace cakupan
