// Checks shared by the engine tests: conservation of workers in every step, and two results that
// must be the same to the bit.
#pragma once

#include "cakupan/engine/engine.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

namespace cakupan::test {

inline const Loaded& babel2025() {
    static const auto l = load(source("scenarios/babel-2025.toml"));
    return *l;
}

// ---- conservation ----------------------------------------------------------------------------

// never + active + funded + lapsed = workers for every step, region and segment (exactly for
// whole persons in stochastic mode, to 1e-9 relative in expected mode); nothing negative; members
// only leave `never`; and the change in covered members (active + funded) of a region over a step
// equals the members the levers added minus those lost.
inline void expect_conserved(const Loaded& l, std::size_t variant, Mode mode, std::uint64_t draw, bool vary = false) {
    const bool stochastic = mode == Mode::stochastic;
    SCOPED_TRACE(l.in.scenario.variants[variant].name + (stochastic ? " draw " + std::to_string(draw) : " expected") +
                 (vary ? " (parameters drawn)" : ""));
    const Trajectory t = l.engine->trace(variant, draw, mode, l.in.scenario.seed, vary);
    const std::size_t steps = l.engine->calendar().steps();
    ASSERT_EQ(t.never.size(), steps + 1);
    ASSERT_EQ(t.active.size(), steps + 1);
    ASSERT_EQ(t.funded.size(), steps + 1);
    ASSERT_EQ(t.lapsed.size(), steps + 1);
    ASSERT_EQ(t.flows.size(), steps);
    ASSERT_EQ(t.spend.size(), steps);
    const Eigen::ArrayXXd workers = make_engine_data(l.in).workers; // whole persons in the statistics
    const Eigen::Index R = workers.rows(), S = workers.cols();

    std::size_t bad_sum = 0, negative = 0, fractional = 0, never_up = 0, bad_flow = 0;
    std::string first;
    auto note = [&](std::size_t& counter, const std::string& what) {
        if (counter++ == 0 && first.empty()) first = what;
    };
    for (std::size_t k = 0; k <= steps; ++k)
        for (Eigen::Index r = 0; r < R; ++r)
            for (Eigen::Index s = 0; s < S; ++s) {
                const double n = t.never[k](r, s), a = t.active[k](r, s), f = t.funded[k](r, s), lp = t.lapsed[k](r, s);
                const double w = workers(r, s), sum = n + a + f + lp;
                std::ostringstream at;
                at.precision(17);
                at << "step " << k << " region " << l.in.regions.ids[static_cast<std::size_t>(r)] << " segment " << s
                   << ": never " << n << " active " << a << " funded " << f << " lapsed " << lp << " sum " << sum << " workers "
                   << w;
                if (stochastic ? sum != w : std::abs(sum - w) > 1e-9 * w) note(bad_sum, at.str());
                if (n < 0 || a < 0 || f < 0 || lp < 0) note(negative, at.str());
                if (stochastic && (n != std::floor(n) || a != std::floor(a) || f != std::floor(f) || lp != std::floor(lp)))
                    note(fractional, at.str());
                if (k > 0 && t.never[k](r, s) > t.never[k - 1](r, s) + (stochastic ? 0 : 1e-9 * w)) note(never_up, at.str());
            }
    for (std::size_t k = 0; k < steps; ++k)
        for (Eigen::Index r = 0; r < R; ++r) {
            const double before = (t.active[k].row(r) + t.funded[k].row(r)).sum();
            const double after = (t.active[k + 1].row(r) + t.funded[k + 1].row(r)).sum();
            double net = 0;
            for (int lever = 0; lever < kLeverCount; ++lever)
                net += (is_loss(static_cast<Lever>(lever)) ? -1 : 1) * t.flows[k](r, lever);
            const double tol = stochastic ? 0 : 1e-9 * workers.row(r).sum();
            if (std::abs(after - before - net) > tol) {
                std::ostringstream at;
                at.precision(17);
                at << "step " << k << " region " << r << ": covered " << before << " -> " << after << " but flows net " << net;
                note(bad_flow, at.str());
            }
            for (int lever = 0; lever < kLeverCount; ++lever)
                if (t.flows[k](r, lever) < 0)
                    note(negative, "negative flow " + std::string(to_string(static_cast<Lever>(lever))));
        }
    EXPECT_EQ(bad_sum, 0u) << "never + active + funded + lapsed != workers; first: " << first;
    EXPECT_EQ(negative, 0u) << "negative state or flow; first: " << first;
    EXPECT_EQ(fractional, 0u) << "stochastic state not whole persons; first: " << first;
    EXPECT_EQ(never_up, 0u) << "never-covered grew; first: " << first;
    EXPECT_EQ(bad_flow, 0u) << "flows do not explain the change in covered members; first: " << first;
}

inline void expect_identical(const Eigen::ArrayXXd& a, const Eigen::ArrayXXd& b, const char* what) {
    ASSERT_EQ(a.rows(), b.rows()) << what;
    ASSERT_EQ(a.cols(), b.cols()) << what;
    EXPECT_TRUE((a == b).all()) << what << " differs; max |diff| " << (a - b).abs().maxCoeff();
}

inline void expect_identical(const VariantResult& a, const VariantResult& b) {
    SCOPED_TRACE(a.name);
    EXPECT_EQ(a.name, b.name);
    expect_identical(a.mean, b.mean, "mean");
    expect_identical(a.p5, b.p5, "p5");
    expect_identical(a.p50, b.p50, "p50");
    expect_identical(a.p95, b.p95, "p95");
    expect_identical(a.overall_mean, b.overall_mean, "overall_mean");
    expect_identical(a.overall_p5, b.overall_p5, "overall_p5");
    expect_identical(a.overall_p50, b.overall_p50, "overall_p50");
    expect_identical(a.overall_p95, b.overall_p95, "overall_p95");
    EXPECT_EQ(a.overall_end, b.overall_end);
    expect_identical(a.region_probability, b.region_probability, "region_probability");
    EXPECT_EQ(a.overall_probability, b.overall_probability);
    expect_identical(a.lever_mean, b.lever_mean, "lever_mean");
    expect_identical(a.lever_step_mean, b.lever_step_mean, "lever_step_mean");
    expect_identical(a.spend_mean, b.spend_mean, "spend_mean");
    EXPECT_EQ(a.intervention_spend_mean, b.intervention_spend_mean);
    EXPECT_EQ(a.intervention_names, b.intervention_names);
    EXPECT_EQ(a.intervention_cost_mean, b.intervention_cost_mean);
    expect_identical(a.intervention_step_cost_mean, b.intervention_step_cost_mean, "intervention_step_cost_mean");
    EXPECT_EQ(a.funder_spend_mean, b.funder_spend_mean);
    ASSERT_EQ(a.exhaustion.size(), b.exhaustion.size());
    for (std::size_t i = 0; i < a.exhaustion.size(); ++i) {
        EXPECT_EQ(a.exhaustion[i].unspent, b.exhaustion[i].unspent) << i;
        EXPECT_EQ(a.exhaustion[i].step, b.exhaustion[i].step) << i;
    }
    expect_identical(a.workers, b.workers, "workers");
}

} // namespace cakupan::test
