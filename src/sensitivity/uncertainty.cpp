// Uncertainty bands of a Latin hypercube (or any sample): mean, sd and percentiles.
#include <cakupan/sensitivity/indices.hpp>

#include "numbers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cakupan::sensitivity {

double percentile(std::vector<double> values, double q) {
    if (values.empty()) throw std::invalid_argument("a percentile needs at least one value");
    if (!(q >= 0 && q <= 1)) throw std::invalid_argument("a percentile level must be in [0, 1], got " + format_number(q));
    std::sort(values.begin(), values.end());
    const double h = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(h));
    if (below + 1 >= values.size()) return values.back();
    return values[below] + (h - static_cast<double>(below)) * (values[below + 1] - values[below]);
}

namespace {

OutputSummary summarise_column(const Eigen::Ref<const Eigen::MatrixXd>& y, Eigen::Index c) {
    const auto n = y.rows();
    std::vector<double> v(static_cast<std::size_t>(n));
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        v[static_cast<std::size_t>(i)] = y(i, c);
        sum += y(i, c);
    }
    OutputSummary s;
    s.mean = sum / static_cast<double>(n);
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : std::numeric_limits<double>::quiet_NaN();
    std::sort(v.begin(), v.end());
    s.p5 = percentile(v, 0.05);
    s.p50 = percentile(v, 0.5);
    s.p95 = percentile(v, 0.95);
    return s;
}

} // namespace

OutputSummary summarise(const Eigen::VectorXd& y) {
    if (y.size() == 0) throw std::invalid_argument("a summary needs at least one output");
    check_outputs(y, static_cast<std::size_t>(y.size()), "summary");
    return summarise_column(y, 0);
}

std::vector<OutputSummary> summarise(const Eigen::Ref<const Eigen::MatrixXd>& y) {
    if (y.rows() == 0) throw std::invalid_argument("a summary needs at least one output");
    check_outputs(y, static_cast<std::size_t>(y.rows()), "summary");
    std::vector<OutputSummary> out;
    for (Eigen::Index c = 0; c < y.cols(); ++c) out.push_back(summarise_column(y, c));
    return out;
}

} // namespace cakupan::sensitivity
