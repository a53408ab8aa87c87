#include "cakupan/geo/simplify.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>

// Why by hand: GEOS simplifies each polygon on its own (TopologyPreservingSimplifier keeps a
// polygon valid, not its neighbour's border identical), so neighbours drift apart by up to the
// tolerance and slivers show at every border. Splitting rings into arcs at nodes and simplifying
// each arc once in a direction fixed by its coordinates gives neighbours the same vertices.

namespace cakupan {

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

struct PointKey {
    std::uint64_t x, y;
    bool operator==(const PointKey&) const = default;
};
struct PointHash {
    std::size_t operator()(const PointKey& k) const noexcept {
        return static_cast<std::size_t>(k.x * 0x9E3779B97F4A7C15ull ^ (k.y + 0x632BE59BD9B4E019ull + (k.x << 6) + (k.x >> 2)));
    }
};

// -0.0 and 0.0 are one point.
std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v == 0 ? 0.0 : v); }

// Up to two distinct neighbours of a point; `many` once a third turns up.
struct Neighbours {
    std::uint32_t a = kNone, b = kNone;
    bool many = false;
    void add(std::uint32_t q) {
        if (q == a || q == b) return;
        if (a == kNone)
            a = q;
        else if (b == kNone)
            b = q;
        else
            many = true;
    }
    bool node() const { return many || b == kNone; }
};

struct Points {
    std::vector<double> x, y; // one per distinct point
    bool less(std::uint32_t p, std::uint32_t q) const { return x[p] < x[q] || (x[p] == x[q] && y[p] < y[q]); }
};

// Distance from point p to the segment a-b (to a when a == b).
double segment_distance(const Points& P, std::uint32_t p, std::uint32_t a, std::uint32_t b) {
    const double dx = P.x[b] - P.x[a], dy = P.y[b] - P.y[a];
    double px = P.x[p] - P.x[a], py = P.y[p] - P.y[a];
    const double len2 = dx * dx + dy * dy;
    if (len2 > 0) {
        const double t = std::clamp((px * dx + py * dy) / len2, 0.0, 1.0);
        px -= t * dx;
        py -= t * dy;
    }
    return std::sqrt(px * px + py * py);
}

// Douglas-Peucker of arc[0..n-1] with both ends kept; appends the kept points but the last.
void douglas_peucker(const Points& P, const std::vector<std::uint32_t>& arc, double tol, std::vector<std::uint32_t>& out) {
    const std::size_t n = arc.size();
    std::vector<char> keep(n, 0);
    keep[0] = keep[n - 1] = 1;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        const auto [i, j] = stack.back();
        stack.pop_back();
        double worst = -1;
        std::size_t at = i;
        for (std::size_t k = i + 1; k < j; ++k) {
            const double d = segment_distance(P, arc[k], arc[i], arc[j]);
            if (d > worst) worst = d, at = k;
        }
        if (worst > tol) {
            keep[at] = 1;
            stack.push_back({i, at});
            stack.push_back({at, j});
        }
    }
    for (std::size_t k = 0; k + 1 < n; ++k)
        if (keep[k]) out.push_back(arc[k]);
}

// Simplifies one arc in its canonical direction (so every ring along it gets the same points)
// and appends them in the arc's own direction, last point left out.
void simplify_arc(const Points& P, std::vector<std::uint32_t>& arc, double tol, std::vector<std::uint32_t>& out) {
    const std::size_t n = arc.size();
    if (n <= 2) {
        out.push_back(arc[0]);
        return;
    }
    // Canonical: from the smaller end; a loop (both ends one node) towards the smaller second point.
    const bool reversed = arc[0] != arc[n - 1] ? P.less(arc[n - 1], arc[0]) : P.less(arc[n - 2], arc[1]);
    if (!reversed) {
        douglas_peucker(P, arc, tol, out);
        return;
    }
    std::reverse(arc.begin(), arc.end());
    std::vector<std::uint32_t> kept;
    douglas_peucker(P, arc, tol, kept);
    kept.push_back(arc[n - 1]);
    // Back to the arc's direction: kept reversed, its last point (the arc's first) first.
    for (auto it = kept.rbegin(); it + 1 != kept.rend(); ++it) out.push_back(*it);
}

} // namespace

double ring_area(const ShapeSet& s, std::size_t ring) {
    double a = 0;
    for (std::size_t v = s.ring_start[ring]; v + 1 < s.ring_start[ring + 1]; ++v) a += s.x[v] * s.y[v + 1] - s.x[v + 1] * s.y[v];
    return a / 2;
}

ShapeSet simplify_shared(const ShapeSet& s, double tolerance, SimplifyStats* stats) {
    // Distinct points, in order of first appearance.
    Points P;
    std::vector<std::uint32_t> id(s.vertex_count(), kNone);
    {
        std::unordered_map<PointKey, std::uint32_t, PointHash> index;
        index.reserve(s.vertex_count());
        for (std::size_t v = 0; v < s.vertex_count(); ++v) {
            const auto [it, fresh] = index.try_emplace(PointKey{bits(s.x[v]), bits(s.y[v])}, static_cast<std::uint32_t>(P.x.size()));
            if (fresh) P.x.push_back(s.x[v]), P.y.push_back(s.y[v]);
            id[v] = it->second;
        }
    }
    // Nodes: points with other than two distinct neighbours over every ring through them.
    std::vector<Neighbours> nb(P.x.size());
    for (std::size_t ring = 0; ring < s.ring_count(); ++ring)
        for (std::size_t v = s.ring_start[ring]; v + 1 < s.ring_start[ring + 1]; ++v)
            if (id[v] != id[v + 1]) nb[id[v]].add(id[v + 1]), nb[id[v + 1]].add(id[v]);

    // Each ring as its simplified points (closing point left out).
    std::vector<std::vector<std::uint32_t>> rings(s.ring_count());
    std::vector<std::uint32_t> ring, arc;
    for (std::size_t r = 0; r < s.ring_count(); ++r) {
        ring.clear();
        for (std::size_t v = s.ring_start[r]; v + 1 < s.ring_start[r + 1]; ++v)
            if (ring.empty() || ring.back() != id[v]) ring.push_back(id[v]);
        while (ring.size() > 1 && ring.back() == ring.front()) ring.pop_back();
        const std::size_t m = ring.size();
        if (m < 3) continue;
        // Start at a node; a ring without one (an island, or an enclave and its hole) starts at
        // its smallest point, which its twin ring picks too.
        std::size_t start = m;
        for (std::size_t k = 0; k < m && start == m; ++k)
            if (nb[ring[k]].node()) start = k;
        if (start == m) {
            start = 0;
            for (std::size_t k = 1; k < m; ++k)
                if (P.less(ring[k], ring[start])) start = k;
        }
        const bool no_node = std::none_of(ring.begin(), ring.end(), [&](std::uint32_t p) { return nb[p].node(); });
        auto& out = rings[r];
        arc.assign(1, ring[start]);
        for (std::size_t step = 1; step <= m; ++step) {
            const std::uint32_t p = ring[(start + step) % m];
            arc.push_back(p);
            if (step == m || (!no_node && nb[p].node())) {
                simplify_arc(P, arc, tolerance, out);
                arc.assign(1, p);
            }
        }
    }

    ShapeSet out;
    std::size_t dropped = 0;
    std::vector<double> xs, ys;
    for (std::size_t g = 0; g < s.region_count(); ++g) {
        out.begin_region();
        bool any = false;
        for (std::size_t part = s.region_start[g]; part < s.region_start[g + 1]; ++part) {
            bool begun = false;
            for (std::size_t r = s.part_start[part]; r < s.part_start[part + 1]; ++r) {
                const auto& pts = rings[r];
                if (pts.size() < 3) {
                    ++dropped;
                    if (r == s.part_start[part]) {
                        dropped += s.part_start[part + 1] - r - 1;
                        break; // the shell is gone: so is the part
                    }
                    continue;
                }
                xs.clear();
                ys.clear();
                for (const auto p : pts) xs.push_back(P.x[p]), ys.push_back(P.y[p]);
                if (!begun) out.begin_part(), begun = true;
                out.add_ring(xs, ys);
                any = true;
            }
        }
        if (!any) // smaller than the tolerance: drawn as it was rather than not at all
            for (std::size_t part = s.region_start[g]; part < s.region_start[g + 1]; ++part) {
                out.begin_part();
                for (std::size_t r = s.part_start[part]; r < s.part_start[part + 1]; ++r) {
                    const auto b = static_cast<std::ptrdiff_t>(s.ring_start[r]), e = static_cast<std::ptrdiff_t>(s.ring_start[r + 1]);
                    out.add_ring(std::span<const double>(s.x.begin() + b, s.x.begin() + e),
                                 std::span<const double>(s.y.begin() + b, s.y.begin() + e));
                }
            }
    }
    out.finish();
    if (stats != nullptr) *stats = {s.vertex_count(), out.vertex_count(), dropped};
    return out;
}

} // namespace cakupan
