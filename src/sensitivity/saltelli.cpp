// Saltelli sampling on the Sobol sequence (boost::random::sobol, Joe-Kuo direction numbers).
#include <cakupan/sensitivity/design.hpp>

#include "numbers.hpp"

#include <boost/random/sobol.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cakupan::sensitivity {
namespace {

std::size_t default_skip(std::size_t n) {
    std::size_t p = 1;
    while (p < n) p *= 2;
    return p;
}

} // namespace

SaltelliDesign::SaltelliDesign(std::size_t dimension, SaltelliSettings settings)
    : d_(dimension), settings_(settings),
      skip_(settings.skip == static_cast<std::size_t>(-1) ? default_skip(settings.base_rows) : settings.skip) {
    if (d_ == 0) throw std::invalid_argument("a Saltelli design needs at least one parameter");
    // Boost's tables hold 3667 dimensions; the design uses two per parameter.
    if (2 * d_ > 3667)
        throw std::invalid_argument("a Saltelli design handles at most 1833 parameters, got " + std::to_string(d_));
    if (settings_.base_rows < 2)
        throw std::invalid_argument("a Saltelli design needs at least 2 base rows, got " +
                                    std::to_string(settings_.base_rows));
    if (skip_ < 1)
        throw std::invalid_argument("a Saltelli design must skip at least the first Sobol point (all zeros)");
    if (settings_.base_rows > (std::size_t{1} << 40) || skip_ > (std::size_t{1} << 40))
        throw std::invalid_argument("a Saltelli design is limited to 2^40 base rows and 2^40 skipped points");
}

// Sequence point k (k >= 1; point 0 is the origin) is Boost's position k - 1, because Boost's
// engine starts after the origin. Coordinates are 64-bit integers scaled by 2^-64: never 0 or 1
// for k >= 1 below 2^52.
void SaltelliDesign::base_row(std::size_t row, std::span<double> ab) const {
    if (row >= settings_.base_rows)
        throw std::invalid_argument("Saltelli base row " + std::to_string(row) + " does not exist; the design has " +
                                    std::to_string(settings_.base_rows));
    if (ab.size() != 2 * d_)
        throw std::invalid_argument("a Saltelli base row has " + std::to_string(2 * d_) + " coordinates");
    boost::random::sobol engine(2 * d_);
    engine.seed(static_cast<boost::random::sobol::result_type>(skip_ + row - 1));
    for (auto& x : ab) x = std::ldexp(static_cast<double>(engine()), -64);
}

void SaltelliDesign::point(std::size_t i, std::span<double> u) const {
    check_point_index(i, size(), u, d_);
    const std::size_t row = i / stride(), role = i % stride();
    std::vector<double> ab(2 * d_);
    base_row(row, ab);
    const double* a = ab.data();
    const double* b = ab.data() + d_;
    if (role == 0) { // A
        for (std::size_t k = 0; k < d_; ++k) u[k] = a[k];
    } else if (role == 1) { // B
        for (std::size_t k = 0; k < d_; ++k) u[k] = b[k];
    } else if (role < 2 + d_) { // AB_j: A with column j from B
        const std::size_t j = role - 2;
        for (std::size_t k = 0; k < d_; ++k) u[k] = k == j ? b[k] : a[k];
    } else { // BA_j: B with column j from A
        const std::size_t j = role - 2 - d_;
        for (std::size_t k = 0; k < d_; ++k) u[k] = k == j ? a[k] : b[k];
    }
}

PointInfo SaltelliDesign::info(std::size_t i) const {
    if (i >= size()) throw std::invalid_argument("design point " + std::to_string(i) + " does not exist");
    const std::size_t row = i / stride(), role = i % stride();
    std::string block = role == 0 ? "A"
                        : role == 1 ? "B"
                        : role < 2 + d_ ? "AB[" + std::to_string(role - 2) + "]"
                                        : "BA[" + std::to_string(role - 2 - d_) + "]";
    return {row, static_cast<int>(role), "row " + std::to_string(row) + " " + block};
}

} // namespace cakupan::sensitivity
