// Simulation: inputs loaded once, any number of evaluations in process, each a pure function of
// (settings, seed), safe from several threads, and the same numbers as the whole run.
#include "cakupan/common/error.hpp"
#include "cakupan/engine/simulation.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

namespace cakupan {
namespace {

using test::scenario_file;

const Simulation& small() {
    static const Simulation sim = [] {
        Diagnostics notes;
        return Simulation::load(scenario_file("small.toml"), notes);
    }();
    return sim;
}

bool same(const VariantResult& a, const VariantResult& b) {
    return a.name == b.name && (a.mean == b.mean).all() && (a.overall_mean == b.overall_mean).all() &&
           (a.lever_mean == b.lever_mean).all() && (a.spend_mean == b.spend_mean).all() && a.overall_end == b.overall_end &&
           (a.p50.col(a.p50.cols() - 1) == b.p50.col(b.p50.cols() - 1)).all();
}

TEST(Simulation, AnEvaluationIsTheRunOfItsVariant) {
    const Simulation& sim = small();
    RunOptions ro;
    ro.mode = Mode::stochastic;
    ro.draws = 40;
    ro.seed = 11;
    ro.threads = 2;
    ro.region_series = false;
    const RunResult all = sim.run(ro);
    Settings s;
    s.variant = "combined";
    s.mode = Mode::stochastic;
    s.draws = 40;
    s.vary_parameters = true;
    const RunResult one = sim.evaluate(s, 11, 1);
    ASSERT_EQ(one.variants.size(), 1u);
    EXPECT_TRUE(same(one.variants[0], all.variants[1]));
    EXPECT_EQ(one.overall_target, all.overall_target);
}

TEST(Simulation, EvaluationsArePureAndThreadSafe) {
    const Simulation& sim = small();
    Settings s;
    s.variant = "combined";
    s.parameters = {{"lapse.informal", 0.04}};
    s.interventions = {{"apbd", "budget", 1'008'000'000}};
    s.mode = Mode::stochastic;
    s.draws = 20;
    const RunResult first = sim.evaluate(s, 5);
    std::vector<RunResult> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) threads.emplace_back([&, t] { results[t] = sim.evaluate(s, 5); });
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_TRUE(same(r.variants[0], first.variants[0]));
    // and a later evaluation with other settings left nothing behind
    const RunResult plain = sim.evaluate(Settings{}, 5);
    EXPECT_FALSE(same(plain.variants[0], first.variants[0]));
    EXPECT_TRUE(same(sim.evaluate(s, 5).variants[0], first.variants[0]));
}

// Budget arithmetic through settings: Rp1,008,000,000 at Rp16,800 for 6 months buys 10,000
// members (the file's budget buys 20,000), and the subsidy spends exactly that.
TEST(Simulation, InterventionSettingsReachThePlan) {
    const Simulation& sim = small();
    Settings s;
    s.variant = "combined";
    const auto subsidy = static_cast<Eigen::Index>(Lever::subsidy);
    const double file = sim.evaluate(s, 1).variants[0].lever_mean.col(subsidy).sum();
    s.interventions = {{"apbd", "budget", 1'008'000'000}};
    const RunResult half = sim.evaluate(s, 1);
    EXPECT_NEAR(file, 20'000, 1e-6);
    EXPECT_NEAR(half.variants[0].lever_mean.col(subsidy).sum(), 10'000, 1e-6);
    const auto& names = half.variants[0].intervention_names;
    const auto at = std::find(names.begin(), names.end(), "apbd") - names.begin();
    EXPECT_NEAR(half.variants[0].intervention_spend_mean[static_cast<std::size_t>(at)], 1'008'000'000, 1e-3);
}

std::string error_of(const Settings& s) {
    try {
        small().evaluate(s, 1);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

TEST(Simulation, UnknownNamesAndValuesOutsideTheLimitsAreRefused) {
    const std::string path = scenario_file("small.toml");
    Settings s;
    s.variant = "combind";
    EXPECT_EQ(error_of(s), path + ": settings: 'combind' is not a variant (did you mean 'combined'?); variants: baseline, combined");
    s = {};
    s.parameters = {{"lapse.informl", 0.02}};
    EXPECT_EQ(error_of(s).rfind(path + ": settings: parameters.lapse.informl: the model has no such parameter (did you mean 'lapse.informal'?)", 0), 0u)
        << error_of(s);
    s = {};
    s.variant = "combined";
    s.interventions = {{"apbd", "budgett", 1e9}};
    EXPECT_EQ(error_of(s).rfind(path + ": settings: intervention.apbd.budgett: no such number of a subsidy intervention (did you mean 'budget'?)", 0), 0u)
        << error_of(s);
    s.interventions = {{"apbd", "budget", -1}};
    EXPECT_NE(error_of(s).find("intervention.apbd.budget = -"), std::string::npos) << error_of(s);
    s.interventions = {{"agents", "budget", 1e9}};
    s.variant = "baseline";
    EXPECT_EQ(error_of(s), path + ": settings: intervention.agents.budget: variant baseline runs no intervention 'agents'");
}

} // namespace
} // namespace cakupan
