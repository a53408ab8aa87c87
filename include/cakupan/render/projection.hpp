// From longitude/latitude to the plane of the map, and from the plane to the page.
#pragma once

#include "cakupan/geo/shapes.hpp"

#include <string>
#include <vector>

namespace cakupan::render {

struct Bounds {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    double width() const { return max_x - min_x; }
    double height() const { return max_y - min_y; }
    bool empty() const { return !(max_x > min_x || max_y > min_y); }
};

// Bounds of every vertex; all zero for a set without vertices.
Bounds bounds_of(const ShapeSet& shapes);

struct PlanarShapes {
    ShapeSet shapes;             // planar coordinates, y pointing north-ish (up on the page)
    double metres_per_unit = 1;  // ground metres per planar unit at the centre (for the scale bar)
    double north_angle = 0;      // direction of north at the centre, radians clockwise from up
    std::string description;     // "equirectangular, cos(-2.50°)" or the CRS name
};

// crs "" = equirectangular with x scaled by the cosine of the central latitude (in metres on the
// authalic sphere) for extents up to 20°, an equal-area projection for wider ones (cylindrical
// near the equator, Albers conic elsewhere); otherwise any CRS GDAL knows ("EPSG:32748", a PROJ string, WKT), through an
// OGR coordinate transformation. UsageError for an unknown CRS, InputError when points cannot be
// transformed.
PlanarShapes project(const ShapeSet& lonlat, const std::string& crs);
// The same, with `overlay` (e.g. the parents' outlines) put in the same plane as `overlay_planar`.
PlanarShapes project(const ShapeSet& lonlat, const std::string& crs, const ShapeSet& overlay, ShapeSet& overlay_planar);

// A warning when a few regions far from the rest (at most 1 in 20, at least one; each more
// than half the rest's size away from the rest's box) make the others small: dropping them
// would more than double the map's scale. Names up to three of
// them ("names" per region); "" when the layer is compact or has fewer than 5 regions.
std::string far_flung_warning(const ShapeSet& planar, const std::vector<std::string>& names);

// Planar -> page points (y down): px = x0 + scale * x, py = y0 - scale * y.
struct PageTransform {
    double scale = 1, x0 = 0, y0 = 0;
    double px(double x) const { return x0 + scale * x; }
    double py(double y) const { return y0 - scale * y; }
};

// The largest uniform scale putting `b` inside the frame (x, y, w, h in points), centred.
PageTransform fit(const Bounds& b, double x, double y, double w, double h);

} // namespace cakupan::render
