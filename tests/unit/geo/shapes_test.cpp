// ShapeSet: the flat region -> part -> ring -> point store.
#include "cakupan/geo/shapes.hpp"

#include <gtest/gtest.h>

namespace cakupan {
namespace {

TEST(Shapes, OpenRingsAreClosedAndOffsetsNest) {
    ShapeSet s;
    s.begin_region(); // a square with a hole, plus a second part
    s.begin_part();
    const double sx[] = {0, 4, 4, 0}, sy[] = {0, 0, 4, 4}; // open: add_ring closes it
    s.add_ring(sx, sy);
    const double hx[] = {1, 2, 2, 1, 1}, hy[] = {1, 1, 2, 2, 1}; // already closed
    s.add_ring(hx, hy);
    s.begin_part();
    const double px[] = {5, 6, 6, 5}, py[] = {0, 0, 1, 1};
    s.add_ring(px, py);
    s.begin_region(); // no geometry
    s.finish();

    EXPECT_EQ(s.region_count(), 2u);
    EXPECT_EQ(s.ring_count(), 3u);
    EXPECT_EQ(s.vertex_count(), 5u + 5u + 5u);
    EXPECT_EQ(s.first_ring(0), 0u);
    EXPECT_EQ(s.end_ring(0), 3u);
    EXPECT_FALSE(s.empty_region(0));
    EXPECT_TRUE(s.empty_region(1));
    EXPECT_EQ(s.x[4], 0.0); // closing vertex of the shell
    EXPECT_EQ(s.y[4], 0.0);
    EXPECT_EQ(s.part_start[1], 2u); // second part starts at ring 2
}

TEST(Shapes, EmptySetHasNoRegions) {
    ShapeSet s;
    EXPECT_EQ(s.region_count(), 0u);
    s.finish();
    EXPECT_EQ(s.region_count(), 0u);
    EXPECT_EQ(s.ring_count(), 0u);
}

} // namespace
} // namespace cakupan
