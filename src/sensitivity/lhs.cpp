// Latin hypercube design: permutations keyed by (seed, dimension), jitter by (seed, point, dimension).
#include <cakupan/sensitivity/design.hpp>

#include "numbers.hpp"
#include "engine/random.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cakupan::sensitivity {

LhsDesign::LhsDesign(std::size_t points, std::size_t dimension, std::uint64_t seed, bool jitter)
    : n_(points), d_(dimension), seed_(seed), jitter_(jitter) {
    if (n_ == 0 || d_ == 0) throw std::invalid_argument("a Latin hypercube needs at least one point and one parameter");
    if (n_ > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("a Latin hypercube holds at most 4294967295 points, got " + std::to_string(n_));
    strata_.resize(n_ * d_);
    std::vector<std::uint32_t> perm(n_);
    for (std::size_t j = 0; j < d_; ++j) {
        std::iota(perm.begin(), perm.end(), 0u);
        rng::Stream s(seed_, stream_tag::lhs_permutation, j, 0, 0, 0);
        for (std::size_t k = n_ - 1; k > 0; --k) { // Fisher-Yates, from the end
            const auto pick = std::min(static_cast<std::size_t>(s.uniform() * static_cast<double>(k + 1)), k);
            std::swap(perm[k], perm[pick]);
        }
        for (std::size_t i = 0; i < n_; ++i) strata_[i * d_ + j] = perm[i];
    }
}

void LhsDesign::point(std::size_t i, std::span<double> u) const {
    check_point_index(i, n_, u, d_);
    const double n = static_cast<double>(n_);
    for (std::size_t j = 0; j < d_; ++j) {
        const double offset = jitter_ ? rng::Stream(seed_, stream_tag::lhs_jitter, i, j, 0, 0).uniform() : 0.5;
        const double stratum = strata_[i * d_ + j];
        double x = (stratum + offset) / n;
        // Rounding may carry an offset near 1 onto the next stratum's edge: step back inside, so that
        // floor(u n) is the stratum exactly.
        while (std::floor(x * n) > stratum) x = std::nextafter(x, 0.0);
        while (std::floor(x * n) < stratum) x = std::nextafter(x, 1.0);
        u[j] = x;
    }
}

PointInfo LhsDesign::info(std::size_t i) const {
    if (i >= n_) throw std::invalid_argument("design point " + std::to_string(i) + " does not exist");
    return {0, static_cast<int>(i), "point " + std::to_string(i)};
}

} // namespace cakupan::sensitivity
