// The Design base and the one-at-a-time design.
#include <cakupan/sensitivity/design.hpp>

#include "numbers.hpp"

#include <stdexcept>

namespace cakupan::sensitivity {

std::vector<double> Design::point(std::size_t i) const {
    std::vector<double> u(dimension());
    point(i, u);
    return u;
}

Eigen::MatrixXd Design::matrix() const {
    const std::size_t n = size(), d = dimension();
    Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
    std::vector<double> u(d);
    for (std::size_t i = 0; i < n; ++i) {
        point(i, u);
        for (std::size_t j = 0; j < d; ++j) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = u[j];
    }
    return m;
}

void check_point_index(std::size_t i, std::size_t size, std::span<double> u, std::size_t dimension) {
    if (i >= size)
        throw std::invalid_argument("design point " + std::to_string(i) + " does not exist; the design has " +
                                    std::to_string(size) + " points");
    if (u.size() != dimension)
        throw std::invalid_argument("a design point has " + std::to_string(dimension) + " coordinates, got room for " +
                                    std::to_string(u.size()));
}

OatDesign::OatDesign(std::size_t dimension, OatSettings settings) : d_(dimension), settings_(settings) {
    if (d_ == 0) throw std::invalid_argument("a one-at-a-time design needs at least one parameter");
    const auto& s = settings_;
    if (!(s.low >= 0 && s.high <= 1 && s.low <= s.base && s.base <= s.high && s.low < s.high))
        throw std::invalid_argument("one-at-a-time needs 0 <= low <= base <= high <= 1 with low < high (quantile "
                                    "levels), got low " + format_number(s.low) + ", base " + format_number(s.base) +
                                    ", high " + format_number(s.high));
}

void OatDesign::point(std::size_t i, std::span<double> u) const {
    check_point_index(i, size(), u, d_);
    for (auto& x : u) x = settings_.base;
    if (i == 0) return;
    const std::size_t k = (i - 1) / 2;
    u[k] = (i - 1) % 2 == 0 ? settings_.low : settings_.high;
}

PointInfo OatDesign::info(std::size_t i) const {
    if (i >= size()) throw std::invalid_argument("design point " + std::to_string(i) + " does not exist");
    if (i == 0) return {0, -1, "base"};
    const std::size_t k = (i - 1) / 2;
    const bool low = (i - 1) % 2 == 0;
    return {low ? 1u : 2u, static_cast<int>(k), "x" + std::to_string(k + 1) + (low ? " low" : " high")};
}

} // namespace cakupan::sensitivity
