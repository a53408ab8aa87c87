// Classification: exact natural breaks against the plain dynamic programme (and that against
// brute force), hand-computed quantile, equal-interval and manual breaks, the break convention,
// no-data, and reading the values from CSV and GeoPackage.
#include "cakupan/render/classify.hpp"
#include "cakupan/common/error.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<double> sorted_copy(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v;
}

double total_ss(const std::vector<double>& v) { return within_class_ss(v, {}); }

// Every way of cutting n sorted values into k non-empty runs, the least within-class SS found.
double brute_force_ss(const std::vector<double>& v, int k) {
    const int n = static_cast<int>(v.size());
    std::vector<int> cut(static_cast<std::size_t>(k - 1)); // class j ends before index cut[j]
    std::iota(cut.begin(), cut.end(), 1);
    double best = INFINITY;
    while (true) {
        std::vector<double> inner;
        bool ok = true;
        for (const int c : cut) {
            if (v[static_cast<std::size_t>(c - 1)] == v[static_cast<std::size_t>(c)]) ok = false; // inside a tie
            inner.push_back(v[static_cast<std::size_t>(c - 1)]);
        }
        if (ok) best = std::min(best, within_class_ss(v, inner));
        int j = k - 2;
        while (j >= 0 && cut[static_cast<std::size_t>(j)] == n - (k - 1 - j)) --j;
        if (j < 0) break;
        ++cut[static_cast<std::size_t>(j)];
        for (int i = j + 1; i < k - 1; ++i) cut[static_cast<std::size_t>(i)] = cut[static_cast<std::size_t>(i - 1)] + 1;
    }
    return best;
}

// Shares like coverage rates: lognormal around 25 %, capped at 1; `grain` > 0 rounds to it (ties).
std::vector<double> coverage_like(std::mt19937_64& rng, std::size_t n, double grain) {
    std::lognormal_distribution<double> dist(std::log(0.25), 0.5);
    std::vector<double> v(n);
    for (auto& x : v) {
        x = std::min(1.0, dist(rng));
        if (grain > 0) x = std::round(x / grain) * grain;
    }
    return sorted_copy(v);
}

TEST(NaturalBreaks, ReferenceEqualsBruteForceOnSmallInputs) {
    for (unsigned seed = 0; seed < 40; ++seed) {
        std::mt19937_64 rng(seed);
        const auto v = coverage_like(rng, 4 + seed % 8, seed % 2 ? 0.05 : 0.0);
        for (int k = 2; k <= 4; ++k) {
            std::vector<double> distinct = v;
            distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
            if (static_cast<int>(distinct.size()) <= k) continue; // one class per value, tested apart
            const double ref = within_class_ss(v, natural_breaks_reference(v, k));
            EXPECT_NEAR(ref, brute_force_ss(v, k), 1e-12 * total_ss(v)) << "seed " << seed << " k " << k;
        }
    }
}

TEST(NaturalBreaks, FastEqualsReferenceOnRandomInputs) {
    const double grains[] = {0.0, 0.01, 0.1}; // continuous, some ties, many ties
    int compared = 0;
    for (unsigned seed = 0; seed < 150; ++seed) {
        std::mt19937_64 rng(seed);
        const double grain = grains[seed % 3];
        const auto v = coverage_like(rng, 1 + rng() % 300, grain);
        for (int k = 2; k <= 8; ++k) {
            const auto fast = natural_breaks(v, k);
            const auto ref = natural_breaks_reference(v, k);
            ASSERT_EQ(fast.size(), ref.size()) << "seed " << seed << " k " << k;
            EXPECT_NEAR(within_class_ss(v, fast), within_class_ss(v, ref), 1e-12 * total_ss(v))
                << "seed " << seed << " k " << k << " n " << v.size();
            // Without ties the optimum is unique for such data: the breaks themselves agree.
            if (grain == 0.0) {
                EXPECT_EQ(fast, ref) << "seed " << seed << " k " << k;
            }
            ++compared;
        }
    }
    EXPECT_EQ(compared, 150 * 7);
}

TEST(NaturalBreaks, ThreeClearGroups) {
    const std::vector<double> v = {1, 2, 3, 10, 11, 12, 20, 21, 22};
    EXPECT_THAT(natural_breaks(v, 3), ElementsAre(3, 12));
    EXPECT_THAT(natural_breaks_reference(v, 3), ElementsAre(3, 12));
    EXPECT_DOUBLE_EQ(within_class_ss(v, {3, 12}), 6.0);
}

TEST(NaturalBreaks, TiesStayInOneClass) {
    // Six 5s between two groups: a class boundary never falls inside them.
    const std::vector<double> v = {1, 1, 2, 5, 5, 5, 5, 5, 5, 9, 9, 10};
    for (int k = 2; k <= 4; ++k)
        for (const double b : natural_breaks(v, k)) {
            const auto below = std::count_if(v.begin(), v.end(), [&](double x) { return x <= b; });
            const auto above = std::count_if(v.begin(), v.end(), [&](double x) { return x > b; });
            EXPECT_EQ(below + above, 12);
            EXPECT_TRUE(b == 2 || b == 5 || b == 1 || b == 9) << b;
        }
    EXPECT_THAT(natural_breaks(v, 3), ElementsAre(2, 5));
}

TEST(NaturalBreaks, FewerDistinctValuesThanClasses) {
    const std::vector<double> v = {0.2, 0.2, 0.5, 0.5, 0.5, 0.9};
    EXPECT_THAT(natural_breaks(v, 5), ElementsAre(0.2, 0.5)); // one class per distinct value
    EXPECT_THAT(natural_breaks(v, 3), ElementsAre(0.2, 0.5));
    EXPECT_THAT(natural_breaks_reference(v, 5), ElementsAre(0.2, 0.5));
    const auto c = classify(v, Scheme::natural_breaks, 5);
    EXPECT_THAT(c.breaks, ElementsAre(0.2, 0.2, 0.5, 0.9));
    EXPECT_THAT(c.counts, ElementsAre(2u, 3u, 1u));
}

TEST(NaturalBreaks, AllEqualAndSingleValue) {
    EXPECT_TRUE(natural_breaks({0.3, 0.3, 0.3}, 4).empty());
    const auto c = classify({0.3, 0.3, 0.3}, Scheme::natural_breaks, 4);
    EXPECT_THAT(c.breaks, ElementsAre(0.3, 0.3));
    EXPECT_THAT(c.counts, ElementsAre(3u));
    EXPECT_EQ(c.class_of(0.3), 0);
    EXPECT_TRUE(natural_breaks({}, 3).empty());
}

TEST(NaturalBreaks, OneClassAndAsManyClassesAsValues) {
    const std::vector<double> v = {0.1, 0.4, 0.45, 0.8};
    EXPECT_TRUE(natural_breaks(v, 1).empty());
    EXPECT_THAT(natural_breaks(v, 4), ElementsAre(0.1, 0.4, 0.45));
    EXPECT_DOUBLE_EQ(within_class_ss(v, natural_breaks(v, 4)), 0.0);
    const auto c = classify(v, Scheme::natural_breaks, 1);
    EXPECT_THAT(c.breaks, ElementsAre(0.1, 0.8));
    EXPECT_THAT(c.counts, ElementsAre(4u));
}

TEST(NaturalBreaks, NanIsNoData) {
    const std::vector<double> v = {NAN, 1, 2, 3, NAN, 10, 11, 12, INFINITY};
    const auto c = classify(v, Scheme::natural_breaks, 2);
    EXPECT_THAT(c.breaks, ElementsAre(1, 3, 12));
    EXPECT_THAT(c.counts, ElementsAre(3u, 3u));
    EXPECT_EQ(c.no_data, 3u);
    EXPECT_EQ(c.class_of(NAN), -1);
}

TEST(NaturalBreaks, LargeOffsetDoesNotChangeThePartition) {
    // Values near 1e6 with a spread of 1: the prefix sums must not lose the spread.
    std::mt19937_64 rng(7);
    const auto v = coverage_like(rng, 300, 0.0);
    std::vector<double> shifted;
    for (const double x : v) shifted.push_back(x + 1e6);
    for (int k = 2; k <= 6; ++k) {
        const auto a = natural_breaks(v, k);
        const auto b = natural_breaks(shifted, k);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i] + 1e6, b[i]) << "k " << k << " break " << i;
    }
}

TEST(NaturalBreaks, ClassesBelowOneAreRejected) {
    EXPECT_THROW(natural_breaks({1, 2, 3}, 0), UsageError);
    EXPECT_THROW(classify({1, 2, 3}, Scheme::quantile, 0), UsageError);
}

TEST(Classify, GoodnessOfVarianceFit) {
    const std::vector<double> v = {1, 2, 3, 10, 11, 12};
    // Within: 2 + 2; total about the mean 6.5: 2 (5.5^2 + 4.5^2 + 3.5^2) = 125.5.
    EXPECT_DOUBLE_EQ(goodness_of_variance_fit(v, {3}), 1.0 - 4.0 / 125.5);
    EXPECT_DOUBLE_EQ(goodness_of_variance_fit(v, {}), 0.0);
    EXPECT_DOUBLE_EQ(goodness_of_variance_fit({2, 2}, {}), 1.0);
}

TEST(Classify, QuantileHandComputed) {
    const std::vector<double> v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    const auto five = classify(v, Scheme::quantile, 5);
    EXPECT_THAT(five.breaks, ElementsAre(1, 2, 4, 6, 8, 10));
    EXPECT_THAT(five.counts, ElementsAre(2u, 2u, 2u, 2u, 2u));
    const auto three = classify(v, Scheme::quantile, 3); // ranks ceil(10/3) = 4, ceil(20/3) = 7
    EXPECT_THAT(three.breaks, ElementsAre(1, 4, 7, 10));
    EXPECT_THAT(three.counts, ElementsAre(4u, 3u, 3u));
}

TEST(Classify, QuantileTiesMergeClasses) {
    const std::vector<double> v = {1, 1, 1, 1, 2, 3};
    const auto c = classify(v, Scheme::quantile, 3); // ranks 2 and 4 are both 1
    EXPECT_THAT(c.breaks, ElementsAre(1, 1, 3));
    EXPECT_THAT(c.counts, ElementsAre(4u, 2u));
}

TEST(Classify, EqualIntervalHandComputed) {
    const auto c = classify({0, 1, 2.5, 10, NAN}, Scheme::equal_interval, 4);
    EXPECT_THAT(c.breaks, ElementsAre(0, 2.5, 5, 7.5, 10));
    EXPECT_THAT(c.counts, ElementsAre(3u, 0u, 0u, 1u)); // 2.5 closes the first class
    EXPECT_EQ(c.no_data, 1u);
}

TEST(Classify, ManualBreaksInsideTheData) {
    const auto c = classify({0.1, 0.3, 0.5717, 0.6, 0.9}, Scheme::manual, 0, {0.3, 0.5717});
    EXPECT_THAT(c.breaks, ElementsAre(0.1, 0.3, 0.5717, 0.9));
    EXPECT_THAT(c.counts, ElementsAre(2u, 1u, 2u)); // 0.3 and 0.5717 close the classes below them
    EXPECT_EQ(c.scheme, Scheme::manual);
}

TEST(Classify, ManualBreaksOutsideTheDataAreKept) {
    const auto above = classify({0.6, 0.7}, Scheme::manual, 0, {0.3, 0.5717});
    EXPECT_THAT(above.breaks, ElementsAre(0.3, 0.3, 0.5717, 0.7));
    EXPECT_THAT(above.counts, ElementsAre(0u, 0u, 2u));
    const auto below = classify({0.1, 0.2}, Scheme::manual, 0, {0.5717});
    EXPECT_THAT(below.breaks, ElementsAre(0.1, 0.5717, 0.5717));
    EXPECT_THAT(below.counts, ElementsAre(2u, 0u));
}

TEST(Classify, ManualBreaksMustIncrease) {
    EXPECT_THROW(classify({1, 2}, Scheme::manual, 0, {0.5, 0.5}), UsageError);
    EXPECT_THROW(classify({1, 2}, Scheme::manual, 0, {0.6, 0.5}), UsageError);
    EXPECT_THROW(classify({1, 2}, Scheme::manual, 0, {NAN}), UsageError);
}

TEST(Classify, ParseBreaksForMapsAndClassify) {
    EXPECT_THAT(parse_breaks("0.3, 0.5717"), ElementsAre(0.3, 0.5717));
    EXPECT_THAT(parse_breaks("-1e-2"), ElementsAre(-0.01));
    const auto message = [](std::string_view list) {
        try {
            parse_breaks(list);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message("0.3,abc"), "--breaks: 'abc' is not a number (expected inner breaks such as 0.3,0.5717)");
    EXPECT_EQ(message(""), "--breaks: '' is not a number (expected inner breaks such as 0.3,0.5717)");
    EXPECT_EQ(message("0.3,"), "--breaks: '' is not a number (expected inner breaks such as 0.3,0.5717)");
    EXPECT_EQ(message("inf"), "--breaks: 'inf' is not a number (expected inner breaks such as 0.3,0.5717)");
    EXPECT_EQ(message("0.5,0.3"), "--breaks: manual breaks must increase: break 2 (0.3) is not above break 1 (0.5)");
}

TEST(Classify, Unclassed) {
    const auto c = classify({0.4, 0.2, NAN, 0.9}, Scheme::unclassed, 5);
    EXPECT_THAT(c.breaks, ElementsAre(0.2, 0.9));
    EXPECT_THAT(c.counts, ElementsAre(3u));
    EXPECT_EQ(c.no_data, 1u);
}

TEST(Classify, NoFiniteValuesGiveNoClasses) {
    const auto c = classify({NAN, NAN}, Scheme::quantile, 4);
    EXPECT_EQ(c.classes(), 0u);
    EXPECT_TRUE(c.counts.empty());
    EXPECT_EQ(c.no_data, 2u);
    EXPECT_EQ(c.class_of(0.5), -1);
}

TEST(Classify, ClassOfAtBoundaries) {
    Classification c;
    c.breaks = {0, 1, 2, 3};
    EXPECT_EQ(c.class_of(0), 0); // the first class is closed below
    EXPECT_EQ(c.class_of(1), 0); // a break closes the class below it
    EXPECT_EQ(c.class_of(std::nextafter(1.0, 2.0)), 1);
    EXPECT_EQ(c.class_of(2), 1);
    EXPECT_EQ(c.class_of(3), 2);
    EXPECT_EQ(c.class_of(-5), 0); // outside the breaks: the end classes
    EXPECT_EQ(c.class_of(10), 2);
    EXPECT_EQ(c.class_of(NAN), -1);
}

TEST(Classify, CountsAddUpInEveryScheme) {
    std::mt19937_64 rng(11);
    auto v = coverage_like(rng, 200, 0.01);
    for (std::size_t i = 0; i < v.size(); i += 17) v[i] = NAN;
    for (const Scheme s : {Scheme::quantile, Scheme::equal_interval, Scheme::natural_breaks, Scheme::manual, Scheme::unclassed}) {
        const auto c = classify(v, s, 5, {0.2, 0.5717});
        EXPECT_EQ(c.no_data, 12u) << to_string(s);
        EXPECT_EQ(std::accumulate(c.counts.begin(), c.counts.end(), std::size_t{0}), v.size() - c.no_data) << to_string(s);
        EXPECT_TRUE(std::is_sorted(c.breaks.begin(), c.breaks.end())) << to_string(s);
        EXPECT_EQ(c.counts.size(), c.classes()) << to_string(s);
    }
}

TEST(Classify, ReclassifyKeepsTheBreaksOfAnotherVariant) {
    const auto baseline = classify({0.2, 0.25, 0.3, 0.5, 0.55}, Scheme::natural_breaks, 2);
    ASSERT_THAT(baseline.breaks, ElementsAre(0.2, 0.3, 0.55));
    const auto subsidy = reclassify(baseline, {0.1, 0.35, 0.6, 0.7, NAN});
    EXPECT_EQ(subsidy.breaks, baseline.breaks);
    EXPECT_THAT(subsidy.counts, ElementsAre(1u, 3u)); // 0.6 and 0.7 above the top break: last class
    EXPECT_EQ(subsidy.no_data, 1u);
}

TEST(Classify, SchemeNames) {
    EXPECT_EQ(parse_scheme("quantile"), Scheme::quantile);
    EXPECT_EQ(parse_scheme("equal"), Scheme::equal_interval);
    EXPECT_EQ(parse_scheme("natural"), Scheme::natural_breaks);
    EXPECT_EQ(parse_scheme("jenks"), Scheme::natural_breaks);
    EXPECT_EQ(parse_scheme("manual"), Scheme::manual);
    EXPECT_EQ(parse_scheme("unclassed"), Scheme::unclassed);
    for (const Scheme s : {Scheme::quantile, Scheme::equal_interval, Scheme::natural_breaks, Scheme::manual, Scheme::unclassed})
        EXPECT_EQ(parse_scheme(to_string(s)), s);
    try {
        parse_scheme("naturel");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "unknown classification scheme 'naturel' (did you mean 'natural'?); expected quantile, "
                               "equal, natural, manual or unclassed");
    }
}

TEST(ClassifyInput, CsvColumnWithEmptyCell) {
    const auto v = read_field_values(test::data("classify/coverage.csv"), "", "coverage", "column");
    ASSERT_EQ(v.size(), 10u);
    EXPECT_DOUBLE_EQ(v[0], 0.31);
    EXPECT_TRUE(std::isnan(v[5])); // row 7 is empty
    EXPECT_DOUBLE_EQ(v[9], 0.62);
    const auto c = classify(v, Scheme::natural_breaks, 3);
    EXPECT_THAT(c.breaks, ElementsAre(0.1, 0.12, 0.32, 0.62));
    EXPECT_THAT(c.counts, ElementsAre(3u, 3u, 3u));
    EXPECT_EQ(c.no_data, 1u);
}

TEST(ClassifyInput, NumericFieldOfAGeoPackage) {
    const auto v = read_field_values(test::babel_gpkg(), "kabkota", "lat");
    ASSERT_EQ(v.size(), 7u);
    for (const double x : v) EXPECT_TRUE(x > -4 && x < -1) << x; // Bangka Belitung lies near 2-3 deg S
}

TEST(ClassifyInput, ErrorsSayWhereAndWhat) {
    auto message = [](const std::string& file, const std::string& field) {
        try {
            read_field_values(test::data("classify/" + file), "", field, "column");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string dir = test::data("classify/");
    EXPECT_EQ(message("decimal_comma.csv", "coverage"),
              dir + "decimal_comma.csv:4:3: column 'coverage' mixes number formats: row 4 '0,45' reads only with a decimal "
                    "comma and row 2 '0.31' only with a decimal point; write every number the same way");
    EXPECT_EQ(message("text_value.csv", "coverage"),
              dir + "text_value.csv:3:3: column 'coverage' value 'n/a' is not a number (expected a number; leave the cell "
                    "empty for no data)");
    EXPECT_EQ(message("coverage.csv", "covrage"),
              dir + "coverage.csv: no column 'covrage' (did you mean 'coverage'?); columns: kode, nama, coverage");
}

} // namespace
} // namespace cakupan
