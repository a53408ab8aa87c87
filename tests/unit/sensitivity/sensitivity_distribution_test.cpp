// Parameter distributions of sensitivity studies: quantiles at known points, checked parameters.
#include <cakupan/sensitivity/distribution.hpp>

#include "sensitivity_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace cakupan::sensitivity {
namespace {

using testing::message_of;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(SensitivityDistribution, UniformQuantiles) {
    const auto d = Distribution::uniform(2, 6);
    EXPECT_DOUBLE_EQ(d.quantile(0), 2);
    EXPECT_DOUBLE_EQ(d.quantile(0.25), 3);
    EXPECT_DOUBLE_EQ(d.quantile(0.5), 4);
    EXPECT_DOUBLE_EQ(d.quantile(1), 6);
    EXPECT_EQ(d.describe(), "uniform(2, 6)");
}

TEST(SensitivityDistribution, NormalQuantiles) {
    const auto d = Distribution::normal(10, 2);
    EXPECT_NEAR(d.quantile(0.5), 10, 1e-12);
    EXPECT_NEAR(d.quantile(0.975), 10 + 2 * 1.959963984540054, 1e-9);
    EXPECT_NEAR(d.quantile(0.025), 10 - 2 * 1.959963984540054, 1e-9);
    EXPECT_NEAR(d.quantile(0.8413447460685429), 12, 1e-9); // one sd
    // The grid ends of OAT and Morris: an unbounded end stands at the 0.1% / 99.9% quantile.
    EXPECT_NEAR(d.quantile(0), 10 - 2 * 3.090232306167813, 1e-9);
    EXPECT_NEAR(d.quantile(1), 10 + 2 * 3.090232306167813, 1e-9);
    EXPECT_EQ(d.describe(), "normal(10, 2)");
}

TEST(SensitivityDistribution, TruncatedNormalStaysInsideAndKeepsItsShape) {
    const auto d = Distribution::normal(0, 1, 0, kInf); // half-normal
    EXPECT_DOUBLE_EQ(d.quantile(0), 0);
    // The median of a half-normal is the 75% quantile of the standard normal.
    EXPECT_NEAR(d.quantile(0.5), 0.6744897501960817, 1e-9);
    const auto both = Distribution::normal(0.5, 0.2, 0.3, 0.6);
    EXPECT_DOUBLE_EQ(both.quantile(0), 0.3);
    EXPECT_DOUBLE_EQ(both.quantile(1), 0.6);
    for (double u = 0.01; u < 1; u += 0.01) {
        EXPECT_GE(both.quantile(u), 0.3);
        EXPECT_LE(both.quantile(u), 0.6);
    }
    EXPECT_EQ(both.describe(), "normal(0.5, 0.2) on [0.3, 0.6]");
}

TEST(SensitivityDistribution, TriangularQuantiles) {
    const auto d = Distribution::triangular(0, 1, 4); // CDF at the mode: 1/4
    EXPECT_DOUBLE_EQ(d.quantile(0), 0);
    EXPECT_DOUBLE_EQ(d.quantile(0.25), 1);
    EXPECT_DOUBLE_EQ(d.quantile(1), 4);
    // Below the mode F(x) = x^2 / 4: F(0.5) = 1/16. Above, 1 - F(x) = (4 - x)^2 / 12: F(3) = 11/12.
    EXPECT_NEAR(d.quantile(1.0 / 16), 0.5, 1e-12);
    EXPECT_NEAR(d.quantile(11.0 / 12), 3, 1e-12);
    // Mode at an end is allowed.
    EXPECT_NEAR(Distribution::triangular(0, 0, 1).quantile(0.75), 0.5, 1e-12);
}

TEST(SensitivityDistribution, LogUniformQuantiles) {
    const auto d = Distribution::log_uniform(0.01, 100);
    EXPECT_DOUBLE_EQ(d.quantile(0), 0.01);
    EXPECT_NEAR(d.quantile(0.5), 1, 1e-12);
    EXPECT_NEAR(d.quantile(0.75), 10, 1e-12);
    EXPECT_DOUBLE_EQ(d.quantile(1), 100);
    EXPECT_EQ(d.describe(), "log-uniform(0.01, 100)");
}

TEST(SensitivityDistribution, QuantileIsMonotone) {
    for (const auto& d : {Distribution::uniform(-1, 1), Distribution::normal(0, 3), Distribution::normal(1, 1, -1, 2),
                          Distribution::triangular(0, 0.3, 1), Distribution::log_uniform(1, 1000)}) {
        double previous = -kInf;
        for (int i = 0; i <= 1000; ++i) {
            const double x = d.quantile(i / 1000.0);
            EXPECT_GE(x, previous) << d.describe() << " at " << i; // normal: u = 0 and u = kTail meet
            previous = x;
        }
    }
}

TEST(SensitivityDistribution, BadParametersAreRejected) {
    EXPECT_EQ(message_of([] { Distribution::uniform(3, 1); }), "uniform needs finite low < high, got low 3 and high 1");
    EXPECT_EQ(message_of([] { Distribution::uniform(1, kInf); }),
              "uniform needs finite low < high, got low 1 and high inf");
    EXPECT_EQ(message_of([] { Distribution::normal(0, 0); }), "normal needs a finite sd > 0, got 0");
    EXPECT_EQ(message_of([] { Distribution::normal(0, -1); }), "normal needs a finite sd > 0, got -1");
    EXPECT_EQ(message_of([] { Distribution::normal(std::nan(""), 1); }), "normal needs a finite mean, got nan");
    EXPECT_EQ(message_of([] { Distribution::normal(0, 1, 2, 1); }),
              "normal truncation needs low < high, got low 2 and high 1");
    EXPECT_EQ(message_of([] { Distribution::normal(0, 1, 50, 60); }),
              "normal(0, 1) has almost no probability in [50, 60]; expected bounds nearer the mean");
    EXPECT_EQ(message_of([] { Distribution::triangular(0, 2, 1); }),
              "triangular needs finite low <= mode <= high with low < high, got 0, 2, 1");
    EXPECT_EQ(message_of([] { Distribution::triangular(1, 1, 1); }),
              "triangular needs finite low <= mode <= high with low < high, got 1, 1, 1");
    EXPECT_EQ(message_of([] { Distribution::log_uniform(0, 1); }),
              "log-uniform needs finite 0 < low < high, got low 0 and high 1");
    EXPECT_EQ(message_of([] { Distribution::log_uniform(-1, 1); }),
              "log-uniform needs finite 0 < low < high, got low -1 and high 1");
    const auto d = Distribution::uniform(0, 1);
    EXPECT_EQ(message_of([&] { d.quantile(1.5); }), "a quantile needs u in [0, 1], got 1.5");
    EXPECT_EQ(message_of([&] { d.quantile(std::nan("")); }), "a quantile needs u in [0, 1], got nan");
}

} // namespace
} // namespace cakupan::sensitivity
