// Region names on the map: a point well inside each polygon, and greedy placement without overlaps.
#pragma once

#include "cakupan/render/map.hpp"
#include "map_text.hpp"

#include <optional>
#include <utility>

namespace cakupan::render {

// A point inside region r far from its edges (an approximate pole of inaccessibility of the
// even-odd filled region), or none for a region without area.
std::optional<std::pair<double, double>> interior_point(const ShapeSet& shapes, std::size_t r);

// Whether (x, y) is inside region r by the even-odd rule over all its rings.
bool inside_region(const ShapeSet& shapes, std::size_t r, double x, double y);

// Labels for the regions, biggest first, each skipped if its box would overlap one already
// placed or leave the frame.
std::vector<RegionLabel> place_labels(const ShapeSet& planar, const std::vector<std::string>& names,
                                      const PageTransform& t, const Rect& frame, double font_size, TextMeasure& measure);

} // namespace cakupan::render
