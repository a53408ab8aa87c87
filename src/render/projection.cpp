#include "cakupan/render/projection.hpp"

#include "cakupan/common/error.hpp"
#include "io/gdal_support.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace cakupan::render {

namespace {

constexpr double kEarthRadius = 6371007.2; // authalic sphere, metres
constexpr double kDeg = M_PI / 180.0;

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
    const Bounds b = bounds_of(lonlat);
    const double lon0 = (b.min_x + b.max_x) / 2, lat0 = (b.min_y + b.max_y) / 2;
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

PageTransform fit(const Bounds& b, double x, double y, double w, double h) {
    PageTransform t;
    const double bw = std::max(b.width(), 1e-12), bh = std::max(b.height(), 1e-12);
    t.scale = std::min(w / bw, h / bh);
    t.x0 = x + (w - t.scale * bw) / 2 - t.scale * b.min_x;
    t.y0 = y + (h - t.scale * bh) / 2 + t.scale * b.max_y;
    return t;
}

} // namespace cakupan::render
