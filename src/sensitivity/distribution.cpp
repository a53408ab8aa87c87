#include <cakupan/sensitivity/distribution.hpp>

#include "numbers.hpp"
#include "engine/portable_math.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cakupan::sensitivity {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double normal_cdf(double z) { return 0.5 * portable::erfc(-z / std::sqrt(2.0)); }

void require(bool ok, const std::string& message) {
    if (!ok) throw std::invalid_argument(message);
}

} // namespace

Distribution::Distribution(DistributionKind kind, double a, double b, double c, double lower, double upper)
    : kind_(kind), a_(a), b_(b), c_(c), lower_(lower), upper_(upper) {}

Distribution Distribution::uniform(double low, double high) {
    require(std::isfinite(low) && std::isfinite(high) && low < high,
            "uniform needs finite low < high, got low " + format_number(low) + " and high " + format_number(high));
    return Distribution(DistributionKind::uniform, low, high, 0, low, high);
}

Distribution Distribution::normal(double mean, double sd, double low, double high) {
    require(std::isfinite(mean), "normal needs a finite mean, got " + format_number(mean));
    require(std::isfinite(sd) && sd > 0, "normal needs a finite sd > 0, got " + format_number(sd));
    require(!std::isnan(low) && !std::isnan(high) && low < high && low != kInf && high != -kInf,
            "normal truncation needs low < high, got low " + format_number(low) + " and high " + format_number(high));
    Distribution d(DistributionKind::normal, mean, sd, 0, low, high);
    d.p_low_ = std::isfinite(low) ? normal_cdf((low - mean) / sd) : 0.0;
    d.p_high_ = std::isfinite(high) ? normal_cdf((high - mean) / sd) : 1.0;
    // The quantile inverts the CDF between the truncation points: they must hold some probability
    // that double precision can resolve.
    require(d.p_high_ - d.p_low_ > 1e-12, "normal(" + format_number(mean) + ", " + format_number(sd) +
                                              ") has almost no probability in [" + format_number(low) + ", " +
                                              format_number(high) + "]; expected bounds nearer the mean");
    return d;
}

Distribution Distribution::triangular(double low, double mode, double high) {
    require(std::isfinite(low) && std::isfinite(mode) && std::isfinite(high) && low < high && low <= mode &&
                mode <= high,
            "triangular needs finite low <= mode <= high with low < high, got " + format_number(low) + ", " +
                format_number(mode) + ", " + format_number(high));
    return Distribution(DistributionKind::triangular, low, mode, high, low, high);
}

Distribution Distribution::log_uniform(double low, double high) {
    require(std::isfinite(low) && std::isfinite(high) && low > 0 && low < high,
            "log-uniform needs finite 0 < low < high, got low " + format_number(low) + " and high " +
                format_number(high));
    return Distribution(DistributionKind::log_uniform, portable::log(low), portable::log(high), 0, low, high);
}

double Distribution::quantile(double u) const {
    require(u >= 0 && u <= 1, "a quantile needs u in [0, 1], got " + format_number(u));
    switch (kind_) {
    case DistributionKind::uniform:
        if (u == 1) return b_;
        return a_ + u * (b_ - a_);
    case DistributionKind::normal: {
        if (u == 0 && std::isfinite(lower_)) return lower_;
        if (u == 1 && std::isfinite(upper_)) return upper_;
        if (u == 0) u = kTail;
        if (u == 1) u = 1 - kTail;
        const double p = p_low_ + u * (p_high_ - p_low_);
        const double x = a_ + b_ * portable::normal_quantile(p);
        return std::clamp(x, lower_, upper_); // rounding near a truncation point
    }
    case DistributionKind::triangular: {
        const double low = a_, mode = b_, high = c_;
        const double split = (mode - low) / (high - low);
        if (u <= split) return low + std::sqrt(u * (high - low) * (mode - low));
        return high - std::sqrt((1 - u) * (high - low) * (high - mode));
    }
    case DistributionKind::log_uniform:
        if (u == 0) return lower_;
        if (u == 1) return upper_;
        return portable::exp(a_ + u * (b_ - a_));
    }
    return std::numeric_limits<double>::quiet_NaN();
}

std::string Distribution::describe() const {
    switch (kind_) {
    case DistributionKind::uniform:
        return "uniform(" + format_number(a_) + ", " + format_number(b_) + ")";
    case DistributionKind::normal: {
        std::string s = "normal(" + format_number(a_) + ", " + format_number(b_) + ")";
        if (std::isfinite(lower_) || std::isfinite(upper_))
            s += " on [" + format_number(lower_) + ", " + format_number(upper_) + "]";
        return s;
    }
    case DistributionKind::triangular:
        return "triangular(" + format_number(a_) + ", " + format_number(b_) + ", " + format_number(c_) + ")";
    case DistributionKind::log_uniform:
        return "log-uniform(" + format_number(lower_) + ", " + format_number(upper_) + ")";
    }
    return {};
}

} // namespace cakupan::sensitivity
