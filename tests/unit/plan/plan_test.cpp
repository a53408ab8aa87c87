// Plans: file errors with file:line:column, the minimum spend against a brute-force sweep, the
// allocation against proportional and equal splits, infeasible targets, pool exhaustion, the same
// bytes on any thread count, and the written scenario reproducing the plan's numbers.
#include "cakupan/common/error.hpp"
#include "cakupan/plan/run_plan.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace cakupan;

namespace {

const std::string kPlans = std::string(CAKUPAN_TEST_DATA_DIR) + "/plans/";
const std::string kRepoPlans = std::string(CAKUPAN_SOURCE_DIR) + "/plans/";
const std::string kScenario = std::string(CAKUPAN_SOURCE_DIR) + "/scenarios/babel-2025.toml";

fs::path temp_path(const std::string& name) { return fs::temp_directory_path() / ("cakupan_plan_" + name + "_" + std::to_string(::getpid())); }

std::string write_plan(const std::string& name, const std::string& body) {
    const fs::path p = temp_path(name + ".toml");
    std::ofstream(p) << body;
    return p.string();
}

const std::string kHead = "[plan]\nscenario = \"" + kScenario + "\"\nvariant = \"baseline\"\ngoal = \"minimum_spend\"\n";
const std::string kLever = "[lever.vulnerable]\nfrom = \"apbd\"\nmax = 10_000_000_000\n";

std::string error_of(const std::string& body) {
    const std::string path = write_plan("bad", body);
    try {
        Diagnostics notes;
        PlanProblem pb(load_plan(path), notes);
    } catch (const ScenarioError& e) {
        std::string m = e.what();
        const auto at = m.find(path);
        return at == std::string::npos ? m : m.replace(at, path.size(), "PLAN");
    }
    return "no error";
}

// One group for the whole test program: MPI starts once and ends at exit.
const ProcessGroup& group() {
    static const ProcessGroup g;
    return g;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST(PlanFile, ErrorsNameFileLineAndKey) {
    EXPECT_EQ(error_of(kHead + "draws = 100\nbudgte = 3\n" + kLever),
              "PLAN:6:10: plan.budgte: unknown key (did you mean 'budget'?); expected one of: name, title, scenario, variant, goal, "
              "requirement, measure, probability, target, budget, mode, draws, seed, uncertainty, steps");
    EXPECT_EQ(error_of(kHead + "[lever.vulnerable]\nfrom = \"apbd\"\n"), "PLAN:5:1: lever.vulnerable.max is missing");
    EXPECT_EQ(error_of(kHead + "[lever.vulnerable]\nfrom = \"apdb\"\nmax = 5\n"),
              "PLAN:5:1: lever.vulnerable.from: the scenario declares no intervention 'apdb' (did you mean 'apbd'?); "
              "interventions: pergub, apbd, agents, desa100");
    EXPECT_EQ(error_of(kHead + "[lever.vulnerable]\nfrom = \"apbd\"\namount = \"agents\"\nmax = 5\n"),
              "PLAN:5:1: lever.vulnerable.amount: a subsidy intervention has no agents");
    EXPECT_EQ(error_of(kHead + "probability = 1.5\n" + kLever),
              "PLAN:5:15: plan.probability = 1.5 is out of range: expected a probability from 0.01 to 0.99");
    EXPECT_EQ(error_of(kHead + kLever + "[[envelope]]\nfunder = \"csr\"\nyear = 2025\nmax = 1\n"),
              "PLAN:9:10: envelope[0].funder: no lever is paid by 'csr'");
    EXPECT_EQ(error_of(kHead + "[lever.agents]\ntype = 1\n"),
              "PLAN:6:8: lever.agents.type: unknown key; expected one of: from, intervention, amount, min, max, unit, fee, funder, regions");
    EXPECT_EQ(error_of(kHead + kLever + "regions = [[\"19.99\"]]\n"),
              "PLAN:5:1: lever.vulnerable.regions[0]: '19.99' is not a region the intervention covers; it covers: "
              "19.01, 19.02, 19.03, 19.04, 19.05, 19.06, 19.71");
}

// The minimum found by the greedy, the bisection and the exchange is within 2% of the least spend
// of a sweep over the vulnerable budget with, at each point, the least informal budget that meets
// the requirement (found by bisection in whole units: the requirement grows with that budget).
TEST(PlanSolve, MinimumSpendAgreesWithBruteForceSweep) {
    Diagnostics notes;
    const PlanProblem pb(load_plan(kPlans + "babel-two-levers.toml"), notes);
    const PlanAnswer a = solve_plan(pb, 2, group());
    ASSERT_TRUE(a.feasible);
    EXPECT_TRUE(meets_requirement(pb, a.chosen));
    EXPECT_TRUE(a.monotone);
    double best = std::numeric_limits<double>::infinity();
    for (double vulnerable = 0; vulnerable <= 9e9; vulnerable += 0.25e9) {
        auto feasible_at = [&](double informal) { return pb.evaluate({vulnerable, informal}, 2); };
        if (!meets_requirement(pb, feasible_at(14e9))) continue;
        double lo = 0, hi = 14e9; // informal: lo fails, hi meets
        if (meets_requirement(pb, feasible_at(0))) hi = 0;
        while (hi - lo > 1e7) {
            const double mid = std::round((lo + hi) / 2 / 1e7) * 1e7;
            (meets_requirement(pb, feasible_at(mid)) ? hi : lo) = mid;
        }
        best = std::min(best, feasible_at(hi).total_spend);
    }
    ASSERT_TRUE(std::isfinite(best));
    EXPECT_LE(a.chosen.total_spend, best * 1.02) << "solver " << a.chosen.total_spend << ", sweep " << best;
    EXPECT_GE(a.chosen.total_spend, best * 0.98) << "solver " << a.chosen.total_spend << ", sweep " << best;
    // The vulnerable workers' room below saturation on 1 July (about Rp4.3bn of premiums) bounds
    // what that subsidy can do: above it more budget adds nothing, and the summary says so.
    EXPECT_TRUE(a.saturated_why[0] == "pool empty" || a.saturated_why[0] == "no gain") << a.saturated_why[0];
    EXPECT_GT(a.saturated_spend[0], 3.5e9);
    EXPECT_LT(a.saturated_spend[0], 4.5e9);
    EXPECT_NE(plan_summary(pb, a, render::Lang::en).find("vulnerable: "), std::string::npos);
}

TEST(PlanSolve, InfeasibleTargetIsReportedWithTheBestReachable) {
    const std::string path = write_plan("infeasible", kHead + "target = 0.95\ndraws = 50\nsteps = 4\n" + kLever);
    Diagnostics notes;
    const PlanProblem pb(load_plan(path), notes);
    const PlanAnswer a = solve_plan(pb, 2, group());
    EXPECT_FALSE(a.feasible);
    EXPECT_EQ(a.chosen.probability, 0);
    const std::string s = plan_summary(pb, a, render::Lang::en);
    EXPECT_NE(s.find("OUT OF REACH"), std::string::npos) << s;
    EXPECT_NE(s.find("best reachable: median"), std::string::npos) << s;
    EXPECT_NE(s.find("with that plan the median"), std::string::npos) << s; // the date it would be reached, or that it is not
    EXPECT_NE(plan_summary(pb, a, render::Lang::id).find("TIDAK TERCAPAI"), std::string::npos);
}

// The acceptance plan for Babel: never worse than either split of the same budget, within it.
TEST(PlanSolve, BabelAllocationBeatsProportionalAndEqualSplits) {
    PlanConfig c;
    c.plan = kRepoPlans + "babel-2025-allocate.toml";
    c.out = temp_path("allocate").string();
    c.draws = 100;
    c.force = true;
    const PlanOutcome o = run_plan(c, group());
    const auto& a = o.answer;
    ASSERT_EQ(a.baselines.size(), 2u);
    // Its measure is the lowest kab/kota's median: higher than either split of the same budget gives.
    EXPECT_GT(a.chosen.lowest_region, std::max(a.baselines[0].second.lowest_region, a.baselines[1].second.lowest_region));
    EXPECT_LE(a.chosen.total_spend, 10e9);
    EXPECT_TRUE(within_budget(*o.problem, a.chosen));
    fs::remove_all(c.out);
}

// The written scenario, run as `cakupan run` would, gives the plan's numbers; and the plan's
// bytes do not depend on the thread count.
TEST(PlanRun, ScenarioReproducesThePlanAndBytesDoNotDependOnThreads) {
    PlanConfig c;
    c.plan = kPlans + "babel-two-levers.toml";
    c.figures = false;
    c.force = true;
    c.out = temp_path("one").string();
    c.threads = 1;
    const PlanOutcome one = run_plan(c, group());
    c.out = temp_path("two").string();
    c.threads = 2;
    const PlanOutcome two = run_plan(c, group());
    for (const char* f : {"plan.json", "frontier.csv", "summary.txt"})
        EXPECT_EQ(slurp(temp_path("one") / f), slurp(temp_path("two") / f)) << f;

    Diagnostics notes;
    const Simulation sim = Simulation::load((temp_path("two") / "scenario.toml").string(), notes);
    const auto& sc = sim.inputs().scenario;
    RunOptions ro;
    ro.mode = sc.mode;
    ro.draws = sc.draws;
    ro.seed = sc.seed;
    ro.vary_parameters = sc.vary_parameters;
    ro.region_series = false;
    const RunResult r = sim.run(ro);
    ASSERT_EQ(r.variants.size(), 2u);
    const auto& plan = r.variants[1];
    EXPECT_EQ(plan.name, "plan");
    EXPECT_EQ(plan.overall_probability, two.answer.chosen.probability);
    EXPECT_EQ(plan.overall_p50[plan.overall_p50.size() - 1], two.answer.chosen.median);
    EXPECT_NEAR(plan.spend_mean.sum(), two.answer.chosen.total_spend, 1e-6 * two.answer.chosen.total_spend);
    fs::remove_all(temp_path("one"));
    fs::remove_all(temp_path("two"));
}

// A campaign's months are a decision: outreach in every kab/kota from 1 July costs the model's
// Rp5,000,000 per region and month (7 regions: Rp35,000,000 a month), so Rp100,000,000 buys two
// whole months, not three; they raise the median, and the written scenario runs them.
TEST(PlanSolve, CampaignMonthsAreADecision) {
    const std::string path = write_plan("months", "[plan]\nscenario = \"" + kScenario +
                                                      "\"\nvariant = \"baseline\"\ngoal = \"maximise\"\nmeasure = \"median\"\n"
                                                      "budget = 100_000_000\nmode = \"expected\"\nsteps = 6\n\n[lever.sosialisasi]\nmax = 6\n"
                                                      "[lever.sosialisasi.intervention]\ntype = \"outreach\"\nstart = 2025-07-01\nregions = \"19\"\n");
    Diagnostics notes;
    const PlanProblem pb(load_plan(path), notes);
    const PlanAnswer a = solve_plan(pb, 2, group());
    ASSERT_EQ(a.chosen.x.size(), 1u);
    EXPECT_EQ(a.chosen.x[0], 2);
    EXPECT_NEAR(a.chosen.total_spend, 70e6, 1e-3);
    const Candidate none = pb.evaluate({0}, 1);
    EXPECT_EQ(none.total_spend, 0);
    EXPECT_GT(a.chosen.median, none.median);
    const std::string text = pb.scenario_text(a.chosen.x, "");
    EXPECT_NE(text.find("months = 2"), std::string::npos) << text;
    // The written scenario reads the campaign's two months back as its end, and runs them.
    const fs::path written = temp_path("months_scenario.toml");
    std::ofstream(written) << text;
    Diagnostics read_notes;
    const Simulation sim = Simulation::load(written.string(), read_notes);
    const auto& planned = sim.inputs().scenario.variants.back();
    ASSERT_EQ(planned.name, "plan");
    const auto iv = std::find_if(planned.interventions.begin(), planned.interventions.end(),
                                 [](const Intervention& i) { return i.name == "sosialisasi"; });
    ASSERT_NE(iv, planned.interventions.end());
    EXPECT_EQ(to_string(iv->end), "2025-08-31");
    fs::remove(written);
}

// The acceptance plans run. Babel's 57.17% is out of reach this year with these levers: both
// subsidies run out of workers below saturation (their pools are empty), and the plan says so with
// the best it can reach. Jatim's allocation is never worse than either split.
TEST(PlanAcceptance, BabelMinimumIsOutOfReachAndSaysWhy) {
    PlanConfig c;
    c.plan = kRepoPlans + "babel-2025-minimum.toml";
    c.out = temp_path("babel_minimum").string();
    c.draws = 200;
    c.force = true;
    c.figures = false;
    const PlanOutcome o = run_plan(c, group());
    const auto& a = o.answer;
    EXPECT_FALSE(a.feasible);
    EXPECT_LT(a.chosen.median, 0.5717);
    EXPECT_GT(a.chosen.median, 0.45); // the levers still add a lot: the baseline ends near 29%
    EXPECT_EQ(a.saturated_why[0], "pool empty"); // vulnerable
    EXPECT_TRUE(a.saturated_why[1] == "pool empty" || a.saturated_why[1] == "no gain") << a.saturated_why[1]; // informal
    const std::string s = plan_summary(*o.problem, a, render::Lang::en);
    EXPECT_NE(s.find("OUT OF REACH"), std::string::npos) << s;
    EXPECT_NE(s.find("the pool of eligible workers is empty"), std::string::npos) << s;
    fs::remove_all(c.out);
}

TEST(PlanAcceptance, JatimAllocationIsNeverWorseThanEitherSplit) {
    PlanConfig c;
    c.plan = kRepoPlans + "jatim-2025-allocate.toml";
    c.out = temp_path("jatim").string();
    c.draws = 50;
    c.force = true;
    c.figures = false;
    const PlanOutcome o = run_plan(c, group());
    const auto& a = o.answer;
    ASSERT_EQ(a.baselines.size(), 2u);
    for (const auto& [name, b] : a.baselines) EXPECT_GE(a.chosen.regions_at_target, b.regions_at_target) << name;
    EXPECT_TRUE(within_budget(*o.problem, a.chosen));
    EXPECT_EQ(o.problem->variables().size(), 38u);
    fs::remove_all(c.out);
}

// The frontier runs from nothing to where more money buys nothing: spend and median rise along it,
// and it stops with every lever saturated or at its ceiling.
TEST(PlanSolve, FrontierRisesUntilMoneyBuysNothing) {
    const std::string path = write_plan("frontier", "[plan]\nscenario = \"" + kScenario +
                                                        "\"\nvariant = \"baseline\"\ngoal = \"frontier\"\ndraws = 50\nsteps = 5\n" + kLever);
    Diagnostics notes;
    const PlanProblem pb(load_plan(path), notes);
    const PlanAnswer a = solve_plan(pb, 2, group());
    ASSERT_GE(a.path.size(), 3u);
    EXPECT_EQ(a.path.front().total_spend, 0);
    for (std::size_t k = 1; k < a.path.size(); ++k) {
        EXPECT_GT(a.path[k].total_spend, a.path[k - 1].total_spend);
        EXPECT_GT(a.path[k].median, a.path[k - 1].median);
    }
    // Rp10bn is more than the vulnerable pool absorbs: the last step was refused as buying nothing.
    EXPECT_EQ(a.saturated_why[0], "pool empty");
    EXPECT_LT(a.chosen.total_spend, 10e9);
    EXPECT_EQ(a.next_median[0], 0);
}
