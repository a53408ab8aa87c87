#include "cakupan/geo/boundaries.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/gdal_support.hpp"
#include "geo/layer_codes.hpp"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

namespace cakupan {

namespace {

using GeometryPtr = std::unique_ptr<OGRGeometry>;

const std::vector<std::string> kIdCandidates = {"kode", "code", "kode_wilayah", "region_code", "id"};
const std::vector<std::string> kNameCandidates = {"nama", "name", "nama_wilayah", "region_name"};

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OCTDestroyCoordinateTransformation(ct); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, CtDeleter>;

OGRSpatialReference lonlat_wgs84() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// Lambert azimuthal equal-area centred on the data: true areas anywhere, small shape distortion.
OGRSpatialReference equal_area_at(double lon, double lat) {
    OGRSpatialReference srs;
    srs.SetWellKnownGeogCS("WGS84");
    srs.SetLAEA(lat, lon, 0.0, 0.0);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// Per-feature work done in parallel: repair, measure, keep the polygonal parts.
struct Prepared {
    GeometryPtr geometry; // MultiPolygon in lon/lat, or null
    double area_km2 = 0.0;
    double lon = std::numeric_limits<double>::quiet_NaN();
    double lat = std::numeric_limits<double>::quiet_NaN();
    bool repaired = false;
    bool empty_after_repair = false;
    std::string failure;
};

// Collects the polygons of any geometry (MakeValid may return a collection with stray lines).
void collect_polygons(const OGRGeometry& g, OGRMultiPolygon& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
        if (!g.IsEmpty()) out.addGeometry(&g);
        break;
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *g.toGeometryCollection()) collect_polygons(*part, out);
        break;
    default:
        break; // points and lines left over from collapsed rings carry no area
    }
}

void prepare(OGRGeometry& g, OGRCoordinateTransformation& to_ea, OGRCoordinateTransformation& from_ea,
             Prepared& out) {
    g.closeRings();
    GeometryPtr fixed;
    const OGRGeometry* use = &g;
    if (!g.IsValid()) {
        // The default LINEWORK method, not STRUCTURE: a nested shell is a part in a GeoPackage but
        // a hole once a shapefile reader has organised its rings, and only LINEWORK repairs both
        // to the same polygon.
        fixed.reset(g.MakeValid());
        if (!fixed) {
            out.failure = "invalid geometry that MakeValid cannot repair";
            return;
        }
        out.repaired = true;
        use = fixed.get();
    }
    auto multi = std::make_unique<OGRMultiPolygon>();
    collect_polygons(*use, *multi);
    if (multi->IsEmpty()) {
        out.empty_after_repair = true;
        return;
    }
    std::unique_ptr<OGRGeometry> projected(multi->clone());
    if (projected->transform(&to_ea) != OGRERR_NONE) {
        out.failure = "cannot project to the equal-area CRS (coordinates out of range?)";
        return;
    }
    // Area and centroid in one pass over the projected rings (shoelace), with coordinates taken
    // relative to the first vertex to keep the products small.
    double area = 0, mx = 0, my = 0, x0 = 0, y0 = 0;
    bool origin = false;
    for (const auto* poly : *projected->toMultiPolygon()) {
        bool shell = true;
        for (const auto* ring : *poly) {
            const int n = ring->getNumPoints();
            if (!origin && n > 0) x0 = ring->getX(0), y0 = ring->getY(0), origin = true;
            double a = 0, rx = 0, ry = 0;
            for (int i = 0; i + 1 < n; ++i) {
                const double xa = ring->getX(i) - x0, ya = ring->getY(i) - y0;
                const double xb = ring->getX(i + 1) - x0, yb = ring->getY(i + 1) - y0;
                const double cross = xa * yb - xb * ya;
                a += cross;
                rx += (xa + xb) * cross;
                ry += (ya + yb) * cross;
            }
            // Shells add and holes subtract, whatever the ring orientation in the file.
            const double sign = ((a >= 0) == shell) ? 1.0 : -1.0;
            area += sign * a / 2;
            mx += sign * rx / 6;
            my += sign * ry / 6;
            shell = false;
        }
    }
    out.area_km2 = std::max(area, 0.0) / 1e6;
    if (area > 0) {
        OGRPoint c(mx / area + x0, my / area + y0);
        if (c.transform(&from_ea) == OGRERR_NONE) {
            out.lon = c.getX();
            out.lat = c.getY();
        }
    }
    out.geometry = std::move(multi);
}

void append_shape(const OGRMultiPolygon* mp, ShapeSet& shapes, std::vector<double>& xs, std::vector<double>& ys) {
    shapes.begin_region();
    if (mp == nullptr) return;
    for (const auto* poly : *mp) {
        shapes.begin_part();
        for (const auto* ring : *poly) {
            const int n = ring->getNumPoints();
            xs.resize(static_cast<std::size_t>(n));
            ys.resize(static_cast<std::size_t>(n));
            ring->getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
            shapes.add_ring(xs, ys);
        }
    }
}

bool looks_like_lonlat(const OGREnvelope& e) {
    return e.MinX >= -180.0 && e.MaxX <= 360.0 && e.MinY >= -90.0 && e.MaxY <= 90.0;
}

} // namespace

RegionTable read_boundaries(const BoundaryOptions& options, Diagnostics& notes) {
    const gdal::TextEncoding encoding{options.encoding, options.encoding_option};
    auto ds = gdal::open_vector(options.path, encoding);
    OGRLayer& layer = gdal::select_layer(*ds, options.path, options.layer);
    const std::string where = options.path + ": layer " + layer.GetName();
    const gdal::TextDecoder text(*ds, layer, where, encoding); // ids and names must be UTF-8

    if (layer.GetLayerDefn()->GetGeomFieldCount() == 0)
        throw InputError(where + ": has no geometry column; boundaries need polygons");
    const int id_index = gdal::find_field(layer, where, options.id_field, kIdCandidates, "id", true);
    const int name_index = gdal::find_field(layer, where, options.name_field, kNameCandidates, "name", false);

    RegionTable table;
    table.source = options.path;
    table.layer = layer.GetName();
    table.within = options.within;
    table.id_field = text.fields()[static_cast<std::size_t>(id_index)];
    if (name_index >= 0) table.name_field = text.fields()[static_cast<std::size_t>(name_index)];
    else notes.warning(where, "no name field found; region ids are used as names");
    const LayerCodes layer_codes = read_code_structure(layer, where, id_index, options.codes);
    table.codes = layer_codes.codes;

    // Source CRS, or the one the user assumes for files that declare none.
    OGRSpatialReference source_srs;
    if (const OGRSpatialReference* declared = layer.GetSpatialRef()) {
        source_srs = *declared;
    } else if (!options.assume_crs.empty()) {
        if (source_srs.SetFromUserInput(options.assume_crs.c_str()) != OGRERR_NONE)
            throw InputError(where + ": unknown CRS '" + options.assume_crs + "' given with --crs");
    } else {
        OGREnvelope e;
        if (layer.GetExtent(&e, TRUE) == OGRERR_NONE && !looks_like_lonlat(e))
            throw InputError(where + ": declares no CRS and its coordinates are not longitude/latitude; "
                                     "name the CRS with --crs (e.g. --crs EPSG:32748)");
        source_srs = lonlat_wgs84();
        notes.warning(where, "declares no CRS; assuming longitude/latitude on WGS 84 (EPSG:4326)");
    }
    source_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    table.crs = gdal::describe_crs(source_srs);
    const OGRSpatialReference wgs84 = lonlat_wgs84();
    TransformPtr to_lonlat;
    if (!source_srs.IsSame(&wgs84)) {
        to_lonlat.reset(OGRCreateCoordinateTransformation(&source_srs, &wgs84));
        if (!to_lonlat) throw InputError(where + ": cannot transform from " + table.crs + " to WGS 84");
    }

    // Pass 1 (sequential, OGR layers are not thread-safe): attributes and raw geometry.
    std::vector<GeometryPtr> raw;
    std::vector<GIntBig> fids;
    std::vector<std::string> null_geometry;
    OGREnvelope extent;
    bool have_extent = false;
    gdal::ErrorCapture capture;
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        const std::string feature_where = where + ": feature " + std::to_string(f->GetFID());
        if (auto failures = capture.take_failures(); !failures.empty())
            throw InputError(feature_where + ": " + failures.back());
        std::string id = f->IsFieldSetAndNotNull(id_index) ? text.text(*f, id_index) : "";
        if (id.empty()) throw InputError(feature_where + ": empty id in field '" + table.id_field + "'");
        if (!options.within.empty() && !table.codes.is_within(id, options.within)) continue;
        GeometryPtr g(f->StealGeometry());
        if (g && OGR_GT_IsNonLinear(g->getGeometryType())) g.reset(g->getLinearGeometry());
        if (g && !g->IsEmpty()) {
            const auto type = wkbFlatten(g->getGeometryType());
            if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbGeometryCollection)
                throw InputError(feature_where + " (id " + id + "): geometry is " +
                                 OGRGeometryTypeToName(g->getGeometryType()) + "; boundaries must be polygons");
            if (to_lonlat && g->transform(to_lonlat.get()) != OGRERR_NONE)
                throw InputError(feature_where + " (id " + id + "): cannot transform to WGS 84");
            OGREnvelope e;
            g->getEnvelope(&e);
            if (have_extent) extent.Merge(e);
            else extent = e, have_extent = true;
        } else {
            null_geometry.push_back(id);
            g.reset();
        }
        table.ids.push_back(std::move(id));
        table.names.emplace_back(name_index >= 0 ? text.text(*f, name_index) : table.ids.back());
        fids.push_back(f->GetFID());
        raw.push_back(std::move(g));
    }
    if (auto failures = capture.take_failures(); !failures.empty()) throw InputError(where + ": " + failures.back());
    check_within(layer_codes, where, options.within, table.ids.size());

    // Duplicate ids make every later join ambiguous: refuse them, naming each.
    {
        std::map<std::string, std::vector<GIntBig>> seen;
        for (std::size_t i = 0; i < table.ids.size(); ++i) seen[table.ids[i]].push_back(fids[i]);
        std::vector<std::string> dups;
        for (const auto& [id, list] : seen) {
            if (list.size() < 2) continue;
            std::string item = id + " (feature ids";
            for (std::size_t k = 0; k < list.size(); ++k) item += (k ? ", " : " ") + std::to_string(list[k]);
            dups.push_back(item + ")");
        }
        if (!dups.empty())
            throw InputError(where + ": " + std::to_string(dups.size()) + " duplicate id(s) in field '" +
                             table.id_field + "': " + join_list(dups, 10));
    }

    // Pass 2 (parallel): repair, measure. Each thread owns its transformations.
    const std::size_t n = raw.size();
    std::vector<Prepared> prepared(n);
    const OGRSpatialReference ea = have_extent
                                       ? equal_area_at((extent.MinX + extent.MaxX) / 2, (extent.MinY + extent.MaxY) / 2)
                                       : equal_area_at(0, 0);
#pragma omp parallel
    {
        CPLPushErrorHandler(CPLQuietErrorHandler); // GEOS validity chatter; outcomes are reported below
        // OGRSpatialReference is not thread-safe: every thread builds from its own copies.
        const OGRSpatialReference my_wgs84(wgs84), my_ea(ea);
        TransformPtr to_ea(OGRCreateCoordinateTransformation(&my_wgs84, &my_ea));
        TransformPtr from_ea(OGRCreateCoordinateTransformation(&my_ea, &my_wgs84));
#pragma omp for schedule(dynamic, 64)
        for (std::size_t i = 0; i < n; ++i) {
            if (!raw[i]) continue;
            if (!to_ea || !from_ea) {
                prepared[i].failure = "cannot set up the equal-area projection (PROJ database missing?)";
                continue;
            }
            try {
                prepare(*raw[i], *to_ea, *from_ea, prepared[i]);
            } catch (const std::exception& e) { // nothing may leave a parallel region
                prepared[i].failure = e.what();
            }
            raw[i].reset();
        }
        CPLPopErrorHandler();
    }

    table.area_km2.resize(static_cast<Eigen::Index>(n));
    table.centroid_lon.resize(static_cast<Eigen::Index>(n));
    table.centroid_lat.resize(static_cast<Eigen::Index>(n));
    std::vector<std::string> repaired, emptied;
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < n; ++i) {
        auto& p = prepared[i];
        if (!p.failure.empty())
            throw InputError(where + ": feature " + std::to_string(fids[i]) + " (id " + table.ids[i] + "): " + p.failure);
        if (p.repaired) repaired.push_back(table.ids[i]);
        if (p.empty_after_repair) emptied.push_back(table.ids[i]);
        const auto k = static_cast<Eigen::Index>(i);
        table.area_km2[k] = p.area_km2;
        table.centroid_lon[k] = p.lon;
        table.centroid_lat[k] = p.lat;
        append_shape(p.geometry ? p.geometry->toMultiPolygon() : nullptr, table.shapes, xs, ys);
        p.geometry.reset();
    }
    table.shapes.finish();
    table.build_index();

    if (!repaired.empty())
        notes.warning(where, std::to_string(repaired.size()) + " invalid geometr" +
                                 (repaired.size() == 1 ? "y" : "ies") + " repaired with MakeValid: " + join_list(repaired, 10));
    if (!null_geometry.empty())
        notes.warning(where, std::to_string(null_geometry.size()) + " region(s) with NULL or empty geometry, kept without a shape: " +
                                 join_list(null_geometry, 10));
    if (!emptied.empty())
        notes.warning(where, std::to_string(emptied.size()) + " region(s) with no area left after repair, kept without a shape: " +
                                 join_list(emptied, 10));
    return table;
}

} // namespace cakupan
