#include "cakupan/geo/shapes.hpp"

#include <cassert>

namespace cakupan {

// Offsets are kept "open" while building: region_start/part_start/ring_start hold the start of
// every element so far; finish() appends the end sentinels.

void ShapeSet::begin_region() { region_start.push_back(part_start.size()); }

void ShapeSet::begin_part() {
    assert(!region_start.empty());
    part_start.push_back(ring_start.size());
}

void ShapeSet::add_ring(std::span<const double> xs, std::span<const double> ys) {
    assert(xs.size() == ys.size() && !part_start.empty());
    ring_start.push_back(x.size());
    x.insert(x.end(), xs.begin(), xs.end());
    y.insert(y.end(), ys.begin(), ys.end());
    if (!xs.empty() && (xs.front() != xs.back() || ys.front() != ys.back())) {
        x.push_back(xs.front());
        y.push_back(ys.front());
    }
}

void ShapeSet::append_regions(const ShapeSet& from, std::size_t first, std::size_t last) {
    for (std::size_t r = first; r < last; ++r) {
        begin_region();
        for (std::size_t part = from.region_start[r]; part < from.region_start[r + 1]; ++part) {
            begin_part();
            for (std::size_t ring = from.part_start[part]; ring < from.part_start[part + 1]; ++ring) {
                const std::size_t a = from.ring_start[ring], n = from.ring_start[ring + 1] - a;
                add_ring({from.x.data() + a, n}, {from.y.data() + a, n});
            }
        }
    }
}

void ShapeSet::finish() {
    ring_start.push_back(x.size());
    part_start.push_back(ring_start.size() - 1);
    region_start.push_back(part_start.size() - 1);
}

} // namespace cakupan
