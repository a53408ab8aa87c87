// What the levers cost and who pays: agents' commission and fee, campaigns' cost per region and
// month, spend by funder, the Dana Desa rule, and budgets the eligible pool cannot absorb.
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/engine/engine.hpp"
#include "cakupan/engine/simulation.hpp"
#include "cakupan/run/run_output.hpp"
#include "engine_support.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace cakupan {
namespace {

using test::scenario_file;
using test::source;

const test::Loaded& costs() {
    static const auto l = test::load(scenario_file("engine_costs.toml"));
    return *l;
}

std::size_t intervention(const VariantResult& v, const std::string& name) {
    for (std::size_t i = 0; i < v.intervention_names.size(); ++i)
        if (v.intervention_names[i] == name) return i;
    throw std::runtime_error("no intervention " + name);
}

// engine_costs.toml: 10 agents, all active, 10 recruits each a month in one kab/kota. Each month
// the commission is 7.5% of Rp16,800 on everyone recruited so far, and the fee Rp100,000 a agent.
TEST(Costs, AgentsCommissionAndFeeByHand) {
    const auto& l = costs();
    const Trajectory t = l.engine->trace(l.variant("agents"), 0, Mode::expected, 1);
    ASSERT_EQ(t.intervention_cost.size(), 7u);
    double total = 0;
    for (std::size_t k = 0; k < t.intervention_cost.size(); ++k) {
        const double recruits = t.flows[k].col(static_cast<int>(Lever::agents)).sum();
        ASSERT_NEAR(recruits, 100, 1e-9) << "the premise: 100 recruits a month, step " << k;
        const double expected = 0.075 * 16800 * 100.0 * static_cast<double>(k + 1) + 100000.0 * 10;
        EXPECT_NEAR(t.intervention_cost[k][0], expected, 1e-6) << "step " << k;
        total += t.intervention_cost[k][0];
    }
    EXPECT_NEAR(total, 3528000.0 + 7000000.0, 1e-6);
    // The lever's own costs are not in the spend by region, which keeps what the scenario states.
    for (const auto& s : t.spend) EXPECT_EQ(s.sum(), 0);

    const RunResult r = test::run(l, Mode::expected, 1);
    const VariantResult& v = r.variants[l.variant("agents")];
    EXPECT_NEAR(v.intervention_cost_mean[0], 10528000.0, 1e-6);
    EXPECT_NEAR(v.funder_spend_mean[static_cast<std::size_t>(Funder::csr_zakat)], 10528000.0, 1e-6);
    EXPECT_EQ(v.funder_spend_mean[static_cast<std::size_t>(Funder::apbd_province)], 0);
}

// The bonus is paid for each active agent in a month when recruits per active agent reach the
// threshold (50): 10 agents x 60 recruits a month earn it, x 10 do not (above).
TEST(Costs, AgentsBonusAtTheThreshold) {
    const auto& l = costs();
    Simulation sim(l.in);
    Settings s;
    s.variant = "agents";
    s.interventions = {{"agents", "productivity", 60}};
    const RunResult r = sim.evaluate(s, 1);
    const VariantResult& v = r.variants.front();
    // Commission on 600, 1,200, ... 4,200 members; fee; bonus Rp500,000 x 10 agents, 7 months.
    const double expected = 0.075 * 16800 * 600 * 28 + 100000.0 * 10 * 7 + 500000.0 * 10 * 7;
    EXPECT_NEAR(v.intervention_cost_mean[0], expected, 1e-3);
}

// Every cost belongs to one funder: the funders' spend adds up to the interventions' costs, step
// by step and in total, in both modes; campaign cost = Rp per region-month x regions x months.
TEST(Costs, FundersAddUpToTheInterventionsCosts) {
    const auto& l = costs();
    for (Mode mode : {Mode::expected, Mode::stochastic}) {
        SCOPED_TRACE(mode == Mode::expected ? "expected" : "stochastic");
        const RunResult r = test::run(l, mode, mode == Mode::expected ? 1 : 8, 2);
        const VariantResult& v = r.variants[l.variant("all")];
        const double by_funder = std::accumulate(v.funder_spend_mean.begin(), v.funder_spend_mean.end(), 0.0);
        const double by_intervention = std::accumulate(v.intervention_cost_mean.begin(), v.intervention_cost_mean.end(), 0.0);
        EXPECT_NEAR(by_funder, by_intervention, 1e-9 * by_funder);
        EXPECT_NEAR(v.intervention_step_cost_mean.sum(), by_funder, 1e-9 * by_funder);
        const std::size_t campaign = intervention(v, "campaign"), desa = intervention(v, "desa"),
                          agents = intervention(v, "agents");
        EXPECT_EQ(v.intervention_funders[campaign], Funder::apbd_province);
        EXPECT_EQ(v.intervention_funders[desa], Funder::dana_desa);
        EXPECT_EQ(v.intervention_funders[agents], Funder::csr_zakat);
        EXPECT_NEAR(v.intervention_cost_mean[campaign], 2000000.0 * 1 * 3, 1e-6);
        EXPECT_NEAR(v.funder_spend_mean[static_cast<std::size_t>(Funder::apbd_province)], 6000000.0, 1e-6);
        // Premiums are costs as before: the village programme's cost is its spend.
        EXPECT_GT(v.intervention_spend_mean[desa], 0);
        EXPECT_NEAR(v.funder_spend_mean[static_cast<std::size_t>(Funder::dana_desa)], v.intervention_spend_mean[desa],
                    1e-9 * v.intervention_spend_mean[desa]);
        EXPECT_EQ(v.funder_spend_mean[static_cast<std::size_t>(Funder::apbd_kabkota)], 0);
    }
}

// The costs change nothing else: workers are conserved with every lever of the costs scenario.
TEST(Costs, ConservationHolds) {
    const auto& l = costs();
    test::expect_conserved(l, l.variant("all"), Mode::expected, 0);
    test::expect_conserved(l, l.variant("all"), Mode::stochastic, 3);
}

// engine_budget.toml: Rp10 trillion from the first day buys more than the 42,704 vulnerable
// workers there is room for below saturation; the rest cannot be spent, from the first month.
TEST(Exhaustion, BudgetAbovePoolIsReportedWithAmountAndMonth) {
    const auto l = test::load(scenario_file("engine_budget.toml"));
    const double per_member = 16800.0 * 12;
    const double unspent = (std::floor(1e13 / per_member) - 42704) * per_member;
    for (Mode mode : {Mode::expected, Mode::stochastic}) {
        SCOPED_TRACE(mode == Mode::expected ? "expected" : "stochastic");
        const RunResult r = test::run(*l, mode, mode == Mode::expected ? 1 : 4);
        const Exhaustion& e = r.variants[l->variant("everyone")].exhaustion[0];
        EXPECT_EQ(e.step, 0);
        EXPECT_EQ(e.share_of_draws, 1.0);
        EXPECT_EQ(e.budget, 1e13);
        EXPECT_NEAR(e.unspent, unspent, 1e-3);
        const Exhaustion& fits = r.variants[l->variant("apbd")].exhaustion[0];
        EXPECT_EQ(fits.step, -1);
        EXPECT_EQ(fits.unspent, 0);
        const auto lines = budget_warnings(l->in, r);
        ASSERT_EQ(lines.size(), 1u);
        EXPECT_EQ(lines[0], l->in.scenario.path + ": variant everyone, intervention everyone: Rp" +
                                std::string("9,991,390,752,000") +
                                " of Rp10,000,000,000,000 cannot be spent: eligible workers exhausted from 2025-06");
    }
}

// Babel 2025: the subsidy starts on 1 July; a budget above Rp100,800 a member times the vulnerable
// workers there is room for below saturation then buys more than the pool.
TEST(Exhaustion, BabelSubsidyAboveThePool) {
    const auto l = test::load(source("scenarios/babel-2025.toml"));
    const std::size_t v = l->variant("subsidy");
    const Trajectory t = l->engine->trace(v, 0, Mode::expected, 1);
    const Eigen::Index vs = l->segment("vulnerable");
    const double saturation = l->in.scenario.variants[v].model.value("saturation.vulnerable");
    double pool = 0; // at the start of July
    for (Eigen::Index r = 0; r < t.never[1].rows(); ++r) {
        const double covered = t.active[1](r, vs) + t.funded[1](r, vs);
        const double workers = covered + t.never[1](r, vs) + t.lapsed[1](r, vs);
        pool += std::min(t.never[1](r, vs) + t.lapsed[1](r, vs), std::floor(saturation * workers - covered));
    }
    EXPECT_GT(pool, 10000);
    Simulation sim(l->in);
    for (double budget : {std::floor(0.9 * pool) * 100800, std::floor(pool + 1000) * 100800}) {
        SCOPED_TRACE(budget);
        Settings s;
        s.variant = "subsidy";
        s.interventions = {{"apbd", "budget", budget}};
        const RunResult r = sim.evaluate(s, 1);
        const Exhaustion& e = r.variants.front().exhaustion[intervention(r.variants.front(), "apbd")];
        if (budget < pool * 100800) {
            EXPECT_EQ(e.step, -1);
            continue;
        }
        EXPECT_EQ(e.step, 1);
        EXPECT_EQ(to_string(r.calendar.boundaries[1]), "2025-07-01");
        EXPECT_NEAR(e.unspent, (std::floor(budget / 100800) - pool) * 100800, 1e-3);
    }
}

// ---- funders in the scenario file ------------------------------------------------------------

std::string load_error(const std::string& interventions) {
    test::TempDir dir;
    const std::string path = dir / "funders.toml";
    test::spit(path, "[scenario]\nname = \"funders\"\n\n[data]\nboundaries = \"" + source("geodata/boundaries/babel_19.gpkg") +
                         "\"\nlayer = \"kabkota\"\nstatistics = \"" + source("geodata/statistics/babel_kabkota_2025-06.csv") +
                         "\"\n\n[period]\nstart = 2025-06-01\nend = 2025-12-31\n\n[target]\ncoverage = 0.5\n\n" + interventions);
    Diagnostics notes;
    try {
        (void)load_scenario(path, notes);
    } catch (const ScenarioError& e) {
        std::string msg = e.what();
        return msg.rfind(path, 0) == 0 ? msg.substr(path.size()) : msg;
    }
    return "";
}

TEST(Funders, DanaDesaPaysOnlyVillageProgrammes) {
    EXPECT_EQ(load_error("[intervention.apbd]\ntype = \"subsidy\"\nstart = 2025-07-01\nmonths = 6\nbudget = 1e9\n"
                         "funder = \"dana_desa\"\n"),
              ":21:10: intervention.apbd.funder: Dana Desa may fund only village programmes, not a subsidy; choose "
              "apbd_province, apbd_kabkota or csr_zakat");
    EXPECT_EQ(load_error("[intervention.desa]\ntype = \"village_programme\"\nstart = 2025-07-01\nmonths = 6\nper_village = 10\n"
                         "funder = \"dana_desa\"\n"),
              "");
}

TEST(Funders, UnknownFunderNamesTheNearest) {
    EXPECT_EQ(load_error("[intervention.walk]\ntype = \"outreach\"\nstart = 2025-07-01\nfunder = \"apbd_provnce\"\n"),
              ":19:10: intervention.walk.funder: 'apbd_provnce' is not a funder (did you mean 'apbd_province'?); funders: "
              "apbd_province, apbd_kabkota, dana_desa, csr_zakat");
}

TEST(Funders, DefaultsByType) {
    Diagnostics notes;
    const Scenario sc = load_scenario(scenario_file("engine_costs.toml"), notes);
    for (const auto& iv : sc.declared) {
        const Funder expected = iv.name == "agents"                              ? Funder::csr_zakat
                                : iv.kind == InterventionKind::village_programme ? Funder::dana_desa
                                                                                 : Funder::apbd_province;
        EXPECT_EQ(iv.funder, expected) << iv.name;
    }
}

} // namespace
} // namespace cakupan
