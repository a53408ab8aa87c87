// Distributions of the parameters a sensitivity study varies. A design produces points u in the
// unit hypercube; quantile(u) maps each coordinate to a parameter value, so the numerical methods
// never see a distribution and every distribution gets the same designs.
//
// Errors: the factories throw std::invalid_argument with a one-line message saying what is wrong
// and what is expected (e.g. "uniform needs low < high, got low 3 and high 1"), without a place:
// the caller reading a study file prefixes its file:line and wraps it in its own error class.
#pragma once

#include <limits>
#include <string>

namespace cakupan::sensitivity {

enum class DistributionKind { uniform, normal, triangular, log_uniform };

class Distribution {
public:
    static Distribution uniform(double low, double high);
    // Normal, optionally truncated to [low, high] (either end may be infinite).
    static Distribution normal(double mean, double sd, double low = -std::numeric_limits<double>::infinity(),
                               double high = std::numeric_limits<double>::infinity());
    static Distribution triangular(double low, double mode, double high);
    static Distribution log_uniform(double low, double high); // needs 0 < low < high

    // Inverse CDF for u in [0, 1]. At u = 0 and u = 1 a bounded distribution gives its bounds; an
    // unbounded end (a normal without truncation on that side) stands at its kTail / 1 - kTail
    // quantile, so the OAT and Morris designs, whose grids include 0 and 1, stay finite.
    // Throws std::invalid_argument for u outside [0, 1] or NaN.
    double quantile(double u) const;

    // Support (an end is infinite for an untruncated normal).
    double lower() const { return lower_; }
    double upper() const { return upper_; }

    DistributionKind kind() const { return kind_; }
    // "uniform(0, 1)", "normal(0.5, 0.1) on [0, 1]", "triangular(0, 0.2, 1)", "log-uniform(0.01, 1)".
    std::string describe() const;

    static constexpr double kTail = 0.001;

private:
    Distribution(DistributionKind kind, double a, double b, double c, double lower, double upper);
    DistributionKind kind_;
    double a_, b_, c_;        // uniform: low, high; normal: mean, sd; triangular: low, mode, high; log-uniform: log low, log high
    double lower_, upper_;    // support
    double p_low_ = 0, p_high_ = 1; // normal: standard-normal CDF at the truncation bounds
};

} // namespace cakupan::sensitivity
