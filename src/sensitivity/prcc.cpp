// Partial rank correlation coefficients (Marino et al. 2008) with Fisher z intervals.
#include <cakupan/sensitivity/indices.hpp>

#include "numbers.hpp"
#include "parallel.hpp"
#include "engine/portable_math.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cakupan::sensitivity {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Ranks 1..n, ties sharing their average rank.
Eigen::VectorXd ranks(const Eigen::Ref<const Eigen::VectorXd>& v) {
    const auto n = static_cast<std::size_t>(v.size());
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return v(static_cast<Eigen::Index>(a)) < v(static_cast<Eigen::Index>(b));
    });
    Eigen::VectorXd r(v.size());
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && v(static_cast<Eigen::Index>(order[j + 1])) == v(static_cast<Eigen::Index>(order[i]))) ++j;
        const double average = (static_cast<double>(i + j) / 2) + 1;
        for (std::size_t k = i; k <= j; ++k) r(static_cast<Eigen::Index>(order[k])) = average;
        i = j + 1;
    }
    return r;
}

bool constant(const Eigen::VectorXd& v) { return v.minCoeff() == v.maxCoeff(); }

} // namespace

std::vector<Prcc> prcc(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                       double level) {
    const auto n = x.rows(), d = x.cols();
    if (d == 0) throw std::invalid_argument("PRCC needs at least one parameter");
    if (!(level > 0 && level < 1))
        throw std::invalid_argument("the confidence level must be in (0, 1), got " + format_number(level));
    if (n < d + 3)
        throw std::invalid_argument("PRCC of " + std::to_string(d) + " parameters needs at least " +
                                    std::to_string(d + 3) + " points, got " + std::to_string(n));
    check_outputs(y, static_cast<std::size_t>(n), "PRCC");
    check_outputs(x, static_cast<std::size_t>(n), "PRCC inputs");

    Eigen::MatrixXd rx(n, d);
    for (Eigen::Index k = 0; k < d; ++k) rx.col(k) = ranks(x.col(k));
    const Eigen::VectorXd ry = ranks(y);
    const double z_crit = portable::normal_quantile(1 - (1 - level) / 2);
    const double se = 1 / std::sqrt(static_cast<double>(n - d - 2)); // n - 3 - (number controlled for)

    std::vector<Prcc> out(static_cast<std::size_t>(d));
    for_each_index(out.size(), [&](std::size_t kk) {
        const auto k = static_cast<Eigen::Index>(kk);
        Prcc& p = out[kk];
        // Residuals of x_k's ranks and y's ranks after a linear fit on the other parameters' ranks.
        Eigen::MatrixXd z(n, d);
        z.col(0).setOnes();
        for (Eigen::Index j = 0, col = 1; j < d; ++j)
            if (j != k) z.col(col++) = rx.col(j);
        const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(z);
        const Eigen::VectorXd ex = rx.col(k) - z * qr.solve(rx.col(k));
        const Eigen::VectorXd ey = ry - z * qr.solve(ry);
        const double sxx = ex.squaredNorm(), syy = ey.squaredNorm();
        // Residuals at rounding level mean nothing is left to correlate.
        const double tiny = 1e-20 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
        if (constant(ry) || constant(rx.col(k)) || sxx <= tiny || syy <= tiny) {
            p.value = p.p_value = p.ci.low = p.ci.high = kNaN;
            p.nan_reason = constant(ry)            ? "the output does not vary"
                           : constant(rx.col(k)) ? "the parameter does not vary"
                           : sxx <= tiny ? "the parameter's ranks are a linear function of the other parameters' ranks"
                                       : "the output's ranks are a linear function of the other parameters' ranks";
            return;
        }
        p.value = std::clamp(ex.dot(ey) / std::sqrt(sxx * syy), -1.0, 1.0);
        const double z_value = portable::atanh(p.value);
        p.ci = {portable::tanh(z_value - z_crit * se), portable::tanh(z_value + z_crit * se)};
        p.p_value = portable::erfc(std::abs(z_value) / se / std::sqrt(2.0)); // two-sided; 0 when |r| = 1
    });
    return out;
}

} // namespace cakupan::sensitivity
