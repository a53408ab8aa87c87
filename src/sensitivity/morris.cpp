// Morris trajectories (Morris 1991) and their elementary effects, with mu* (Campolongo et al. 2007).
#include <cakupan/sensitivity/design.hpp>
#include <cakupan/sensitivity/indices.hpp>

#include "numbers.hpp"
#include "parallel.hpp"
#include "engine/random.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cakupan::sensitivity {

MorrisDesign::MorrisDesign(std::size_t dimension, MorrisSettings settings, std::uint64_t seed)
    : d_(dimension), settings_(settings), seed_(seed) {
    if (d_ == 0) throw std::invalid_argument("a Morris design needs at least one parameter");
    if (settings_.trajectories == 0) throw std::invalid_argument("a Morris design needs at least one trajectory");
    if (settings_.levels < 2 || settings_.levels % 2 != 0)
        throw std::invalid_argument("Morris levels must be an even number >= 2, got " + std::to_string(settings_.levels));
}

double MorrisDesign::delta() const {
    const double p = settings_.levels;
    return p / (2 * (p - 1));
}

// Grid levels are whole numbers 0..p-1 (u = level / (p - 1)); a move shifts one coordinate by p/2
// levels. The lower level of each coordinate is drawn from 0..p/2-1, so both ends stay on the grid.
MorrisDesign::Trajectory MorrisDesign::trajectory(std::size_t t) const {
    const int p = settings_.levels, half = p / 2;
    rng::Stream s(seed_, stream_tag::morris, t, 0, 0, 0);
    Trajectory tr;
    tr.start.resize(d_);
    tr.change.resize(d_);
    tr.order.resize(d_);
    for (std::size_t k = 0; k < d_; ++k) {
        const int lower = std::min(static_cast<int>(s.uniform() * half), half - 1);
        const bool up = s.uniform() < 0.5;
        const int from = up ? lower : lower + half, to = up ? lower + half : lower;
        tr.start[k] = static_cast<double>(from) / (p - 1);
        tr.change[k] = static_cast<double>(to) / (p - 1) - tr.start[k];
    }
    std::iota(tr.order.begin(), tr.order.end(), std::size_t{0});
    for (std::size_t k = d_ - 1; k > 0; --k) {
        const auto pick = std::min(static_cast<std::size_t>(s.uniform() * static_cast<double>(k + 1)), k);
        std::swap(tr.order[k], tr.order[pick]);
    }
    return tr;
}

void MorrisDesign::point(std::size_t i, std::span<double> u) const {
    check_point_index(i, size(), u, d_);
    const Trajectory tr = trajectory(i / (d_ + 1));
    const std::size_t step = i % (d_ + 1);
    for (std::size_t k = 0; k < d_; ++k) u[k] = tr.start[k];
    for (std::size_t s = 0; s < step; ++s) {
        const std::size_t k = tr.order[s];
        u[k] += tr.change[k];
        u[k] = std::round(u[k] * (settings_.levels - 1)) / (settings_.levels - 1); // exactly on the grid
    }
}

PointInfo MorrisDesign::info(std::size_t i) const {
    if (i >= size()) throw std::invalid_argument("design point " + std::to_string(i) + " does not exist");
    const std::size_t t = i / (d_ + 1), step = i % (d_ + 1);
    return {t, static_cast<int>(step), "trajectory " + std::to_string(t) + " step " + std::to_string(step)};
}

MorrisDesign::Move MorrisDesign::move(std::size_t trajectory_index, std::size_t step) const {
    if (trajectory_index >= settings_.trajectories || step >= d_)
        throw std::invalid_argument("Morris move " + std::to_string(step) + " of trajectory " +
                                    std::to_string(trajectory_index) + " does not exist");
    const Trajectory tr = trajectory(trajectory_index);
    const std::size_t k = tr.order[step];
    return {k, tr.change[k]};
}

namespace {

std::vector<MorrisEffects> morris_column(const MorrisDesign& design, const std::vector<std::vector<MorrisDesign::Move>>& moves,
                                         const Eigen::Ref<const Eigen::MatrixXd>& y, Eigen::Index column) {
    const std::size_t d = design.dimension(), r = design.settings().trajectories;
    std::vector<std::vector<double>> effects(d);
    for (std::size_t t = 0; t < r; ++t)
        for (std::size_t s = 0; s < d; ++s) {
            const auto before = static_cast<Eigen::Index>(t * (d + 1) + s);
            const auto& m = moves[t][s];
            effects[m.parameter].push_back((y(before + 1, column) - y(before, column)) / m.change);
        }
    std::vector<MorrisEffects> out(d);
    for (std::size_t k = 0; k < d; ++k) {
        const auto& e = effects[k];
        double sum = 0, sum_abs = 0;
        for (double v : e) {
            sum += v;
            sum_abs += std::abs(v);
        }
        const double n = static_cast<double>(e.size());
        out[k].mu = sum / n;
        out[k].mu_star = sum_abs / n;
        double ss = 0;
        for (double v : e) ss += (v - out[k].mu) * (v - out[k].mu);
        out[k].sigma = e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
    }
    return out;
}

std::vector<std::vector<MorrisDesign::Move>> all_moves(const MorrisDesign& design) {
    const std::size_t d = design.dimension(), r = design.settings().trajectories;
    std::vector<std::vector<MorrisDesign::Move>> moves(r);
    for (std::size_t t = 0; t < r; ++t)
        for (std::size_t s = 0; s < d; ++s) moves[t].push_back(design.move(t, s));
    return moves;
}

} // namespace

std::vector<MorrisEffects> morris(const MorrisDesign& design, const Eigen::VectorXd& y) {
    check_outputs(y, design.size(), "Morris");
    return morris_column(design, all_moves(design), y, 0);
}

std::vector<std::vector<MorrisEffects>> morris(const MorrisDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y) {
    check_outputs(y, design.size(), "Morris");
    const auto moves = all_moves(design);
    std::vector<std::vector<MorrisEffects>> out(static_cast<std::size_t>(y.cols()));
    for_each_index(out.size(), [&](std::size_t c) { out[c] = morris_column(design, moves, y, static_cast<Eigen::Index>(c)); });
    return out;
}

} // namespace cakupan::sensitivity
