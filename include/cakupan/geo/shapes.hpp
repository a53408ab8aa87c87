// Polygon geometry of many regions in one flat store: region -> parts -> rings -> points.
// Flat arrays keep the national village layer (1.3M vertices) compact and let contiguity
// and rendering walk the vertices without pointer chasing.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace cakupan {

// Coordinates are longitude/latitude in degrees (EPSG:4326, x = lon, y = lat).
struct ShapeSet {
    std::vector<double> x, y;              // vertices; every ring is closed (first == last)
    std::vector<std::size_t> ring_start;   // rings + 1 offsets into x/y
    std::vector<std::size_t> part_start;   // parts + 1 offsets into rings; ring 0 of a part is its shell
    std::vector<std::size_t> region_start; // regions + 1 offsets into parts

    std::size_t region_count() const { return region_start.empty() ? 0 : region_start.size() - 1; }
    std::size_t ring_count() const { return ring_start.empty() ? 0 : ring_start.size() - 1; }
    std::size_t vertex_count() const { return x.size(); }

    // Rings [first, last) of region r.
    std::size_t first_ring(std::size_t r) const { return part_start[region_start[r]]; }
    std::size_t end_ring(std::size_t r) const { return part_start[region_start[r + 1]]; }
    bool empty_region(std::size_t r) const { return first_ring(r) == end_ring(r); }

    void begin_region();   // starts a new region with no parts
    void begin_part();     // starts a new part in the current region
    void add_ring(std::span<const double> xs, std::span<const double> ys); // closes it if open
    void finish();         // closes the offset arrays; call once after the last region
    // Appends copies of regions [first, last) of the finished set `from`, before finish().
    void append_regions(const ShapeSet& from, std::size_t first, std::size_t last);
};

} // namespace cakupan
