#include "cakupan/geo/simplify.hpp"

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/geo/boundaries.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

using namespace cakupan;

namespace {

using Pt = std::pair<double, double>;
using Ring = std::vector<Pt>;

void add_region(ShapeSet& s, const std::vector<std::vector<Ring>>& parts) {
    s.begin_region();
    for (const auto& part : parts) {
        s.begin_part();
        for (const auto& ring : part) {
            std::vector<double> xs, ys;
            for (const auto& [x, y] : ring) xs.push_back(x), ys.push_back(y);
            s.add_ring(xs, ys);
        }
    }
}

Ring ring_of(const ShapeSet& s, std::size_t r) {
    Ring out;
    for (std::size_t v = s.ring_start[r]; v < s.ring_start[r + 1]; ++v) out.push_back({s.x[v], s.y[v]});
    return out;
}

// Shells minus holes.
double region_area(const ShapeSet& s, std::size_t g) {
    double a = 0;
    for (std::size_t part = s.region_start[g]; part < s.region_start[g + 1]; ++part)
        for (std::size_t r = s.part_start[part]; r < s.part_start[part + 1]; ++r)
            a += (r == s.part_start[part] ? 1 : -1) * std::abs(ring_area(s, r));
    return a;
}

std::set<Pt> points_of(const ShapeSet& s, std::size_t g) {
    std::set<Pt> out;
    for (std::size_t r = s.first_ring(g); r < s.end_ring(g); ++r)
        for (std::size_t v = s.ring_start[r]; v < s.ring_start[r + 1]; ++v) out.insert({s.x[v], s.y[v]});
    return out;
}

// A wiggly line from (0, y0) to (0, y1) along x = 0 with small deterministic bumps.
std::vector<Pt> wiggle(int n) {
    std::vector<Pt> out;
    for (int i = 0; i <= n; ++i) out.push_back({0.01 * std::sin(i * 1.7) + (i % 7 == 3 ? 0.3 : 0.0), 10.0 * i / n});
    return out;
}

// Two squares, west and east of a wiggly shared border, each with a wiggly outer side.
ShapeSet neighbours() {
    const auto border = wiggle(400); // (x, 0) .. (x, 10)
    Ring west, east;
    for (const auto& p : border) west.push_back(p);         // up the border
    for (int i = 0; i <= 100; ++i) west.push_back({-10 + 0.02 * std::cos(i), 10 - 0.1 * i}); // down the west side
    west.push_back(border.front());
    for (auto it = border.rbegin(); it != border.rend(); ++it) east.push_back(*it); // down the border
    for (int i = 0; i <= 100; ++i) east.push_back({10 + 0.02 * std::cos(i), 0.1 * i});      // up the east side
    east.push_back(border.back());
    ShapeSet s;
    add_region(s, {{west}});
    add_region(s, {{east}});
    s.finish();
    return s;
}

} // namespace

TEST(Simplify, NeighboursKeepExactlyTheSameVerticesAlongTheirBorder) {
    const ShapeSet s = neighbours();
    SimplifyStats st;
    const ShapeSet out = simplify_shared(s, 0.05, &st);
    ASSERT_EQ(out.region_count(), 2u);
    EXPECT_EQ(st.vertices_before, s.vertex_count());
    EXPECT_LT(st.vertices_after, s.vertex_count() / 2);
    // The border's vertices: every simplified vertex the two regions share, in order along the
    // border, must be the same list read forwards in one and backwards in the other.
    const auto a = points_of(out, 0), b = points_of(out, 1);
    std::vector<Pt> west, east;
    for (const auto& p : ring_of(out, 0))
        if (b.count(p) && (west.empty() || west.back() != p)) west.push_back(p);
    for (const auto& p : ring_of(out, 1))
        if (a.count(p) && (east.empty() || east.back() != p)) east.push_back(p);
    std::sort(west.begin(), west.end());
    west.erase(std::unique(west.begin(), west.end()), west.end());
    std::sort(east.begin(), east.end());
    east.erase(std::unique(east.begin(), east.end()), east.end());
    EXPECT_EQ(west, east);
    // Every vertex of either region that lay on the original border is on the other one too.
    const auto border = wiggle(400);
    const std::set<Pt> on_border(border.begin(), border.end());
    for (const auto& p : a)
        if (on_border.count(p)) {
            EXPECT_TRUE(b.count(p));
        }
    for (const auto& p : b)
        if (on_border.count(p)) {
            EXPECT_TRUE(a.count(p));
        }
    // The bump every 7th point (0.3 across, over the tolerance) stays: the border still wiggles.
    EXPECT_GT(west.size(), 100u);
    // No gap, no overlap: the areas add up to the original union within 0.1%.
    const double before = region_area(s, 0) + region_area(s, 1), after = region_area(out, 0) + region_area(out, 1);
    EXPECT_NEAR(after, before, 1e-3 * before);
}

TEST(Simplify, AnEnclaveAndItsHoleStayTheSameRing) {
    // A region with a hole and the region that fills it: no node anywhere on that ring.
    Ring hole, island, shell = {{-10, -10}, {10, -10}, {10, 10}, {-10, 10}, {-10, -10}};
    for (int i = 0; i < 360; ++i) {
        const double t = i * 3.14159265358979 / 180, r = 5 + 0.01 * std::sin(7 * t);
        island.push_back({r * std::cos(t), r * std::sin(t)});
    }
    island.push_back(island.front());
    hole.assign(island.rbegin(), island.rend());
    // Start the hole elsewhere, as another source would.
    hole.pop_back();
    std::rotate(hole.begin(), hole.begin() + 97, hole.end());
    hole.push_back(hole.front());
    ShapeSet s;
    add_region(s, {{shell, hole}});
    add_region(s, {{island}});
    s.finish();
    const ShapeSet out = simplify_shared(s, 0.05);
    const auto h = ring_of(out, 1), i = ring_of(out, 2);
    EXPECT_LT(h.size(), 200u);
    EXPECT_EQ(std::set<Pt>(h.begin(), h.end()), std::set<Pt>(i.begin(), i.end()));
    EXPECT_NEAR(region_area(out, 0) + region_area(out, 1), 400.0, 0.4);
}

TEST(Simplify, SpecksAreDroppedButNoRegionVanishes) {
    const Ring big = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    const Ring speck = {{20, 20}, {20.01, 20}, {20.01, 20.01}, {20, 20}};
    const Ring tiny = {{30, 30}, {30.01, 30}, {30.005, 30.001}, {30, 30}};
    ShapeSet s;
    add_region(s, {{big}, {tiny}});
    add_region(s, {{speck}});
    s.finish();
    SimplifyStats st;
    const ShapeSet out = simplify_shared(s, 0.1, &st);
    ASSERT_EQ(out.region_count(), 2u);
    EXPECT_EQ(out.end_ring(0) - out.first_ring(0), 1u); // the flat speck of region 0 went
    EXPECT_EQ(ring_of(out, 0), big);
    EXPECT_EQ(ring_of(out, 1), speck); // region 1 alone: kept as it was
    EXPECT_EQ(st.rings_dropped, 2u);
}

TEST(Simplify, ZeroToleranceKeepsEveryCorner) {
    const ShapeSet s = neighbours();
    const ShapeSet out = simplify_shared(s, 0.0);
    EXPECT_EQ(out.vertex_count(), s.vertex_count());
    EXPECT_EQ(out.x, s.x);
    EXPECT_EQ(out.y, s.y);
}

TEST(Simplify, BabelKeepsItsBordersSharedAndItsArea) {
    Diagnostics notes;
    BoundaryOptions o;
    o.path = std::string(CAKUPAN_SOURCE_DIR) + "/geodata/boundaries/babel_19.gpkg";
    o.layer = "kabkota";
    const RegionTable t = read_boundaries(o, notes);
    const ShapeSet& s = t.shapes;
    SimplifyStats st;
    const ShapeSet out = simplify_shared(s, 0.002, &st); // ~200 m, half a pixel of a 17 cm map
    EXPECT_LT(st.vertices_after, st.vertices_before / 2);
    ASSERT_EQ(out.region_count(), s.region_count());
    double before = 0, after = 0;
    for (std::size_t g = 0; g < s.region_count(); ++g) before += region_area(s, g), after += region_area(out, g);
    EXPECT_NEAR(after, before, 1e-3 * before);
    // A vertex one region kept on a neighbour's original boundary, the neighbour kept too.
    std::vector<std::set<Pt>> original, kept;
    for (std::size_t g = 0; g < s.region_count(); ++g) original.push_back(points_of(s, g)), kept.push_back(points_of(out, g));
    std::size_t shared = 0;
    for (std::size_t a = 0; a < s.region_count(); ++a)
        for (std::size_t b = 0; b < s.region_count(); ++b) {
            if (a == b) continue;
            for (const auto& p : kept[a])
                if (original[b].count(p)) {
                    ++shared;
                    EXPECT_TRUE(kept[b].count(p)) << a << " " << b;
                }
        }
    EXPECT_GT(shared, 20u);
}
