// The portable transcendental functions: the same bits on every CPU (pinned hashes of their results
// over fixed inputs, also of the engine's vector exp in both its builds), within 1 ulp of long
// double, and the normal quantile against Boost.
#include "engine/portable_math.hpp"
#include "engine/vector_exp.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>

namespace {

namespace pm = cakupan::portable;

// Inputs from a fixed generator (splitmix64), independent of the standard library's distributions.
class Inputs {
public:
    explicit Inputs(std::uint64_t seed) : s_(seed) {}
    std::uint64_t bits() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * (static_cast<double>(bits() >> 11) * 0x1.0p-53); }
    // Spread over binades: 1.m x 2^e with e uniform in [lo, hi] (ldexp is exact).
    double binades(int lo, int hi) {
        const std::uint64_t b = bits();
        const double m = 1 + static_cast<double>(b >> 12) * 0x1.0p-52;
        return std::ldexp(m, lo + static_cast<int>((b & 0xfff) % static_cast<std::uint64_t>(hi - lo + 1)));
    }

private:
    std::uint64_t s_;
};

// FNV-1a over the bits of every result.
struct Hash {
    std::uint64_t h = 14695981039346656037ull;
    void add(double y) {
        std::uint64_t b;
        std::memcpy(&b, &y, sizeof b);
        for (int i = 0; i < 8; ++i) h = (h ^ ((b >> (8 * i)) & 0xff)) * 1099511628211ull;
    }
};

constexpr int kCount = 200000;

std::string hex(std::uint64_t h) {
    char buf[19];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// kCount results of f on inputs from `input`, hashed.
std::uint64_t hash_of(const std::function<double(Inputs&)>& f, std::uint64_t seed) {
    Inputs in(seed);
    Hash h;
    for (int i = 0; i < kCount; ++i) h.add(f(in));
    return h.h;
}

// The inputs cover what the engine, the sampler and the studies pass (hazard rates, log(1 - p),
// log-ratios of counts, Fisher z) and the wider ranges around them. A machine where
// any of these hashes differs computes other numbers than the machines these were pinned on.
struct Pinned {
    const char* name;
    std::uint64_t seed; // of the inputs
    std::function<double(Inputs&)> f;
    std::uint64_t hash;
};

// The engine's vector exp, one element per call (the kernel's tail path gives every position the
// same bits, which vector_exp_test checks), over the range of its hazards and beyond.
double vector_exp(void (*f)(const double*, double*, std::size_t), Inputs& in) {
    const double x = in.bits() & 1 ? in.uniform(-40, 0) : in.uniform(-746, 710);
    double y;
    f(&x, &y, 1);
    return y;
}

std::vector<Pinned> pinned() {
    return {
        {"exp", 1, [](Inputs& in) { return pm::exp(in.bits() & 1 ? in.uniform(-40, 5) : in.uniform(-746, 710)); }, 0x8f4b0d239c7e35a2ull},
        {"expm1", 2, [](Inputs& in) { return pm::expm1(in.bits() & 1 ? -in.binades(-40, 2) : in.uniform(-40, 40)); }, 0x4dfd700fa3c4c026ull},
        {"log", 3, [](Inputs& in) { return pm::log(in.bits() & 1 ? in.uniform(0, 1) : in.binades(-1022, 1023)); }, 0xa61ccd7e39f262e3ull},
        {"log1p", 4, [](Inputs& in) { return pm::log1p(in.bits() & 1 ? -in.uniform(0, 1) : in.binades(-60, 60)); }, 0x8ea433dfc27d21a6ull},
        {"pow", 6,
         [](Inputs& in) {
             // Drawn in a fixed order: the order in which function arguments are evaluated differs
             // between compilers (GCC right to left, clang left to right).
             const double y = in.uniform(-30, 30);
             const double x = in.uniform(0, 10);
             return pm::pow(x, y);
         },
         0xbd7953e6a3fcabefull},
        {"tanh", 7, [](Inputs& in) { return pm::tanh(in.uniform(-20, 20)); }, 0xdaadd00859e9db80ull},
        {"atanh", 8, [](Inputs& in) { return pm::atanh(in.uniform(-1, 1)); }, 0x1a3075d0996fba70ull},
        {"erfc", 9, [](Inputs& in) { return pm::erfc(in.uniform(-6, 27)); }, 0xfd0cefcdb3ce5643ull},
        {"normal_quantile", 10, [](Inputs& in) { return pm::normal_quantile(in.bits() & 1 ? in.uniform(0, 1) : in.binades(-60, -2)); },
         0xe3adbe91d5e4f641ull},
        {"sin", 11, [](Inputs& in) { return pm::sin(in.uniform(-4, 4)); }, 0xa87792bd61fab5e1ull},
        {"cos", 13, [](Inputs& in) { return pm::cos(in.uniform(-1.6, 1.6)); }, 0x287bdb53e123d802ull},
        {"vector exp", 12, [](Inputs& in) { return vector_exp(cakupan::vec::exp, in); }, 0xea7e7c2e2430196cull},
        {"vector exp (SSE2 build)", 12, [](Inputs& in) { return vector_exp(cakupan::vec::detail::exp_generic, in); }, 0xea7e7c2e2430196cull},
    };
}

TEST(PortableMath, SameBitsAsPinned) {
    for (const auto& p : pinned()) {
        const auto h = hash_of(p.f, p.seed);
        EXPECT_EQ(hex(h), hex(p.hash)) << p.name
                                      << " gives other bits on this machine than the pinned ones: runs here would not "
                                         "match runs elsewhere";
    }
}

// Error in units in the last place of the double result y against a long double value.
double ulps(double y, long double exact) {
    if (std::isinf(y) && std::isinf(static_cast<double>(exact))) return y == static_cast<double>(exact) ? 0 : HUGE_VAL;
    const int e = std::ilogb(static_cast<double>(exact));
    const long double ulp = std::ldexp(1.0L, std::max(e, DBL_MIN_EXP - 1) - (DBL_MANT_DIG - 1));
    return static_cast<double>(std::fabs(static_cast<long double>(y) - exact) / ulp);
}

TEST(PortableMath, WithinOneUlpOfLongDouble) {
    Inputs in(7);
    double worst_exp = 0, worst_expm1 = 0, worst_log = 0, worst_log1p = 0, worst_pow = 0;
    for (int i = 0; i < kCount; ++i) {
        const double a = in.uniform(-700, 700), b = in.binades(-1000, 1000), c = -in.uniform(0, 0.999);
        const double x = in.uniform(0, 10), y = in.uniform(-30, 30);
        worst_exp = std::max(worst_exp, ulps(pm::exp(a), std::exp(static_cast<long double>(a))));
        worst_expm1 = std::max(worst_expm1, ulps(pm::expm1(c), std::expm1(static_cast<long double>(c))));
        worst_log = std::max(worst_log, ulps(pm::log(b), std::log(static_cast<long double>(b))));
        worst_log1p = std::max(worst_log1p, ulps(pm::log1p(c), std::log1p(static_cast<long double>(c))));
        worst_pow = std::max(worst_pow, ulps(pm::pow(x, y), std::pow(static_cast<long double>(x), static_cast<long double>(y))));
    }
    EXPECT_LT(worst_exp, 1.0);
    EXPECT_LT(worst_expm1, 1.0);
    EXPECT_LT(worst_log, 1.0);
    EXPECT_LT(worst_log1p, 1.0);
    EXPECT_LT(worst_pow, 1.0);
}

TEST(PortableMath, ExactWhereTheSamplerNeedsIt) {
    EXPECT_EQ(pm::exp(0), 1.0);
    EXPECT_EQ(pm::log(1), 0.0);
    EXPECT_EQ(pm::log1p(0), 0.0);
    EXPECT_EQ(pm::expm1(0), 0.0);
    EXPECT_EQ(pm::log(0), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(pm::log1p(-1), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(pm::exp(-std::numeric_limits<double>::infinity()), 0.0);
    for (int k = 0; k <= 22; ++k) EXPECT_EQ(pm::pow(10, k), std::stod("1e" + std::to_string(k))) << k;
}

TEST(PortableMath, NormalQuantileMatchesBoostAndIsOdd) {
    Inputs in(11);
    double worst = 0;
    for (int i = 0; i < kCount; ++i) {
        const double p = i % 2 ? in.uniform(0, 1) : in.binades(-1000, -2);
        const double z = pm::normal_quantile(p);
        const double expected = -std::sqrt(2.0) * boost::math::erfc_inv(2 * p);
        worst = std::max(worst, std::fabs(z - expected) / std::max(1.0, std::fabs(expected)));
        if (p <= 0.5) { // the upper half mirrors the lower one to the bit
            EXPECT_EQ(pm::normal_quantile(1 - p), -pm::normal_quantile(1 - (1 - p))) << p;
        }
    }
    EXPECT_LT(worst, 1e-14);
    EXPECT_EQ(pm::normal_quantile(0.5), 0.0);
    EXPECT_EQ(pm::normal_quantile(0), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(pm::normal_quantile(1), std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(pm::normal_quantile(-0.1)));
    EXPECT_TRUE(std::isnan(pm::normal_quantile(std::nan(""))));
}

} // namespace
