#include "engine/portable_math.hpp"

#include <sleef.h>

#include <cmath>
#include <limits>

namespace cakupan::portable {

// The "cinz" functions are SLEEF's deterministic builds: plain C without FMA contraction,
// compiled once for the baseline instruction set, so no CPU feature changes their bits.
double exp(double x) { return Sleef_cinz_expd1_u10purec(x); }
double expm1(double x) { return Sleef_cinz_expm1d1_u10purec(x); }
double log(double x) { return Sleef_cinz_logd1_u10purec(x); }
double log1p(double x) { return Sleef_cinz_log1pd1_u10purec(x); }
double pow(double x, double y) { return Sleef_cinz_powd1_u10purec(x, y); }
double sin(double x) { return Sleef_cinz_sind1_u10purec(x); }
double cos(double x) { return Sleef_cinz_cosd1_u10purec(x); }
double tanh(double x) { return Sleef_cinz_tanhd1_u10purec(x); }
double atanh(double x) { return Sleef_cinz_atanhd1_u10purec(x); }
double erfc(double x) { return Sleef_cinz_erfcd1_u15purec(x); }

// Acklam's rational approximation (relative error below 1.2e-9), then one Halley step on
// Phi(x) - p, with Phi from erfc, which brings it to double precision. The upper half is the
// mirror of the lower one (1 - p is exact there), so the quantile is odd about 1/2 to the bit.
// Only IEEE operations (sqrt included) and the functions above: the same bits on every CPU.
double normal_quantile(double p) {
    if (!(p > 0 && p < 1)) {
        if (p == 0) return -std::numeric_limits<double>::infinity();
        if (p == 1) return std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (p > 0.5) return -normal_quantile(1 - p);
    constexpr double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02,
                     a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
    constexpr double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02,
                     b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
    constexpr double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00,
                     c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
    constexpr double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00,
                     d4 = 3.754408661907416e+00;
    double x;
    if (p < 0.02425) {
        const double q = std::sqrt(-2 * log(p));
        x = (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
    } else {
        const double q = p - 0.5, r = q * q;
        x = (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q /
            (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
    }
    constexpr double kSqrt2 = 1.41421356237309504880, kSqrt2Pi = 2.50662827463100050242;
    const double e = 0.5 * erfc(-x / kSqrt2) - p;
    const double u = e * kSqrt2Pi * exp(x * x / 2);
    if (!std::isfinite(u)) return x; // p so small that exp(x^2 / 2) overflows: the approximation stands
    return x - u / (1 + x * u / 2);
}

} // namespace cakupan::portable
