// Sobol indices from a Saltelli design: first order by Saltelli et al. (2010), total effect by
// Jansen (1999), second order by Saltelli (2002); percentile intervals from a bootstrap over the
// N base rows.
#include <cakupan/sensitivity/indices.hpp>

#include "numbers.hpp"
#include "parallel.hpp"
#include "engine/random.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cakupan::sensitivity {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Estimate {
    double mean = kNaN, variance = kNaN;
    std::vector<double> s1, st;
    Eigen::MatrixXd s2;
    bool constant = false;
};

// The estimators over the base rows `rows` (the identity, or a bootstrap resample). Outputs are
// centred on the mean of the A and B rows taken, which leaves every estimator's expectation
// unchanged and keeps the products small.
Estimate estimate(const SaltelliDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y, Eigen::Index c,
                  const std::vector<std::size_t>& rows) {
    const std::size_t d = design.dimension();
    const double n = static_cast<double>(rows.size());
    auto f = [&](std::size_t index) { return y(static_cast<Eigen::Index>(index), c); };
    Estimate e;
    e.s1.assign(d, kNaN);
    e.st.assign(d, kNaN);
    if (design.second_order()) e.s2 = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d), kNaN);

    double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t j : rows) {
        const double a = f(design.index_a(j)), b = f(design.index_b(j));
        sum += a + b;
        lo = std::min({lo, a, b});
        hi = std::max({hi, a, b});
    }
    e.mean = sum / (2 * n);
    if (lo == hi) {
        e.variance = 0;
        e.constant = true;
        return e;
    }
    double ss = 0;
    for (std::size_t j : rows) {
        const double a = f(design.index_a(j)) - e.mean, b = f(design.index_b(j)) - e.mean;
        ss += a * a + b * b;
    }
    e.variance = ss / (2 * n);
    const double v = e.variance;

    for (std::size_t k = 0; k < d; ++k) {
        double first = 0, total = 0;
        for (std::size_t j : rows) {
            const double a = f(design.index_a(j)) - e.mean, b = f(design.index_b(j)) - e.mean;
            const double ab = f(design.index_ab(j, k)) - e.mean;
            first += b * (ab - a);
            total += (a - ab) * (a - ab);
        }
        e.s1[k] = first / n / v;
        e.st[k] = total / (2 * n) / v;
    }
    if (design.second_order()) {
        for (std::size_t k = 0; k < d; ++k)
            for (std::size_t l = k + 1; l < d; ++l) {
                double closed = 0;
                for (std::size_t j : rows) {
                    const double a = f(design.index_a(j)) - e.mean, b = f(design.index_b(j)) - e.mean;
                    const double ba = f(design.index_ba(j, k)) - e.mean, ab = f(design.index_ab(j, l)) - e.mean;
                    closed += ba * ab - a * b;
                }
                e.s2(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(l)) = closed / n / v - e.s1[k] - e.s1[l];
            }
    }
    return e;
}

// Percentile interval of the finite values; NaN when there are none.
Interval interval(std::vector<double> values, double level) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return !std::isfinite(x); }), values.end());
    if (values.empty()) return {kNaN, kNaN};
    const double tail = (1 - level) / 2;
    return {percentile(values, tail), percentile(values, 1 - tail)};
}

SobolIndices sobol_column(const SaltelliDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y, Eigen::Index c,
                          const SobolSettings& settings) {
    const std::size_t d = design.dimension(), n = design.base_rows();
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    const Estimate main = estimate(design, y, c, rows);

    SobolIndices out;
    out.mean = main.mean;
    out.variance = main.variance;
    out.s1 = main.s1;
    out.st = main.st;
    const auto dd = static_cast<Eigen::Index>(d);
    if (design.second_order()) {
        out.s2 = main.s2;
        out.s2_low = out.s2_high = Eigen::MatrixXd::Constant(dd, dd, kNaN);
    }
    if (main.constant) {
        out.nan_reason = "the output does not vary (variance 0 over the A and B rows)";
        if (settings.bootstrap > 0) out.s1_ci = out.st_ci = std::vector<Interval>(d, Interval{kNaN, kNaN});
        return out;
    }
    if (settings.bootstrap == 0) return out;

    // Replicate r resamples the base rows with the Philox stream keyed by (seed, r): the same
    // replicates whatever the thread count or the order in which they run.
    std::vector<Estimate> replicates(settings.bootstrap);
    for_each_index(settings.bootstrap, [&](std::size_t r) {
        rng::Stream s(settings.seed, stream_tag::bootstrap, r, 0, 0, 0);
        std::vector<std::size_t> sample(n);
        for (auto& j : sample) j = std::min(static_cast<std::size_t>(s.uniform() * static_cast<double>(n)), n - 1);
        replicates[r] = estimate(design, y, c, sample);
    });
    std::vector<double> values(settings.bootstrap);
    for (std::size_t k = 0; k < d; ++k) {
        for (std::size_t r = 0; r < settings.bootstrap; ++r) values[r] = replicates[r].s1[k];
        out.s1_ci.push_back(interval(values, settings.level));
        for (std::size_t r = 0; r < settings.bootstrap; ++r) values[r] = replicates[r].st[k];
        out.st_ci.push_back(interval(values, settings.level));
    }
    if (design.second_order())
        for (Eigen::Index k = 0; k < dd; ++k)
            for (Eigen::Index l = k + 1; l < dd; ++l) {
                for (std::size_t r = 0; r < settings.bootstrap; ++r) values[r] = replicates[r].s2(k, l);
                const Interval ci = interval(values, settings.level);
                out.s2_low(k, l) = ci.low;
                out.s2_high(k, l) = ci.high;
            }
    return out;
}

void check_settings(const SobolSettings& settings) {
    if (!(settings.level > 0 && settings.level < 1))
        throw std::invalid_argument("the confidence level must be in (0, 1), got " + format_number(settings.level));
}

} // namespace

SobolIndices sobol(const SaltelliDesign& design, const Eigen::VectorXd& y, const SobolSettings& settings) {
    check_settings(settings);
    check_outputs(y, design.size(), "Sobol indices");
    return sobol_column(design, y, 0, settings);
}

std::vector<SobolIndices> sobol(const SaltelliDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y,
                                const SobolSettings& settings) {
    check_settings(settings);
    check_outputs(y, design.size(), "Sobol indices");
    std::vector<SobolIndices> out(static_cast<std::size_t>(y.cols()));
    for_each_index(out.size(), [&](std::size_t c) { out[c] = sobol_column(design, y, static_cast<Eigen::Index>(c), settings); });
    return out;
}

} // namespace cakupan::sensitivity
