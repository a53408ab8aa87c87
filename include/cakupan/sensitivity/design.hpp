// Sampling designs of sensitivity studies: matrices of points in the unit hypercube [0,1]^d (map
// each coordinate with Distribution::quantile). Every point is a pure function of (seed, point
// index, design settings), so a runner may evaluate any subset of indices on any thread or process
// and in any order; point(i) never depends on which points were produced before.
//
// A design is cheap to rebuild from its settings (a resumed run rebuilds it). Construction checks
// the settings and throws std::invalid_argument with a one-line message (no place; the caller adds
// it). All member functions are const and safe to call concurrently.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cakupan::sensitivity {

// Where a point sits in its design: a block (OAT: 0 base, 1 low, 2 high; Morris: trajectory;
// Saltelli: base row) and a position inside it (OAT: parameter, -1 for the base; Morris: step
// 0..d; Saltelli: 0 A, 1 B, 2 + k AB_k, 2 + d + k BA_k).
struct PointInfo {
    std::size_t block = 0;
    int position = 0;
    std::string label; // "base", "x3 low", "trajectory 2 step 1", "row 5 AB[2]"
};

class Design {
public:
    virtual ~Design() = default;
    virtual std::size_t size() const = 0;      // number of points
    virtual std::size_t dimension() const = 0; // d, number of parameters
    // Writes the d coordinates of point i (i < size()) into u (u.size() == dimension()).
    virtual void point(std::size_t i, std::span<double> u) const = 0;
    virtual PointInfo info(std::size_t i) const = 0;

    std::vector<double> point(std::size_t i) const;
    // All points, one row per point (size() x dimension()).
    Eigen::MatrixXd matrix() const;
};

// One at a time: point 0 is the base (every coordinate at `base`), then for parameter k (0-based)
// point 1 + 2k has coordinate k at `low` and point 2 + 2k at `high`. 1 + 2d points.
struct OatSettings {
    double base = 0.5;
    double low = 0.0;  // u of the low end; 0 = the lower bound (Distribution::kTail for an unbounded end)
    double high = 1.0; // u of the high end
};

class OatDesign final : public Design {
public:
    OatDesign(std::size_t dimension, OatSettings settings = {});
    std::size_t size() const override { return 1 + 2 * d_; }
    std::size_t dimension() const override { return d_; }
    using Design::point;
    void point(std::size_t i, std::span<double> u) const override;
    PointInfo info(std::size_t i) const override;
    const OatSettings& settings() const { return settings_; }

private:
    std::size_t d_;
    OatSettings settings_;
};

// Latin hypercube: n points; in every dimension each of the n strata [k/n, (k+1)/n) holds exactly
// one point. The stratum of point i in dimension j is perm_j(i), perm_j a Fisher-Yates permutation
// drawn from the Philox stream keyed by (seed, j); the position inside the stratum is a uniform
// keyed by (seed, i, j) (or the stratum's midpoint when `jitter` is false).
class LhsDesign final : public Design {
public:
    LhsDesign(std::size_t points, std::size_t dimension, std::uint64_t seed, bool jitter = true);
    std::size_t size() const override { return n_; }
    std::size_t dimension() const override { return d_; }
    using Design::point;
    void point(std::size_t i, std::span<double> u) const override;
    PointInfo info(std::size_t i) const override;
    std::uint64_t seed() const { return seed_; }

private:
    std::size_t n_, d_;
    std::uint64_t seed_;
    bool jitter_;
    std::vector<std::uint32_t> strata_; // n x d, row-major: stratum of point i in dimension j
};

// Morris elementary effects (Morris 1991): r trajectories of d + 1 points on the grid
// {0, 1/(p-1), ..., 1} with step delta = p / (2 (p - 1)) (p even). Trajectory t starts at a random
// grid point and moves one coordinate at a time by +delta or -delta, in a random order; start,
// directions and order are drawn from the Philox stream keyed by (seed, t). Point i is step
// i % (d + 1) of trajectory i / (d + 1); r (d + 1) points.
struct MorrisSettings {
    std::size_t trajectories = 10; // r
    int levels = 4;                // p, even, >= 2
};

class MorrisDesign final : public Design {
public:
    MorrisDesign(std::size_t dimension, MorrisSettings settings, std::uint64_t seed);
    std::size_t size() const override { return settings_.trajectories * (d_ + 1); }
    std::size_t dimension() const override { return d_; }
    using Design::point;
    void point(std::size_t i, std::span<double> u) const override;
    PointInfo info(std::size_t i) const override;

    double delta() const; // p / (2 (p - 1))
    const MorrisSettings& settings() const { return settings_; }
    std::uint64_t seed() const { return seed_; }
    // The parameter that changes between step s and step s + 1 (s < d) of trajectory t, and the
    // signed change of its coordinate (+delta or -delta).
    struct Move {
        std::size_t parameter;
        double change;
    };
    Move move(std::size_t trajectory, std::size_t step) const;

private:
    struct Trajectory {
        std::vector<double> start;
        std::vector<std::size_t> order;
        std::vector<double> change;
    };
    Trajectory trajectory(std::size_t t) const;
    std::size_t d_;
    MorrisSettings settings_;
    std::uint64_t seed_;
};

// Saltelli sampling (Saltelli 2002; Saltelli et al. 2010) on the Sobol sequence of dimension 2d
// (boost::random::sobol, Joe-Kuo direction numbers). Base row j (0 <= j < N) takes sequence point
// skip + j: its first d coordinates are row j of A, its last d row j of B. The design is grouped
// by base row: the points of row j are A, B, AB_0 .. AB_{d-1} and, with second order, BA_0 ..
// BA_{d-1}, where AB_k is A with column k taken from B and BA_k is B with column k from A. So
// point i is row i / stride, role i % stride, stride = d + 2 or 2d + 2; N (d + 2) or N (2d + 2)
// points. A partly evaluated design is made of whole rows when cut at a multiple of stride.
// The seed does not change Sobol points; it is kept for the bootstrap of the estimators.
struct SaltelliSettings {
    std::size_t base_rows = 1024; // N; a power of two keeps the Sobol balance
    bool second_order = false;
    // Sequence points skipped before row 0; SIZE_MAX means the default: the smallest power of
    // two >= N (the leading points of a Sobol sequence are poorly spread).
    std::size_t skip = static_cast<std::size_t>(-1);
};

class SaltelliDesign final : public Design {
public:
    SaltelliDesign(std::size_t dimension, SaltelliSettings settings);
    std::size_t size() const override { return settings_.base_rows * stride(); }
    std::size_t dimension() const override { return d_; }
    using Design::point;
    void point(std::size_t i, std::span<double> u) const override;
    PointInfo info(std::size_t i) const override;

    std::size_t stride() const { return settings_.second_order ? 2 * d_ + 2 : d_ + 2; }
    std::size_t base_rows() const { return settings_.base_rows; }
    bool second_order() const { return settings_.second_order; }
    std::size_t skip() const { return skip_; }

    // Index of a point: row j, block A, B, AB_k or BA_k.
    std::size_t index_a(std::size_t row) const { return row * stride(); }
    std::size_t index_b(std::size_t row) const { return row * stride() + 1; }
    std::size_t index_ab(std::size_t row, std::size_t k) const { return row * stride() + 2 + k; }
    std::size_t index_ba(std::size_t row, std::size_t k) const { return row * stride() + 2 + d_ + k; }

    // The 2d coordinates of base row j (A then B), values in (0, 1).
    void base_row(std::size_t row, std::span<double> ab) const;

private:
    std::size_t d_;
    SaltelliSettings settings_;
    std::size_t skip_;
};

} // namespace cakupan::sensitivity
