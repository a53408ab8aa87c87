// Estimators of sensitivity studies. Each is a pure function of the design and the outputs: the
// output of design point i is y(i) of a VectorXd (one output), or row i of a matrix whose columns
// are the elements of a vector output (coverage per month, per region, ...), estimated column by
// column (in parallel) with one result per column. Pass a VectorXd, a MatrixXd or an
// Eigen::Ref<const Eigen::MatrixXd>; wrap other expressions (y.col(c), y.head(n)) in one of these.
// Results do not depend on the thread count (columns and bootstrap replicates are independent;
// every sum runs in a fixed order).
//
// Outputs must be finite: a NaN or infinite output throws std::invalid_argument naming the point.
// A constant output gives NaN indices with `nan_reason` set, never an exception.
#pragma once

#include <cakupan/sensitivity/design.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cakupan::sensitivity {

struct Interval {
    double low = 0;
    double high = 0;
};

// ---- one at a time (tornado) ------------------------------------------------------------------

struct TornadoBar {
    std::size_t parameter = 0; // index into the design's parameters
    double low = 0;            // output with the parameter at its low end
    double high = 0;           // output with the parameter at its high end
    double swing = 0;          // |high - low|
};

struct Tornado {
    double base = 0;
    std::vector<TornadoBar> bars; // sorted by swing, largest first; ties by parameter index
};

Tornado tornado(const OatDesign& design, const Eigen::VectorXd& y);
std::vector<Tornado> tornado(const OatDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y);
inline std::vector<Tornado> tornado(const OatDesign& design, const Eigen::MatrixXd& y) {
    return tornado(design, Eigen::Ref<const Eigen::MatrixXd>(y));
}

// ---- Latin hypercube: uncertainty bands and partial rank correlation ---------------------------

struct OutputSummary {
    double mean = 0;
    double sd = 0; // sample standard deviation (n - 1)
    double p5 = 0, p50 = 0, p95 = 0; // percentiles, linear interpolation between order statistics
};

OutputSummary summarise(const Eigen::VectorXd& y);
std::vector<OutputSummary> summarise(const Eigen::Ref<const Eigen::MatrixXd>& y);
inline std::vector<OutputSummary> summarise(const Eigen::MatrixXd& y) {
    return summarise(Eigen::Ref<const Eigen::MatrixXd>(y));
}

// Percentile q in [0, 1] of values (linear interpolation between order statistics, as R type 7).
double percentile(std::vector<double> values, double q);

struct Prcc {
    double value = 0; // partial rank correlation coefficient in [-1, 1], NaN with nan_reason
    Interval ci;      // Fisher z interval at the requested level
    double p_value = 0; // two-sided, normal approximation of Fisher z
    std::string nan_reason;
};

// PRCC (Marino et al. 2008) of each column of x (n points x d parameters) with y. Ranks are
// invariant under the quantile maps, so x may be the design's u values or the parameter values.
// Ties get average ranks. The Fisher z interval uses the standard error 1 / sqrt(n - 3 - (d - 1)).
std::vector<Prcc> prcc(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                       double level = 0.95);

// ---- Morris elementary effects ------------------------------------------------------------------

struct MorrisEffects {
    double mu = 0;      // mean elementary effect
    double mu_star = 0; // mean absolute elementary effect (Campolongo et al. 2007)
    double sigma = 0;   // standard deviation of the effects (n - 1; 0 with one trajectory)
    std::string nan_reason;
};

// Elementary effect of parameter k on trajectory t: (y(after) - y(before)) / change, change being
// +delta or -delta in u space. One entry per parameter.
std::vector<MorrisEffects> morris(const MorrisDesign& design, const Eigen::VectorXd& y);
// Per column of y: result[c][k].
std::vector<std::vector<MorrisEffects>> morris(const MorrisDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y);
inline std::vector<std::vector<MorrisEffects>> morris(const MorrisDesign& design, const Eigen::MatrixXd& y) {
    return morris(design, Eigen::Ref<const Eigen::MatrixXd>(y));
}

// ---- Sobol indices from a Saltelli design -------------------------------------------------------

struct SobolSettings {
    std::size_t bootstrap = 500; // B replicates; 0 skips the intervals
    double level = 0.95;         // confidence level of the percentile intervals
    std::uint64_t seed = 0;      // replicate r resamples the N base rows from Philox keyed (seed, r)
};

struct SobolIndices {
    double mean = 0;
    double variance = 0;         // of the 2N outputs of A and B
    std::vector<double> s1;      // first order (Saltelli et al. 2010)
    std::vector<double> st;      // total effect (Jansen 1999)
    std::vector<Interval> s1_ci; // bootstrap percentile intervals (empty when bootstrap == 0)
    std::vector<Interval> st_ci;
    // Second order (Saltelli 2002), only with a second-order design: s2(j, k) for j < k, NaN
    // elsewhere; intervals in s2_low / s2_high likewise.
    Eigen::MatrixXd s2, s2_low, s2_high;
    std::string nan_reason; // set when the output does not vary: every index is NaN
};

SobolIndices sobol(const SaltelliDesign& design, const Eigen::VectorXd& y, const SobolSettings& settings = {});
std::vector<SobolIndices> sobol(const SaltelliDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y,
                                const SobolSettings& settings = {});
inline std::vector<SobolIndices> sobol(const SaltelliDesign& design, const Eigen::MatrixXd& y,
                                       const SobolSettings& settings = {}) {
    return sobol(design, Eigen::Ref<const Eigen::MatrixXd>(y), settings);
}

} // namespace cakupan::sensitivity
