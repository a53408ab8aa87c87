#include "cakupan/geo/contiguity.hpp"

#include "cakupan/common/error.hpp"
#include "engine/portable_math.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

// Method: every boundary segment goes into the cells of a uniform grid that its bounding box,
// grown by the tolerance, overlaps. A vertex then only needs the segments of its own cell: any
// segment within the tolerance of the vertex was filed there. Queen neighbours are regions with a
// vertex on (or within the tolerance of) the other's boundary; rook neighbours need both ends of
// one segment near the same region. Written here rather than taken from GEOS because pairwise
// "touches" tests over an R-tree are an order of magnitude slower on 83k polygons, and GEOS has
// no notion of a snapping tolerance between polygons simplified independently.

namespace cakupan {

namespace {

constexpr double kMetresPerDegree = 111195.0; // mean Earth radius 6,371,009 m

struct Grid {
    double x0 = 0, y0 = 0, cell = 1;
    std::int64_t nx = 1, ny = 1;
    std::vector<std::uint32_t> start; // cells + 1
    std::vector<std::uint32_t> items; // segment ids (index of the segment's first vertex)

    std::int64_t cx(double x) const { return std::clamp<std::int64_t>(static_cast<std::int64_t>((x - x0) / cell), 0, nx - 1); }
    std::int64_t cy(double y) const { return std::clamp<std::int64_t>(static_cast<std::int64_t>((y - y0) / cell), 0, ny - 1); }
};

struct Segments {
    std::vector<std::uint32_t> first; // vertex index of each segment's start
    std::vector<std::uint32_t> region;
};

Segments collect_segments(const ShapeSet& s) {
    Segments seg;
    seg.first.reserve(s.vertex_count());
    seg.region.reserve(s.vertex_count());
    for (std::size_t r = 0; r < s.region_count(); ++r)
        for (std::size_t ring = s.first_ring(r); ring < s.end_ring(r); ++ring)
            for (std::size_t v = s.ring_start[ring]; v + 1 < s.ring_start[ring + 1]; ++v) {
                seg.first.push_back(static_cast<std::uint32_t>(v));
                seg.region.push_back(static_cast<std::uint32_t>(r));
            }
    return seg;
}

Grid build_grid(const ShapeSet& s, const Segments& seg, double tol_x, double tol_y) {
    Grid g;
    if (seg.first.empty()) {
        g.start.assign(2, 0);
        return g;
    }
    const auto [xmin, xmax] = std::minmax_element(s.x.begin(), s.x.end());
    const auto [ymin, ymax] = std::minmax_element(s.y.begin(), s.y.end());
    double mean_len = 0;
    for (auto v : seg.first) mean_len += std::abs(s.x[v + 1] - s.x[v]) + std::abs(s.y[v + 1] - s.y[v]);
    mean_len /= static_cast<double>(seg.first.size());
    const double w = *xmax - *xmin + 2 * tol_x, h = *ymax - *ymin + 2 * tol_y;
    // Cells about one segment long keep lists short; never more cells than 4 per segment.
    g.cell = std::max({mean_len, 2 * std::max(tol_x, tol_y), 1e-9});
    const double max_cells = 4.0 * static_cast<double>(seg.first.size()) + 16;
    if ((w / g.cell + 1) * (h / g.cell + 1) > max_cells) g.cell = std::sqrt(w * h / max_cells) * 1.01 + 1e-12;
    g.x0 = *xmin - tol_x;
    g.y0 = *ymin - tol_y;
    g.nx = static_cast<std::int64_t>(w / g.cell) + 1;
    g.ny = static_cast<std::int64_t>(h / g.cell) + 1;

    const auto cells = static_cast<std::size_t>(g.nx * g.ny);
    std::vector<std::uint32_t> count(cells + 1, 0);
    auto for_cells = [&](std::uint32_t v, auto&& fn) {
        const auto x0 = g.cx(std::min(s.x[v], s.x[v + 1]) - tol_x), x1 = g.cx(std::max(s.x[v], s.x[v + 1]) + tol_x);
        const auto y0 = g.cy(std::min(s.y[v], s.y[v + 1]) - tol_y), y1 = g.cy(std::max(s.y[v], s.y[v + 1]) + tol_y);
        for (auto cy = y0; cy <= y1; ++cy)
            for (auto cx = x0; cx <= x1; ++cx) fn(static_cast<std::size_t>(cy * g.nx + cx));
    };
    for (auto v : seg.first) for_cells(v, [&](std::size_t c) { ++count[c + 1]; });
    for (std::size_t c = 0; c < cells; ++c) count[c + 1] += count[c];
    if (count[cells] > std::numeric_limits<std::uint32_t>::max() / 2)
        throw Error("contiguity: too many grid entries; reduce the snapping tolerance");
    g.start = count;
    g.items.resize(count[cells]);
    for (std::uint32_t i = 0; i < seg.first.size(); ++i)
        for_cells(seg.first[i], [&](std::size_t c) { g.items[count[c]++] = i; });
    return g;
}

// Exact test: p on segment ab, with no rounding for shared vertices and collinear points.
bool on_segment(double px, double py, double ax, double ay, double bx, double by) {
    if ((px == ax && py == ay) || (px == bx && py == by)) return true;
    if (px < std::min(ax, bx) || px > std::max(ax, bx) || py < std::min(ay, by) || py > std::max(ay, by)) return false;
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax) == 0.0;
}

// Squared distance from p to segment ab in a local plane where x is scaled by kx.
double distance2(double px, double py, double ax, double ay, double bx, double by, double kx) {
    const double ux = (bx - ax) * kx, uy = by - ay, wx = (px - ax) * kx, wy = py - ay;
    const double len2 = ux * ux + uy * uy;
    double t = len2 > 0 ? (ux * wx + uy * wy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double dx = wx - t * ux, dy = wy - t * uy;
    return dx * dx + dy * dy;
}

struct Contact {
    std::uint64_t pair;
    double x, y;
    bool operator<(const Contact& o) const { return pair != o.pair ? pair < o.pair : (x != o.x ? x < o.x : y < o.y); }
};

// Whether the point lies within `tol` (degrees of latitude) of the boundary of region `r`.
bool near_region(const ShapeSet& s, const Segments& seg, const Grid& g, double px, double py, std::uint32_t r, double tol) {
    const auto c = static_cast<std::size_t>(g.cy(py) * g.nx + g.cx(px));
    const double kx = portable::cos(py * M_PI / 180.0);
    for (std::uint32_t k = g.start[c]; k < g.start[c + 1]; ++k) {
        const std::uint32_t i = g.items[k];
        if (seg.region[i] != r) continue;
        const std::uint32_t w = seg.first[i];
        if (distance2(px, py, s.x[w], s.y[w], s.x[w + 1], s.y[w + 1], kx) <= tol * tol) return true;
    }
    return false;
}

// Rook pairs that share an edge without any segment having both ends on the other region: two
// offset bricks, or neighbours simplified independently. Two contact points whose midpoint lies
// on both boundaries mark a shared stretch; a single touching corner never does.
void add_edges_between_contacts(const ShapeSet& s, const Segments& seg, const Grid& g, std::vector<Contact>& contacts,
                                double tol, std::vector<std::uint64_t>& pairs) {
    constexpr std::size_t kMaxPoints = 16; // enough to find a shared stretch; bounds the pair tests
    std::sort(contacts.begin(), contacts.end());
    std::vector<std::uint64_t> found;
    for (std::size_t i = 0; i < contacts.size();) {
        std::size_t j = i;
        while (j < contacts.size() && contacts[j].pair == contacts[i].pair) ++j;
        const std::uint64_t pair = contacts[i].pair;
        if (!std::binary_search(pairs.begin(), pairs.end(), pair)) {
            const auto a = static_cast<std::uint32_t>(pair >> 32), b = static_cast<std::uint32_t>(pair & 0xffffffffu);
            const std::size_t end = std::min(j, i + kMaxPoints);
            bool linked = false;
            for (std::size_t p = i; p < end && !linked; ++p)
                for (std::size_t q = p + 1; q < end && !linked; ++q) {
                    const double kx = portable::cos(contacts[p].y * M_PI / 180.0);
                    const double dx = (contacts[q].x - contacts[p].x) * kx, dy = contacts[q].y - contacts[p].y;
                    if (dx * dx + dy * dy <= 4 * tol * tol) continue; // the same point, seen from both sides
                    const double mx = (contacts[p].x + contacts[q].x) / 2, my = (contacts[p].y + contacts[q].y) / 2;
                    linked = near_region(s, seg, g, mx, my, a, tol) && near_region(s, seg, g, mx, my, b, tol);
                }
            if (linked) found.push_back(pair);
        }
        i = j;
    }
    pairs.insert(pairs.end(), found.begin(), found.end());
    std::sort(pairs.begin(), pairs.end());
}

} // namespace

Adjacency build_contiguity(const ShapeSet& s, const ContiguityOptions& options) {
    if (!(options.snap_metres >= 0.0) || !std::isfinite(options.snap_metres))
        throw UsageError("contiguity: snapping tolerance must be a finite number of metres >= 0");
    const std::size_t n = s.region_count();
    const bool exact = options.snap_metres == 0.0;
    const double tol = options.snap_metres / kMetresPerDegree; // in degrees of latitude
    double max_abs_lat = 0;
    for (double y : s.y) max_abs_lat = std::max(max_abs_lat, std::abs(y));
    // Degrees of longitude shrink with latitude: widen the x search to stay conservative.
    const double tol_x = tol / std::max(portable::cos(std::min(max_abs_lat, 89.0) * M_PI / 180.0), 0.01);

    const Segments seg = collect_segments(s);
    const Grid grid = build_grid(s, seg, tol_x, tol);
    const bool rook = options.rule == ContiguityRule::rook;

    std::vector<std::uint64_t> pairs; // (a << 32 | b), a < b
    std::vector<Contact> contacts;     // rook only: points where two regions touch
#pragma omp parallel
    {
        std::vector<std::uint64_t> local;
        std::vector<Contact> local_contacts;
        std::vector<std::uint32_t> near_start, near; // per vertex of the current ring: regions near it
        std::vector<std::uint32_t> mark(n, std::numeric_limits<std::uint32_t>::max());
#pragma omp for schedule(dynamic, 256)
        for (std::size_t r = 0; r < n; ++r) {
            const auto a = static_cast<std::uint32_t>(r);
            for (std::size_t ring = s.first_ring(r); ring < s.end_ring(r); ++ring) {
                const std::size_t v0 = s.ring_start[ring], v1 = s.ring_start[ring + 1];
                near_start.assign(1, 0);
                near.clear();
                for (std::size_t v = v0; v < v1; ++v) {
                    const double px = s.x[v], py = s.y[v];
                    const double kx = portable::cos(py * M_PI / 180.0);
                    const auto c = static_cast<std::size_t>(grid.cy(py) * grid.nx + grid.cx(px));
                    const std::size_t here = near.size();
                    for (std::uint32_t k = grid.start[c]; k < grid.start[c + 1]; ++k) {
                        const std::uint32_t i = grid.items[k];
                        const std::uint32_t b = seg.region[i];
                        if (b == a) continue;
                        if (std::find(near.begin() + static_cast<std::ptrdiff_t>(here), near.end(), b) != near.end()) continue;
                        const std::uint32_t w = seg.first[i];
                        const bool hit = exact ? on_segment(px, py, s.x[w], s.y[w], s.x[w + 1], s.y[w + 1])
                                               : distance2(px, py, s.x[w], s.y[w], s.x[w + 1], s.y[w + 1], kx) <= tol * tol;
                        if (hit) {
                            near.push_back(b);
                            if (rook) local_contacts.push_back({a < b ? (std::uint64_t{a} << 32 | b) : (std::uint64_t{b} << 32 | a), px, py});
                        }
                    }
                    near_start.push_back(static_cast<std::uint32_t>(near.size()));
                }
                // The last vertex repeats the first; segments are (v, v+1) for v < v1 - 1.
                const std::size_t nv = v1 - v0;
                for (std::size_t j = 0; j < nv; ++j) {
                    for (std::uint32_t k = near_start[j]; k < near_start[j + 1]; ++k) {
                        const std::uint32_t b = near[k];
                        if (mark[b] == a) continue;
                        bool linked = !rook;
                        if (rook && j + 1 < nv)
                            linked = std::find(near.begin() + near_start[j + 1], near.begin() + near_start[j + 2], b) !=
                                     near.begin() + near_start[j + 2];
                        if (!linked) continue;
                        mark[b] = a;
                        local.push_back(a < b ? (std::uint64_t{a} << 32 | b) : (std::uint64_t{b} << 32 | a));
                    }
                }
            }
        }
#pragma omp critical
        {
            pairs.insert(pairs.end(), local.begin(), local.end());
            contacts.insert(contacts.end(), local_contacts.begin(), local_contacts.end());
        }
    }
    // Sorting makes the result independent of the thread schedule.
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    if (rook) add_edges_between_contacts(s, seg, grid, contacts, exact ? 1e-9 : tol, pairs);

    Adjacency adj;
    adj.offsets.assign(n + 1, 0);
    for (auto p : pairs) {
        ++adj.offsets[(p >> 32) + 1];
        ++adj.offsets[(p & 0xffffffffu) + 1];
    }
    for (std::size_t i = 0; i < n; ++i) adj.offsets[i + 1] += adj.offsets[i];
    adj.neighbours.resize(adj.offsets[n]);
    std::vector<std::size_t> fill(adj.offsets.begin(), adj.offsets.end() - 1);
    for (auto p : pairs) {
        const auto a = static_cast<std::uint32_t>(p >> 32), b = static_cast<std::uint32_t>(p & 0xffffffffu);
        adj.neighbours[fill[a]++] = b;
        adj.neighbours[fill[b]++] = a;
    }
    for (std::size_t i = 0; i < n; ++i)
        std::sort(adj.neighbours.begin() + static_cast<std::ptrdiff_t>(adj.offsets[i]),
                  adj.neighbours.begin() + static_cast<std::ptrdiff_t>(adj.offsets[i + 1]));
    return adj;
}

std::vector<std::size_t> Adjacency::islands() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < size(); ++i)
        if (offsets[i] == offsets[i + 1]) out.push_back(i);
    return out;
}

Eigen::SparseMatrix<double, Eigen::RowMajor> Adjacency::row_standardised() const {
    const auto n = static_cast<Eigen::Index>(size());
    Eigen::SparseMatrix<double, Eigen::RowMajor> w(n, n);
    w.reserve(static_cast<Eigen::Index>(neighbours.size()));
    for (std::size_t i = 0; i < size(); ++i) {
        const auto row = of(i);
        const double weight = row.empty() ? 0.0 : 1.0 / static_cast<double>(row.size());
        w.startVec(static_cast<Eigen::Index>(i));
        for (auto j : row) w.insertBack(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = weight;
    }
    w.finalize();
    return w;
}

std::string to_gal(const Adjacency& adjacency, const std::vector<std::string>& ids, const std::string& layer,
                   const std::string& id_field) {
    const auto token = [](std::string s) {
        for (auto& c : s)
            if (std::isspace(static_cast<unsigned char>(c))) c = '_';
        return s.empty() ? std::string("_") : s;
    };
    for (std::size_t i = 0; i < adjacency.size(); ++i)
        if (ids[i].empty() || std::any_of(ids[i].begin(), ids[i].end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
            throw InputError("layer " + layer + ": region " + std::to_string(i + 1) + " has the id '" + ids[i] + "' in field " + id_field +
                             ", which a GAL file cannot hold (its ids are separated by whitespace); choose an id field "
                             "without spaces (--id-field)");
    std::string out = "0 " + std::to_string(adjacency.size()) + " " + token(layer) + " " + token(id_field) + "\n";
    for (std::size_t i = 0; i < adjacency.size(); ++i) {
        const auto row = adjacency.of(i);
        out += ids[i] + " " + std::to_string(row.size()) + "\n";
        for (std::size_t k = 0; k < row.size(); ++k) {
            if (k) out += ' ';
            out += ids[row[k]];
        }
        out += '\n';
    }
    return out;
}

} // namespace cakupan
