// The transcendental functions of every number Cakupan computes from draws: the engine's hazards,
// the binomial sampler, parameter draws, sensitivity indices, the studies' test functions, and the
// latitude scaling of contiguity's snapping tolerance (which decides neighbours, hence spill-over).
// glibc picks FMA or non-FMA builds of log, exp, pow, lgamma, ... when a program starts, and the
// two differ in the last bit for some inputs, so the same run could give other bits on another
// CPU. These come from SLEEF's deterministic scalar builds instead (Sleef_cinz_*: no FMA, no
// run-time dispatch), the same bits on every CPU, within 1 ulp of the exact value (erfc 1.5 ulp).
#pragma once

namespace cakupan::portable {

double exp(double x);
double expm1(double x);
double log(double x);
double log1p(double x);
double pow(double x, double y);
double sin(double x);
double cos(double x);
double tanh(double x);
double atanh(double x);
double erfc(double x);

// z with P(Z <= z) = p for a standard normal Z, p in (0, 1); -inf at 0, +inf at 1.
double normal_quantile(double p);

} // namespace cakupan::portable
