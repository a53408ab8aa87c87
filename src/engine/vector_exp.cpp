#include "engine/vector_exp.hpp"

#include <bit>
#include <cstring>

// The kernel's helpers take and return 32-byte vectors; they are always inlined, so the note that
// such values are passed differently with and without AVX concerns no real call.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace cakupan::vec {

namespace {

// GCC/Clang vector extensions: the same source compiles to 256-bit AVX2 instructions in the avx2
// build and to pairs of SSE2 instructions otherwise, with the same IEEE operations on every lane.
// No operation here may be contracted into an FMA (neither build targets FMA), so the bits agree.
// Each build uses the width of its registers: 4 lanes for AVX2, 2 for SSE2 (GCC splits wider
// vectors into poor code there). Lane counts are spelt out: GCC drops vector_size on a
// template-dependent size.
struct Lanes2 { // SSE2
    using d = double __attribute__((vector_size(16)));
    using i = long long __attribute__((vector_size(16)));
    using u = unsigned long long __attribute__((vector_size(16)));
    static constexpr std::size_t n = 2;
};
struct Lanes4 { // AVX2
    using d = double __attribute__((vector_size(32)));
    using i = long long __attribute__((vector_size(32)));
    using u = unsigned long long __attribute__((vector_size(32)));
    static constexpr std::size_t n = 4;
};

template <class V>
[[gnu::always_inline]] inline V splat(double x) {
    return x - V{}; // the scalar is broadcast; x - 0 is x, also for -0
}

// exp(x) = 2^n exp(r), n = round(x / ln 2), |r| <= ln 2 / 2 (Cody and Waite's reduction with the
// two-part ln 2 of fdlibm), exp(r) from its Taylor series to degree 13, whose remainder is below
// 4e-18 on that interval. 2^n is applied as two factors 2^n1 2^n2, each a normal number, so
// subnormal results round once.
template <class L>
[[gnu::always_inline]] inline typename L::d exp_lanes(typename L::d x) {
    using vd = typename L::d;
    using vi = typename L::i;
    using vu = typename L::u;
    constexpr double kShifter = 0x1.8p52; // adding it rounds to an integer held in the low bits
    constexpr double kLog2e = 1.4426950408889634074;
    constexpr double kLn2Hi = 6.93147180369123816490e-01; // 32 significant bits: n kLn2Hi is exact
    constexpr double kLn2Lo = 1.90821492927058770002e-10;
    // Beyond these exp is 0 or +inf in double precision; NaN fails both tests and stays NaN.
    x = x < splat<vd>(-746.0) ? splat<vd>(-746.0) : x;
    x = x > splat<vd>(710.0) ? splat<vd>(710.0) : x;
    const vd t = x * kLog2e + kShifter;
    const vd n = t - kShifter;
    const vd r = (x - n * kLn2Hi) - n * kLn2Lo;

    // exp(r) = 1 + (r + r^2 Q(r)); Q by Estrin's scheme, whose short dependency chains keep the
    // vector units busy; its rounding errors are scaled down by r^2 <= 0.121.
    const vd r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const vd q01 = 0.5 + r * (1.0 / 6.0), q23 = 1.0 / 24.0 + r * (1.0 / 120.0), q45 = 1.0 / 720.0 + r * (1.0 / 5040.0),
             q67 = 1.0 / 40320.0 + r * (1.0 / 362880.0), q89 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0),
             q1011 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    const vd s0 = q01 + r2 * q23, s1 = q45 + r2 * q67, s2 = q89 + r2 * q1011;
    const vd q = (s0 + r4 * s1) + r8 * s2;
    const vd p = 1.0 + (r + r2 * q);

    // n sits in the low bits of t; n + 2048 > 0, so halving it is a logical shift.
    const vi ni = std::bit_cast<vi>(t) - std::bit_cast<vi>(splat<vd>(kShifter));
    const vi n1 = std::bit_cast<vi>(std::bit_cast<vu>(ni + 2048) >> 1) - 1024;
    const vi n2 = ni - n1;
    const vi e1 = (n1 + 1023) << 52, e2 = (n2 + 1023) << 52;
    return p * std::bit_cast<vd>(e1) * std::bit_cast<vd>(e2);
}

template <class L>
[[gnu::always_inline]] inline void exp_array(const double* x, double* y, std::size_t n) {
    using V = typename L::d;
    std::size_t i = 0;
    for (; i + L::n <= n; i += L::n) {
        V v;
        std::memcpy(&v, x + i, sizeof v);
        v = exp_lanes<L>(v);
        std::memcpy(y + i, &v, sizeof v);
    }
    if (i < n) { // the tail through the same kernel, so every element gets the same bits
        V v = splat<V>(0.0);
        std::memcpy(&v, x + i, (n - i) * sizeof(double));
        v = exp_lanes<L>(v);
        std::memcpy(y + i, &v, (n - i) * sizeof(double));
    }
}

} // namespace

namespace detail {

void exp_generic(const double* x, double* y, std::size_t n) { exp_array<Lanes2>(x, y, n); }

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) void exp_avx2(const double* x, double* y, std::size_t n) { exp_array<Lanes4>(x, y, n); }
bool has_avx2() { return __builtin_cpu_supports("avx2"); }
#else
void exp_avx2(const double* x, double* y, std::size_t n) { exp_generic(x, y, n); }
bool has_avx2() { return false; }
#endif

} // namespace detail

void exp(const double* x, double* y, std::size_t n) {
    if (detail::has_avx2())
        detail::exp_avx2(x, y, n);
    else
        detail::exp_generic(x, y, n);
}

} // namespace cakupan::vec
