#include "cakupan/render/projection.hpp"

#include "cakupan/common/error.hpp"
#include "io/gdal_support.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

namespace cakupan::render {

namespace {

constexpr double kEarthRadius = 6371007.2; // authalic sphere, metres
constexpr double kDeg = M_PI / 180.0;
// Extents wider or taller than this (degrees) are projected equal-area by default.
constexpr double kWideDegrees = 20.0;
constexpr double kTropics = 23.5;

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OCTDestroyCoordinateTransformation(ct); }
};

// Great-circle distance in metres.
double haversine(double lon1, double lat1, double lon2, double lat2) {
    const double dlat = (lat2 - lat1) * kDeg, dlon = (lon2 - lon1) * kDeg;
    const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(lat1 * kDeg) * std::cos(lat2 * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(a)));
}

// Longitudes of a layer that straddles 180° (the Aleutians, Fiji, Chukotka) made continuous: each
// ring whose middle lies west of 0° moves 360° east when that narrows the layer's span, so the
// regions on both sides of the antimeridian sit side by side instead of at the two ends of the
// world. Rings are moved whole, except that a ring crossing 180° itself is made contiguous first.
void unwrap_longitudes(ShapeSet& s) {
    const std::size_t rings = s.ring_count();
    if (rings == 0) return;
    double lo = 1e300, hi = -1e300, lo_shift = 1e300, hi_shift = -1e300;
    std::vector<char> west(rings, 0);
    for (std::size_t r = 0; r < rings; ++r) {
        double a = 1e300, b = -1e300;
        for (std::size_t i = s.ring_start[r]; i < s.ring_start[r + 1]; ++i) a = std::min(a, s.x[i]), b = std::max(b, s.x[i]);
        if (a > b) continue;
        if (b - a > 180) {
            // A ring crossing 180° itself (179.5 next to -179.5, not split at the antimeridian):
            // its western vertices moved east when that makes it narrow (not a ring round a pole).
            double a2 = 1e300, b2 = -1e300;
            for (std::size_t i = s.ring_start[r]; i < s.ring_start[r + 1]; ++i) {
                const double x = s.x[i] < 0 ? s.x[i] + 360.0 : s.x[i];
                a2 = std::min(a2, x), b2 = std::max(b2, x);
            }
            if (b2 - a2 < 180) {
                for (std::size_t i = s.ring_start[r]; i < s.ring_start[r + 1]; ++i)
                    if (s.x[i] < 0) s.x[i] += 360.0;
                a = a2, b = b2;
            }
        }
        west[r] = (a + b) / 2 < 0;
        const double shift = west[r] ? 360.0 : 0.0;
        lo = std::min(lo, a), hi = std::max(hi, b);
        lo_shift = std::min(lo_shift, a + shift), hi_shift = std::max(hi_shift, b + shift);
    }
    if (!(hi - lo > 180) || !(hi_shift - lo_shift < hi - lo)) return;
    for (std::size_t r = 0; r < rings; ++r)
        if (west[r])
            for (std::size_t i = s.ring_start[r]; i < s.ring_start[r + 1]; ++i) s.x[i] += 360.0;
}

} // namespace

Bounds bounds_of(const ShapeSet& s) {
    if (s.x.empty()) return {};
    Bounds b{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
             -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (std::size_t i = 0; i < s.x.size(); ++i) {
        b.min_x = std::min(b.min_x, s.x[i]);
        b.max_x = std::max(b.max_x, s.x[i]);
        b.min_y = std::min(b.min_y, s.y[i]);
        b.max_y = std::max(b.max_y, s.y[i]);
    }
    return b;
}

PlanarShapes project(const ShapeSet& lonlat, const std::string& crs) {
    PlanarShapes out;
    out.shapes = lonlat;
    unwrap_longitudes(out.shapes);
    const Bounds b = bounds_of(out.shapes);
    const double lon0 = (b.min_x + b.max_x) / 2, lat0 = (b.min_y + b.max_y) / 2;
    if (crs.empty() && std::max(b.width(), b.height()) > kWideDegrees) {
        // Wide layers get an equal-area projection, so areas compare across the map: near the
        // equator a cylindrical one true at the equator (Indonesia), elsewhere Albers' conic with
        // standard parallels a sixth of the extent inside its edges.
        char proj[256];
        const bool cylindrical = b.min_y < kTropics && b.max_y > -kTropics && std::fabs(lat0) < kTropics;
        if (cylindrical)
            std::snprintf(proj, sizeof proj, "+proj=cea +lon_0=%.6f +lat_ts=0 +datum=WGS84 +units=m +no_defs", lon0);
        else
            std::snprintf(proj, sizeof proj, "+proj=aea +lat_0=%.6f +lon_0=%.6f +lat_1=%.6f +lat_2=%.6f +datum=WGS84 +units=m +no_defs",
                          lat0, lon0, b.min_y + b.height() / 6, b.max_y - b.height() / 6);
        PlanarShapes wide = project(lonlat, proj);
        wide.description = std::string("equal-area (") + (cylindrical ? "cylindrical" : "Albers conic") +
                           "), chosen for an extent over 20°: " + proj;
        return wide;
    }
    if (crs.empty()) {
        const double k = std::cos(lat0 * kDeg);
        for (double& x : out.shapes.x) x = kEarthRadius * kDeg * k * x;
        for (double& y : out.shapes.y) y = kEarthRadius * kDeg * y;
        char buf[96];
        std::snprintf(buf, sizeof buf, "equirectangular, x scaled by cos(%.2f°)", lat0);
        out.description = buf;
        return out;
    }

    gdal::register_drivers();
    const gdal::ErrorCapture quiet; // an unknown CRS is reported below, once, not by PROJ on stderr
    OGRSpatialReference target;
    if (target.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
        throw UsageError("--crs: '" + crs + "' is not a CRS GDAL knows (expected e.g. EPSG:32748)");
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation, CtDeleter> ct(OGRCreateCoordinateTransformation(&wgs84, &target));
    if (!ct) throw UsageError("--crs: cannot transform from WGS 84 to '" + crs + "'");
    out.description = gdal::describe_crs(target);
    if (!out.shapes.x.empty()) {
        std::vector<int> ok(out.shapes.x.size());
        ct->Transform(static_cast<int>(out.shapes.x.size()), out.shapes.x.data(), out.shapes.y.data(), nullptr, ok.data());
        for (std::size_t i = 0; i < ok.size(); ++i)
            if (!ok[i] || !std::isfinite(out.shapes.x[i]) || !std::isfinite(out.shapes.y[i]))
                throw InputError("--crs " + crs + ": cannot project the point (" + std::to_string(lonlat.x[i]) + ", " +
                                 std::to_string(lonlat.y[i]) + ")");
    }
    // Scale and north at the centre, measured on a short step: works for any CRS, angular or not.
    const double step = std::max(1e-3, 0.01 * std::max(b.width(), b.height()));
    double xs[3] = {lon0, lon0 + step, lon0}, ys[3] = {lat0, lat0, lat0 + step};
    int ok[3] = {0, 0, 0};
    if (ct->Transform(3, xs, ys, nullptr, ok) && ok[0] && ok[1] && ok[2]) {
        const double planar = std::hypot(xs[1] - xs[0], ys[1] - ys[0]);
        if (planar > 0) out.metres_per_unit = haversine(lon0, lat0, lon0 + step, lat0) / planar;
        out.north_angle = std::atan2(xs[2] - xs[0], ys[2] - ys[0]);
    }
    return out;
}

PlanarShapes project(const ShapeSet& lonlat, const std::string& crs, const ShapeSet& overlay, ShapeSet& overlay_planar) {
    if (overlay.region_count() == 0) {
        overlay_planar = ShapeSet();
        return project(lonlat, crs);
    }
    // Projected together: the same extent, unwrapping and projection for both. The overlay lies
    // within the regions' extent (parents are their union), so the regions project as alone.
    ShapeSet both;
    both.append_regions(lonlat, 0, lonlat.region_count());
    both.append_regions(overlay, 0, overlay.region_count());
    both.finish();
    PlanarShapes out = project(both, crs);
    ShapeSet regions, over;
    regions.append_regions(out.shapes, 0, lonlat.region_count());
    over.append_regions(out.shapes, lonlat.region_count(), out.shapes.region_count());
    regions.finish();
    over.finish();
    out.shapes = std::move(regions);
    overlay_planar = std::move(over);
    return out;
}

std::string far_flung_warning(const ShapeSet& s, const std::vector<std::string>& names) {
    struct Box {
        std::size_t region;
        double x0, y0, x1, y1;
    };
    std::vector<Box> boxes;
    for (std::size_t r = 0; r < s.region_count(); ++r) {
        Box b{r, 1e300, 1e300, -1e300, -1e300};
        for (std::size_t ring = s.first_ring(r); ring < s.end_ring(r); ++ring)
            for (std::size_t i = s.ring_start[ring]; i < s.ring_start[ring + 1]; ++i)
                b.x0 = std::min(b.x0, s.x[i]), b.x1 = std::max(b.x1, s.x[i]), b.y0 = std::min(b.y0, s.y[i]), b.y1 = std::max(b.y1, s.y[i]);
        if (b.x0 <= b.x1) boxes.push_back(b);
    }
    if (boxes.size() < 5) return "";
    // Distance of each region's centre from the median centre, in units of the layer's extent.
    std::vector<double> cx, cy;
    for (const auto& b : boxes) cx.push_back((b.x0 + b.x1) / 2), cy.push_back((b.y0 + b.y1) / 2);
    auto median = [](std::vector<double> v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    const double mx = median(cx), my = median(cy);
    const Bounds all = bounds_of(s);
    const double w = std::max(all.width(), 1e-12), h = std::max(all.height(), 1e-12);
    std::vector<std::size_t> order(boxes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto far = [&](std::size_t i) { return std::hypot((cx[i] - mx) / w, (cy[i] - my) / h); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return far(a) > far(b); });
    std::size_t drop = std::max<std::size_t>(1, boxes.size() / 20);
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (std::size_t k = drop; k < order.size(); ++k) {
        const Box& b = boxes[order[k]];
        x0 = std::min(x0, b.x0), y0 = std::min(y0, b.y0), x1 = std::max(x1, b.x1), y1 = std::max(y1, b.y1);
    }
    // Far means apart: a region whose box comes within half the rest's size of the rest is only
    // a big region at the edge, and stays.
    const double reach = 0.5 * std::max(x1 - x0, y1 - y0);
    std::size_t apart = 0;
    while (apart < drop) {
        const Box& b = boxes[order[apart]];
        const double dx = std::max({0.0, x0 - b.x1, b.x0 - x1}), dy = std::max({0.0, y0 - b.y1, b.y0 - y1});
        if (std::hypot(dx, dy) <= reach) break;
        ++apart;
    }
    for (std::size_t k = apart; k < drop; ++k) {
        const Box& b = boxes[order[k]];
        x0 = std::min(x0, b.x0), y0 = std::min(y0, b.y0), x1 = std::max(x1, b.x1), y1 = std::max(y1, b.y1);
    }
    drop = apart;
    if (drop == 0) return "";
    // The scale gained, as the side of a square: the rest's box is gain^2 times smaller.
    const double gain = std::sqrt(w / std::max(x1 - x0, 1e-12) * h / std::max(y1 - y0, 1e-12));
    if (!(gain > 2)) return "";
    std::string which;
    for (std::size_t k = 0; k < drop && k < 3; ++k) {
        const std::size_t r = boxes[order[k]].region;
        which += (k ? ", " : "") + (r < names.size() && !names[r].empty() ? names[r] : "region " + std::to_string(r + 1));
    }
    if (drop > 3) which += " and " + std::to_string(drop - 3) + " more";
    char gain_text[32];
    std::snprintf(gain_text, sizeof gain_text, "%.1f", gain);
    return std::to_string(drop) + (drop == 1 ? " region" : " regions") + " far from the rest (" + which +
           ") make the map " + gain_text + " times smaller; map a part with --within CODE or --where";
}

PageTransform fit(const Bounds& b, double x, double y, double w, double h) {
    PageTransform t;
    const double bw = std::max(b.width(), 1e-12), bh = std::max(b.height(), 1e-12);
    t.scale = std::min(w / bw, h / bh);
    t.x0 = x + (w - t.scale * bw) / 2 - t.scale * b.min_x;
    t.y0 = y + (h - t.scale * bh) / 2 + t.scale * b.max_y;
    return t;
}

} // namespace cakupan::render
