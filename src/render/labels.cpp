#include "labels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cakupan::render {

namespace {

// Distance from (x, y) to the nearest edge of region r.
double edge_distance(const ShapeSet& s, std::size_t r, double x, double y) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t ring = s.first_ring(r); ring < s.end_ring(r); ++ring)
        for (std::size_t i = s.ring_start[ring]; i + 1 < s.ring_start[ring + 1]; ++i) {
            const double ax = s.x[i], ay = s.y[i], dx = s.x[i + 1] - ax, dy = s.y[i + 1] - ay;
            const double len2 = dx * dx + dy * dy;
            double t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
            t = std::clamp(t, 0.0, 1.0);
            const double ex = ax + t * dx - x, ey = ay + t * dy - y;
            best = std::min(best, ex * ex + ey * ey);
        }
    return std::sqrt(best);
}

double ring_area(const ShapeSet& s, std::size_t ring) {
    double a = 0;
    for (std::size_t i = s.ring_start[ring]; i + 1 < s.ring_start[ring + 1]; ++i)
        a += s.x[i] * s.y[i + 1] - s.x[i + 1] * s.y[i];
    return std::fabs(a) / 2;
}

// Shells add, holes subtract.
double region_area(const ShapeSet& s, std::size_t r) {
    double a = 0;
    for (std::size_t part = s.region_start[r]; part < s.region_start[r + 1]; ++part)
        for (std::size_t ring = s.part_start[part]; ring < s.part_start[part + 1]; ++ring)
            a += (ring == s.part_start[part] ? 1 : -1) * ring_area(s, ring);
    return a;
}

} // namespace

bool inside_region(const ShapeSet& s, std::size_t r, double x, double y) {
    bool in = false;
    for (std::size_t ring = s.first_ring(r); ring < s.end_ring(r); ++ring)
        for (std::size_t i = s.ring_start[ring]; i + 1 < s.ring_start[ring + 1]; ++i) {
            const double ay = s.y[i], by = s.y[i + 1];
            if ((ay > y) != (by > y) && x < s.x[i] + (y - ay) * (s.x[i + 1] - s.x[i]) / (by - ay)) in = !in;
        }
    return in;
}

std::optional<std::pair<double, double>> interior_point(const ShapeSet& s, std::size_t r) {
    if (s.empty_region(r)) return std::nullopt;
    // Search the bounding box of the biggest part (the mainland, not an offshore islet).
    std::size_t shell = s.first_ring(r);
    double biggest = -1;
    for (std::size_t part = s.region_start[r]; part < s.region_start[r + 1]; ++part) {
        if (s.part_start[part] == s.part_start[part + 1]) continue;
        const double a = ring_area(s, s.part_start[part]);
        if (a > biggest) biggest = a, shell = s.part_start[part];
    }
    double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
    for (std::size_t i = s.ring_start[shell]; i < s.ring_start[shell + 1]; ++i) {
        x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
        y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
    }
    // A coarse grid, then finer grids around the best point so far.
    double bx = (x0 + x1) / 2, by = (y0 + y1) / 2, best = -1;
    double cx = bx, cy = by, hw = (x1 - x0) / 2, hh = (y1 - y0) / 2;
    for (int round = 0, n = 24; round < 4; ++round, n = 8) {
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                const double x = cx - hw + (2 * hw) * (i + 0.5) / n, y = cy - hh + (2 * hh) * (j + 0.5) / n;
                if (!inside_region(s, r, x, y)) continue;
                const double d = edge_distance(s, r, x, y);
                if (d > best) best = d, bx = x, by = y;
            }
        cx = bx, cy = by;
        hw /= round == 0 ? 6 : 3;
        hh /= round == 0 ? 6 : 3;
    }
    if (best < 0) return std::nullopt;
    return std::make_pair(bx, by);
}

std::vector<RegionLabel> place_labels(const ShapeSet& s, const std::vector<std::string>& names, const PageTransform& t,
                                      const Rect& frame, double size, TextMeasure& measure) {
    const std::size_t n = s.region_count();
    std::vector<double> area(n);
    for (std::size_t r = 0; r < n; ++r) area[r] = s.empty_region(r) ? 0 : region_area(s, r);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return area[a] > area[b]; });
    const double ascent = measure.ascent(size), descent = measure.descent(size);
    const double pad = size * 0.15;
    std::vector<RegionLabel> placed;
    for (std::size_t r : order) {
        if (area[r] <= 0 || r >= names.size() || names[r].empty()) continue;
        const auto p = interior_point(s, r);
        if (!p) continue;
        const double w = measure.width(names[r], size);
        const double px = t.px(p->first), py = t.py(p->second);
        RegionLabel label;
        label.region = r;
        label.text = names[r];
        label.x = px - w / 2;
        label.y = py + (ascent - descent) / 2;
        label.box = {label.x - pad, label.y - ascent - pad, w + 2 * pad, ascent + descent + 2 * pad};
        if (!frame.contains(label.box)) continue;
        if (std::any_of(placed.begin(), placed.end(), [&](const RegionLabel& o) { return o.box.overlaps(label.box); }))
            continue;
        placed.push_back(std::move(label));
    }
    return placed;
}

} // namespace cakupan::render
