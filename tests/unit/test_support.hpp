// Helpers shared by the unit tests: fixture paths, diagnostics as text, an independent area.
#pragma once

#include "cakupan/geo/boundaries.hpp"
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/geo/shapes.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace cakupan::test {

inline std::string data(const std::string& name) { return std::string(CAKUPAN_TEST_DATA_DIR) + "/" + name; }
inline std::string geodata(const std::string& name) { return std::string(CAKUPAN_GEODATA_DIR) + "/" + name; }
inline std::string babel_gpkg() { return geodata("boundaries/babel_19.gpkg"); }

inline RegionTable read(const std::string& path, const std::string& layer, Diagnostics& notes) {
    BoundaryOptions o;
    o.path = path;
    o.layer = layer;
    return read_boundaries(o, notes);
}

struct Layer {
    RegionTable table;
    Diagnostics notes; // the reader's warnings
};

// A layer of the bundled Babel GeoPackage, read on first use and kept for the process. ctest runs
// each test in its own process, so a test reads only the layers it uses.
inline const Layer& babel(const std::string& layer) {
    static std::map<std::string, Layer> cache;
    auto it = cache.find(layer);
    if (it == cache.end()) {
        Layer l;
        l.table = read(babel_gpkg(), layer, l.notes);
        it = cache.emplace(layer, std::move(l)).first;
    }
    return it->second;
}

inline std::vector<std::string> lines(const Diagnostics& d) {
    std::vector<std::string> out;
    for (const auto& item : d.items()) out.push_back(item.line());
    return out;
}

// Area in km² of a lon/lat ring on the WGS 84 ellipsoid, by the shoelace formula in the ellipsoidal
// Lambert cylindrical equal-area projection (x = a·λ, y = a·q(φ)/2; Snyder, Map Projections, eq. 3-12).
// The library projects to a Lambert azimuthal equal-area CRS instead, so agreement checks its
// projection and measuring, not a copy of them.
inline double ring_area_km2(const double* lon, const double* lat, std::size_t n) {
    constexpr double a = 6378137.0, f = 1.0 / 298.257223563;
    const double e2 = f * (2 - f), e = std::sqrt(e2);
    auto y = [&](double lat_deg) {
        const double s = std::sin(lat_deg * M_PI / 180.0);
        const double q = (1 - e2) * (s / (1 - e2 * s * s) - std::log((1 - e * s) / (1 + e * s)) / (2 * e));
        return a * q / 2;
    };
    double twice = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        twice += (a * lon[i] * M_PI / 180.0) * y(lat[i + 1]) - (a * lon[i + 1] * M_PI / 180.0) * y(lat[i]);
    return std::abs(twice) / 2 / 1e6;
}

// Area of region r of a shape set: shells minus holes (ring 0 of each part is its shell).
inline double region_area_km2(const ShapeSet& s, std::size_t r) {
    double total = 0;
    for (std::size_t p = s.region_start[r]; p < s.region_start[r + 1]; ++p)
        for (std::size_t ring = s.part_start[p]; ring < s.part_start[p + 1]; ++ring) {
            const std::size_t v = s.ring_start[ring];
            const double area = ring_area_km2(&s.x[v], &s.y[v], s.ring_start[ring + 1] - v);
            total += ring == s.part_start[p] ? area : -area;
        }
    return total;
}

// Exact area of the lon/lat rectangle [lon0, lon1] x [lat0, lat1] on the ellipsoid.
inline double rectangle_area_km2(double lon0, double lat0, double lon1, double lat1) {
    const double lon[] = {lon0, lon1, lon1, lon0, lon0}, lat[] = {lat0, lat0, lat1, lat1, lat0};
    return ring_area_km2(lon, lat, 5);
}

// Kemendagri village codes of `kab` kab/kota with `kec` kecamatan of `desa` villages each:
// 35.01.01.2001, 35.01.01.2002, ...
inline std::vector<std::string> village_codes(int kab, int kec, int desa) {
    std::vector<std::string> out;
    char buf[64];
    for (int a = 1; a <= kab; ++a)
        for (int b = 1; b <= kec; ++b)
            for (int c = 1; c <= desa; ++c) {
                std::snprintf(buf, sizeof buf, "35.%02d.%02d.%04d", a, b, 2000 + c);
                out.emplace_back(buf);
            }
    return out;
}

} // namespace cakupan::test
