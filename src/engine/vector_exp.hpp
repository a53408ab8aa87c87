// exp over arrays, for the engine's hazards and the inversion sampler's zero-term probabilities,
// which are most of a stochastic draw's arithmetic. Our own kernel rather than Eigen's or libm's:
// it is written once with plain IEEE operations on 4-wide vectors, built for AVX2 where the CPU has
// it and for SSE2 otherwise, and both builds give the same bits, so the draws do not depend on the
// CPU's vector width. Eigen's exp differs between its SSE2 and AVX builds and is 3x slower on SSE2.
#pragma once

#include <cstddef>

namespace cakupan::vec {

// y[i] = exp(x[i]) for i < n, within 1 ulp of the exact value for results of at least DBL_MIN;
// results below DBL_MIN are subnormal or 0, results above DBL_MAX +inf, NaN stays NaN.
// x and y may be the same array.
void exp(const double* x, double* y, std::size_t n);

namespace detail {
// The two builds of the kernel, for tests that check they agree; avx2 only where has_avx2().
void exp_generic(const double* x, double* y, std::size_t n);
void exp_avx2(const double* x, double* y, std::size_t n);
bool has_avx2();
} // namespace detail

} // namespace cakupan::vec
