// Sensitivity estimators against analytic results: Sobol indices of the Ishigami, G and linear
// functions, Morris on a linear model, PRCC of monotone functions, tornado, summaries, and
// invariance under the OpenMP thread count.
#include <cakupan/sensitivity/indices.hpp>
#include <cakupan/sensitivity/test_functions.hpp>

#include "sensitivity_support.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace cakupan::sensitivity {
namespace {

using testing::evaluate;
using testing::message_of;

// ---- test functions ------------------------------------------------------------------------

TEST(SensitivityTestFunctions, IshigamiAnalyticIndices) {
    const auto f = ishigami();
    const double s1[] = {0.3139, 0.4424, 0}, st[] = {0.5576, 0.4424, 0.2437};
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(f.s1[k], s1[k], 5e-5) << k;
        EXPECT_NEAR(f.st[k], st[k], 5e-5) << k;
    }
    const double x[] = {std::numbers::pi / 2, std::numbers::pi / 2, 1};
    EXPECT_NEAR(f.evaluate(x), 1 + 7 + 0.1, 1e-12);
}

TEST(SensitivityTestFunctions, GFunctionAnalyticIndices) {
    // a = (0, 1): V1 = 1/3, V2 = 1/12, V = (4/3)(13/12) - 1 = 4/9.
    const auto f = sobol_g({0, 1});
    EXPECT_NEAR(f.s1[0], 0.75, 1e-12);
    EXPECT_NEAR(f.s1[1], 0.1875, 1e-12);
    EXPECT_NEAR(f.st[0], (1.0 / 3) * (13.0 / 12) / (4.0 / 9), 1e-12);
    EXPECT_NEAR(f.st[1], (1.0 / 12) * (4.0 / 3) / (4.0 / 9), 1e-12);
    EXPECT_EQ(message_of([] { make_test_function("ishigame", {}); }),
              "unknown test function 'ishigame'; expected ishigami, g-function or linear");
    EXPECT_EQ(message_of([] { make_test_function("g-function", {1, -2}); }),
              "g-function coefficients must be finite and >= 0, got -2");
    EXPECT_EQ(make_test_function("linear", {1, 2}).s1[1], 0.8);
}

// ---- Sobol indices -------------------------------------------------------------------------

// Ishigami at N = 8192: S1 and ST within 0.02 of the analytic values; the 95% bootstrap intervals
// (300 replicates) contain them.
TEST(SensitivitySobol, IshigamiFirstOrderAndTotal) {
    const auto f = ishigami();
    const SaltelliDesign design(3, {8192, false});
    const auto r = sobol(design, evaluate(f, design), {300, 0.95, 11});
    ASSERT_TRUE(r.nan_reason.empty());
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(r.s1[k], f.s1[k], 0.02) << "S1 of x" << k + 1;
        EXPECT_NEAR(r.st[k], f.st[k], 0.02) << "ST of x" << k + 1;
        EXPECT_LE(r.s1_ci[k].low, f.s1[k]) << k;
        EXPECT_GE(r.s1_ci[k].high, f.s1[k]) << k;
        EXPECT_LE(r.st_ci[k].low, f.st[k]) << k;
        EXPECT_GE(r.st_ci[k].high, f.st[k]) << k;
        EXPECT_LT(r.s1_ci[k].high - r.s1_ci[k].low, 0.1) << k;
    }
    EXPECT_NEAR(r.variance, 13.8446, 0.3); // a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
}

// Second order at N = 8192: S13 = ST3 = 0.2437 (x3 acts only with x1), S12 = S23 = 0, within 0.05.
TEST(SensitivitySobol, IshigamiSecondOrder) {
    const auto f = ishigami();
    const SaltelliDesign design(3, {8192, true});
    const auto r = sobol(design, evaluate(f, design), {200, 0.95, 3});
    EXPECT_NEAR(r.s2(0, 2), f.st[2], 0.05);
    EXPECT_NEAR(r.s2(0, 1), 0, 0.05);
    EXPECT_NEAR(r.s2(1, 2), 0, 0.05);
    EXPECT_TRUE(std::isnan(r.s2(1, 0))) << "only j < k is filled";
    EXPECT_LE(r.s2_low(0, 2), f.st[2]);
    EXPECT_GE(r.s2_high(0, 2), f.st[2]);
    // First order and total agree with the first-order-only design on the same rows.
    const SaltelliDesign first(3, {8192, false});
    const auto r1 = sobol(first, evaluate(f, first), {0, 0.95, 3});
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_DOUBLE_EQ(r.s1[k], r1.s1[k]);
        EXPECT_DOUBLE_EQ(r.st[k], r1.st[k]);
    }
    EXPECT_TRUE(r1.s1_ci.empty());
}

// G-function with a = (0, 1, 4.5, 9, 99, 99) at N = 8192: every S1 and ST within 0.02.
TEST(SensitivitySobol, GFunction) {
    const auto f = sobol_g({0, 1, 4.5, 9, 99, 99});
    const SaltelliDesign design(6, {8192, false});
    const auto r = sobol(design, evaluate(f, design), {200, 0.95, 5});
    for (std::size_t k = 0; k < 6; ++k) {
        EXPECT_NEAR(r.s1[k], f.s1[k], 0.02) << "S1 of x" << k + 1;
        EXPECT_NEAR(r.st[k], f.st[k], 0.02) << "ST of x" << k + 1;
        EXPECT_LE(r.st_ci[k].low, f.st[k]) << k;
        EXPECT_GE(r.st_ci[k].high, f.st[k]) << k;
    }
    // The order of importance is the order of the coefficients.
    EXPECT_GT(r.st[0], r.st[1]);
    EXPECT_GT(r.st[1], r.st[2]);
    EXPECT_GT(r.st[2], r.st[3]);
}

// A linear model is additive: S1 = ST = c^2 / sum c^2, within 0.001 at N = 4096.
TEST(SensitivitySobol, LinearModel) {
    const auto f = linear({1, -2, 3, 0.5});
    const SaltelliDesign design(4, {4096, false});
    const auto r = sobol(design, evaluate(f, design), {0});
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_NEAR(r.s1[k], f.s1[k], 0.001) << k;
        EXPECT_NEAR(r.st[k], f.st[k], 0.001) << k;
    }
}

TEST(SensitivitySobol, ConstantOutputGivesNanWithAReason) {
    const SaltelliDesign design(2, {64, true});
    const Eigen::VectorXd y = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(design.size()), 3.5);
    const auto r = sobol(design, y, {50});
    EXPECT_EQ(r.nan_reason, "the output does not vary (variance 0 over the A and B rows)");
    EXPECT_EQ(r.variance, 0);
    EXPECT_EQ(r.mean, 3.5);
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_TRUE(std::isnan(r.s1[k]));
        EXPECT_TRUE(std::isnan(r.st[k]));
        EXPECT_TRUE(std::isnan(r.s1_ci[k].low));
    }
    EXPECT_TRUE(std::isnan(r.s2(0, 1)));
}

TEST(SensitivitySobol, BadOutputsAreRejected) {
    const SaltelliDesign design(2, {8, false});
    Eigen::VectorXd y = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(design.size()));
    EXPECT_EQ(message_of([&] { sobol(design, Eigen::VectorXd(y.head(10))); }),
              "Sobol indices: expected 32 outputs (one per design point), got 10");
    y(7) = std::nan("");
    EXPECT_EQ(message_of([&] { sobol(design, y); }),
              "Sobol indices: the output of design point 7 is nan; every output must be finite");
}

// Vector outputs are estimated column by column; results are the same bytes with 1 and 2 threads.
TEST(SensitivitySobol, ColumnsAndThreadCountDoNotChangeResults) {
    const auto f = ishigami();
    const SaltelliDesign design(3, {512, true});
    Eigen::MatrixXd y(design.size(), 3);
    y.col(0) = evaluate(f, design);
    y.col(1) = evaluate(sobol_g({0, 1, 9}), design);
    y.col(2) = 2 * y.col(0).array() + 1;
    const SobolSettings settings{100, 0.9, 21};
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const auto one = sobol(design, y, settings);
    const auto single = sobol(design, Eigen::VectorXd(y.col(1)), settings);
    omp_set_num_threads(2);
    const auto two = sobol(design, y, settings);
    const auto single2 = sobol(design, Eigen::VectorXd(y.col(1)), settings);
    omp_set_num_threads(threads);
    ASSERT_EQ(one.size(), 3u);
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t k = 0; k < 3; ++k) {
            EXPECT_EQ(one[c].s1[k], two[c].s1[k]);
            EXPECT_EQ(one[c].st_ci[k].low, two[c].st_ci[k].low);
            EXPECT_EQ(one[c].st_ci[k].high, two[c].st_ci[k].high);
            EXPECT_EQ(one[1].s1_ci[k].low, single.s1_ci[k].low);
            EXPECT_EQ(single.s1_ci[k].high, single2.s1_ci[k].high);
        }
    EXPECT_EQ(one[0].s2_low(0, 2), two[0].s2_low(0, 2));
    // Indices are invariant under an affine change of the output (up to rounding).
    for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(one[2].s1[k], one[0].s1[k], 1e-12);
    // Another bootstrap seed moves the intervals, not the estimates.
    const auto other = sobol(design, Eigen::VectorXd(y.col(0)), {100, 0.9, 22});
    EXPECT_EQ(other.s1[0], one[0].s1[0]);
    EXPECT_NE(other.s1_ci[0].low, one[0].s1_ci[0].low);
}

// ---- Morris --------------------------------------------------------------------------------

TEST(SensitivityMorrisEffects, LinearModelGivesItsCoefficients) {
    const std::vector<double> c{2, -3, 0.5, 0};
    const auto f = linear(c);
    const MorrisDesign design(4, {20, 6}, 8);
    const auto e = morris(design, evaluate(f, design));
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_NEAR(e[k].mu_star, std::abs(c[k]), 1e-12) << k;
        EXPECT_NEAR(e[k].mu, c[k], 1e-12) << k;
        EXPECT_NEAR(e[k].sigma, 0, 1e-12) << k;
    }
}

TEST(SensitivityMorrisEffects, InteractionsShowInSigmaAndVectorOutputsPerElement) {
    // y0 = x1 x2: effects of x1 are x2 (varies, sigma > 0); y1 = 5 x3: mu* = 5.
    const MorrisDesign design(3, {30, 4}, 2);
    const Eigen::MatrixXd u = design.matrix();
    Eigen::MatrixXd y(u.rows(), 2);
    y.col(0) = u.col(0).cwiseProduct(u.col(1));
    y.col(1) = 5 * u.col(2);
    const auto e = morris(design, y);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_GT(e[0][0].sigma, 0.05);
    EXPECT_NEAR(e[0][2].mu_star, 0, 1e-15);
    EXPECT_NEAR(e[1][2].mu_star, 5, 1e-12);
    EXPECT_NEAR(e[1][0].mu_star, 0, 1e-15);
    const auto alone = morris(design, Eigen::VectorXd(y.col(0)));
    EXPECT_EQ(alone[0].sigma, e[0][0].sigma);
    // mu* of x1 for x1 x2 is the mean of x2 over the trajectories' points, within (0, 1).
    EXPECT_GT(e[0][0].mu_star, 0.1);
    EXPECT_LT(e[0][0].mu_star, 0.9);
}

// ---- LHS: summaries and PRCC ---------------------------------------------------------------

TEST(SensitivityPrcc, MonotoneFunctionsRankCorrelateFully) {
    const LhsDesign design(500, 3, 17);
    const Eigen::MatrixXd u = design.matrix();
    // y depends on x1 only, monotonically: PRCC 1, the other two have nothing left to explain.
    const Eigen::VectorXd y1 = u.col(0).array().exp();
    const auto p1 = prcc(u, y1);
    EXPECT_DOUBLE_EQ(p1[0].value, 1);
    EXPECT_EQ(p1[0].ci.low, 1);
    EXPECT_EQ(p1[1].nan_reason, "the output's ranks are a linear function of the other parameters' ranks");
    // Monotone in x1 (strongly) and x2 (decreasing), not in x3.
    const Eigen::VectorXd y2 = (5 * u.col(0)).array().exp() - 20 * u.col(1).array();
    const auto p2 = prcc(u, y2);
    EXPECT_GT(p2[0].value, 0.95);
    EXPECT_LT(p2[1].value, -0.5);
    EXPECT_LT(std::abs(p2[2].value), 0.1);
    EXPECT_LT(p2[2].ci.low, 0);
    EXPECT_GT(p2[2].ci.high, 0);
    EXPECT_LT(p2[0].p_value, 1e-10);
    EXPECT_GT(p2[2].p_value, 0.01);
    // Ranks do not change under increasing maps: parameter values give the same PRCC as u.
    const Eigen::MatrixXd x = u.array().pow(3) * 10 - 4;
    EXPECT_EQ(prcc(x, y2)[1].value, p2[1].value);
    // Fisher z interval: tanh(atanh(r) +- 1.96 / sqrt(n - d - 2)).
    const double z = std::atanh(p2[1].value), half = 1.959963984540054 / std::sqrt(500.0 - 3 - 2);
    EXPECT_NEAR(p2[1].ci.low, std::tanh(z - half), 1e-9);
    EXPECT_NEAR(p2[1].ci.high, std::tanh(z + half), 1e-9);
}

TEST(SensitivityPrcc, ConstantOutputAndTooFewPoints) {
    const LhsDesign design(20, 2, 1);
    const auto p = prcc(design.matrix(), Eigen::VectorXd::Zero(20));
    EXPECT_EQ(p[0].nan_reason, "the output does not vary");
    EXPECT_TRUE(std::isnan(p[0].value));
    EXPECT_EQ(message_of([] { prcc(Eigen::MatrixXd::Zero(4, 2), Eigen::VectorXd::Zero(4)); }),
              "PRCC of 2 parameters needs at least 5 points, got 4");
}

TEST(SensitivitySummary, MeanSdAndPercentiles) {
    Eigen::VectorXd y(5);
    y << 4, 1, 3, 2, 5;
    const auto s = summarise(y);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_DOUBLE_EQ(s.sd, std::sqrt(2.5));
    EXPECT_DOUBLE_EQ(s.p50, 3);
    EXPECT_DOUBLE_EQ(s.p5, 1.2);  // 0.05 * 4 = 0.2 of the way from 1 to 2
    EXPECT_DOUBLE_EQ(s.p95, 4.8);
    EXPECT_DOUBLE_EQ(percentile({10, 0}, 0.25), 2.5);
    // An LHS of a uniform on [0, 1] has its mean and quantiles close to the exact ones.
    const LhsDesign design(1000, 1, 4);
    const auto u = summarise(Eigen::VectorXd(design.matrix().col(0)));
    EXPECT_NEAR(u.mean, 0.5, 1e-3);
    EXPECT_NEAR(u.p5, 0.05, 1e-3);
    EXPECT_NEAR(u.p95, 0.95, 1e-3);
    EXPECT_NEAR(u.sd, std::sqrt(1.0 / 12), 1e-3);
}

// ---- tornado -------------------------------------------------------------------------------

TEST(SensitivityTornado, BarsSortedBySwing) {
    const auto f = linear({1, -4, 2});
    const OatDesign design(3, {0.5, 0, 1});
    const auto t = tornado(design, evaluate(f, design));
    EXPECT_DOUBLE_EQ(t.base, 0.5 * (1 - 4 + 2));
    ASSERT_EQ(t.bars.size(), 3u);
    EXPECT_EQ(t.bars[0].parameter, 1u);
    EXPECT_DOUBLE_EQ(t.bars[0].low, 0.5 + 0 + 1);
    EXPECT_DOUBLE_EQ(t.bars[0].high, 0.5 - 4 + 1);
    EXPECT_DOUBLE_EQ(t.bars[0].swing, 4);
    EXPECT_EQ(t.bars[1].parameter, 2u);
    EXPECT_EQ(t.bars[2].parameter, 0u);
    EXPECT_DOUBLE_EQ(t.bars[2].swing, 1);
}

} // namespace
} // namespace cakupan::sensitivity
