#include "engine/vector_exp.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

using cakupan::vec::exp;
namespace detail = cakupan::vec::detail;

std::vector<double> sample(std::size_t n) {
    std::mt19937_64 gen(20251231);
    std::uniform_real_distribution<double> wide(-746, 710), engine_range(-12, 0);
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = i % 2 ? wide(gen) : engine_range(gen);
    return x;
}

// Error in units in the last place of the double result, against long double exp.
double ulp_error(double x, double y) {
    const long double exact = std::exp(static_cast<long double>(x));
    const int e = std::ilogb(static_cast<double>(exact));
    const long double ulp = std::ldexp(1.0L, std::max(e, DBL_MIN_EXP - 1) - (DBL_MANT_DIG - 1));
    return static_cast<double>(std::fabs(static_cast<long double>(y) - exact) / ulp);
}

TEST(VectorExp, WithinOneUlpOverTheWholeRange) {
    const auto x = sample(200000);
    std::vector<double> y(x.size());
    exp(x.data(), y.data(), x.size());
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isinf(std::exp(x[i]))) {
            EXPECT_EQ(y[i], HUGE_VAL) << x[i];
            continue;
        }
        worst = std::max(worst, ulp_error(x[i], y[i]));
    }
    EXPECT_LT(worst, 1.0);
}

TEST(VectorExp, SpecialValuesAndLimits) {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> x = {0.0, -0.0, 1.0, -1.0, inf, -inf, std::nan(""), 709.78, 709.79, -745.2, -800.0, -708.5, -740.0};
    std::vector<double> y(x.size());
    exp(x.data(), y.data(), x.size());
    EXPECT_EQ(y[0], 1.0);
    EXPECT_EQ(y[1], 1.0);
    EXPECT_LE(ulp_error(1.0, y[2]), 1.0);
    EXPECT_LE(ulp_error(-1.0, y[3]), 1.0);
    EXPECT_EQ(y[4], inf);
    EXPECT_EQ(y[5], 0.0);
    EXPECT_TRUE(std::isnan(y[6]));
    EXPECT_TRUE(std::isfinite(y[7]));
    EXPECT_LE(ulp_error(709.78, y[7]), 1.0);
    EXPECT_EQ(y[8], inf); // above log(DBL_MAX)
    EXPECT_EQ(y[9], 0.0); // below half the smallest subnormal
    EXPECT_EQ(y[10], 0.0);
    // Subnormal results: within one subnormal step of the exact value.
    EXPECT_LT(y[11], DBL_MIN);
    EXPECT_LE(ulp_error(-708.5, y[11]), 1.0);
    EXPECT_LE(ulp_error(-740.0, y[12]), 1.0);
    EXPECT_GT(y[12], 0.0);
}

// An element's result does not depend on where it sits in the array, on the array's length (the
// tail goes through the same kernel) or on whether the output overwrites the input.
TEST(VectorExp, SameBitsWhateverThePositionLengthOrAliasing) {
    const auto x = sample(1001);
    std::vector<double> whole(x.size());
    exp(x.data(), whole.data(), x.size());
    for (std::size_t len = 1; len <= 9; ++len)
        for (std::size_t start : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{990}}) {
            std::vector<double> part(x.begin() + static_cast<std::ptrdiff_t>(start),
                                     x.begin() + static_cast<std::ptrdiff_t>(start + len));
            exp(part.data(), part.data(), len);
            EXPECT_EQ(std::memcmp(part.data(), whole.data() + start, len * sizeof(double)), 0) << start << "+" << len;
        }
}

// The AVX2 and SSE2 builds of the kernel give the same bits, so outputs do not depend on the CPU.
TEST(VectorExp, AvxAndGenericBuildsAgreeToTheBit) {
    if (!detail::has_avx2()) GTEST_SKIP() << "this CPU has no AVX2";
    const auto x = sample(100003);
    std::vector<double> a(x.size()), b(x.size());
    detail::exp_generic(x.data(), a.data(), x.size());
    detail::exp_avx2(x.data(), b.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(std::memcmp(&a[i], &b[i], sizeof(double)), 0) << x[i];
}

} // namespace
