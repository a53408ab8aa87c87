// Counter-based random numbers (Random123 Philox4x32-10) and the binomial draws of the stochastic
// mode. A stream is keyed by (seed, variant) and addressed by (draw, region, step, flow), so a
// number never depends on which thread or process produced the draws before it.
#pragma once

#include "engine/portable_math.hpp"

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace cakupan::rng {

class Stream {
public:
    // key: (seed, variant) mixed into 64 bits; counter: draw, region, step (12 bits) and flow (20 bits),
    // and a block number for streams that need more than two uniforms.
    Stream(std::uint64_t seed, std::uint64_t variant, std::uint64_t draw, std::uint64_t region, std::uint64_t step,
           std::uint64_t flow)
        : Stream(key(seed, variant), draw, region, step, flow) {}

    // With the key of key(seed, variant), computed once per draw.
    Stream(std::uint64_t key, std::uint64_t draw, std::uint64_t region, std::uint64_t step, std::uint64_t flow) {
        key_ = {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
        ctr_ = {{static_cast<std::uint32_t>(draw), static_cast<std::uint32_t>(region),
                 static_cast<std::uint32_t>((step << 20) | (flow & 0xfffff)), 0}};
    }

    static std::uint64_t key(std::uint64_t seed, std::uint64_t variant) { return mix(seed ^ mix(variant)); }

    // Uniform on the open interval (0, 1), 53 random bits.
    double uniform() {
        if (used_ == 4) {
            out_ = r123::Philox4x32()(ctr_, key_);
            ctr_.v[3]++;
            used_ = 0;
        }
        const std::uint64_t bits = (static_cast<std::uint64_t>(out_.v[used_]) << 21) ^ (out_.v[used_ + 1] >> 11);
        used_ += 2;
        return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
    }

    // Four uniforms on (0, 1) with 32 random bits each, from one Philox block: enough resolution
    // for inversion, where a uniform is only compared with cumulative probabilities.
    std::array<double, 4> four() {
        const auto out = r123::Philox4x32()(ctr_, key_);
        ctr_.v[3]++;
        std::array<double, 4> u;
        for (int i = 0; i < 4; ++i) u[static_cast<std::size_t>(i)] = (static_cast<double>(out.v[i]) + 0.5) * 0x1.0p-32;
        return u;
    }

    static constexpr std::uint64_t kMaxStep = (1u << 12) - 1;

private:
    static std::uint64_t mix(std::uint64_t x) { // splitmix64 finaliser
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    }

    r123::Philox4x32::key_type key_;
    r123::Philox4x32::ctr_type ctr_;
    r123::Philox4x32::ctr_type out_{};
    int used_ = 4;
};

// 1/x for the inversion loop: a multiplication is several times cheaper than a division.
struct Reciprocals {
    static constexpr int kSize = 128;
    double v[kSize];
    constexpr Reciprocals() : v() {
        v[0] = 0;
        for (int i = 1; i < kSize; ++i) v[i] = 1.0 / i;
    }
};
inline constexpr Reciprocals kReciprocals{};

// Inversion (sequential search from 0) with a given uniform u; for means below 10.
// `p0` is (1 - p)^n and `ratio` p / (1 - p), which callers may compute for many draws at once.
inline double binomial_inversion_from(double n, double p0, double ratio, double u) {
    double x = 0;
    double prob = p0;
    double cdf = prob;
    while (u > cdf && x < n) {
        x += 1;
        const double inv = x < Reciprocals::kSize ? kReciprocals.v[static_cast<int>(x)] : 1.0 / x;
        prob *= (n - x + 1) * inv * ratio;
        cdf += prob;
        if (prob <= 0) break; // the tail is below double precision
    }
    return x;
}

inline double binomial_inversion(double n, double p, double log_q, double u) {
    return binomial_inversion_from(n, portable::exp(n * log_q), p / (1 - p), u);
}

inline constexpr double kInversionLimit = 10; // mean n p below which inversion is used

// Stirling's correction fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2], with
// which BTRS's acceptance test needs no lgamma: exact values (computed to 40 digits) below 10, the
// asymptotic series above (its error is below 4e-11 there).
inline double stirling_correction(double k) {
    static constexpr double kExact[10] = {0.08106146679532726, 0.0413406959554093,   0.02767792568499834,
                                          0.020790672103765093, 0.016644691189821193, 0.013876128823070748,
                                          0.01189670994589177,  0.010411265261972096, 0.009255462182712733,
                                          0.00833056343336287};
    if (k < 10) return kExact[static_cast<int>(k)];
    const double r = 1 / (k + 1), r2 = r * r;
    return (1.0 / 12 - (1.0 / 360 - r2 / 1260) * r2) * r;
}

// Binomial(n, p) with n a whole number held in a double and p <= 0.5. `log_q` is log(1 - p),
// passed in when the caller can reuse it across many draws. Inversion for means below 10;
// Hormann's BTRS (transformed rejection with squeeze, 1993) above, which needs O(1) uniforms
// whatever n is. Its acceptance test compares log(f(k) / f(m)), f the binomial's probabilities and
// m its mode, written with Stirling's formula: four portable logarithms, and only for candidates
// that the squeeze does not accept (lgamma, four times per draw before, was the sampler's cost).
inline double binomial_small_p(double n, double p, double log_q, Stream& s) {
    const double q = 1 - p;
    if (n * p < kInversionLimit) return binomial_inversion(n, p, log_q, s.uniform());
    const double spq = std::sqrt(n * p * q);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double vr = 0.92 - 4.2 / b;
    const double alpha = (2.83 + 5.1 / b) * spq;
    const double r = p / q;
    const double m = std::floor((n + 1) * p);
    const double fc_m = stirling_correction(m) + stirling_correction(n - m);
    for (;;) {
        const double u = s.uniform() - 0.5;
        double v = s.uniform();
        const double us = 0.5 - std::abs(u);
        const double k = std::floor((2 * a / us + b) * u + c);
        if (k < 0 || k > n) continue;
        if (us >= 0.07 && v <= vr) return k;
        v = portable::log(v * alpha / (a / (us * us) + b));
        const double log_ratio = (m + 0.5) * portable::log((m + 1) / (r * (n - m + 1))) +
                                 (n + 1) * portable::log((n - m + 1) / (n - k + 1)) +
                                 (k + 0.5) * portable::log(r * (n - k + 1) / (k + 1)) + fc_m - stirling_correction(k) -
                                 stirling_correction(n - k);
        if (v <= log_ratio) return k;
    }
}

inline double binomial(double n, double p, Stream& s) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - binomial_small_p(n, 1 - p, portable::log(p), s);
    return binomial_small_p(n, p, portable::log1p(-p), s);
}

} // namespace cakupan::rng
