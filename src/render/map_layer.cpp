#include "cakupan/render/map_layer.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/gdal_support.hpp"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

namespace cakupan::render {

namespace {

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OCTDestroyCoordinateTransformation(ct); }
};

bool numeric(OGRFieldType t) { return t == OFTInteger || t == OFTInteger64 || t == OFTReal; }

void append_polygons(const OGRGeometry& g, ShapeSet& shapes, std::vector<double>& xs, std::vector<double>& ys) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon: {
        const auto* poly = g.toPolygon();
        if (poly->IsEmpty()) return;
        shapes.begin_part();
        for (const auto* ring : *poly) {
            const int n = ring->getNumPoints();
            if (n < 3) continue;
            xs.resize(static_cast<std::size_t>(n));
            ys.resize(static_cast<std::size_t>(n));
            ring->getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
            shapes.add_ring(xs, ys);
        }
        return;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *g.toGeometryCollection()) append_polygons(*part, shapes, xs, ys);
        return;
    default:
        return;
    }
}

// Whether `code` is `within` or below it: "19.01" and "19.01.2001" are within "19"; without dots
// in the code, a longer code starting with `within` ("1901" in "19").
bool code_within(const std::string& code, const std::string& within) {
    if (code.rfind(within, 0) != 0) return false;
    return code.size() == within.size() || code[within.size()] == '.' || code.find('.') == std::string::npos;
}

} // namespace

std::vector<std::string> layer_names(const std::string& path) {
    auto ds = gdal::open_vector(path);
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
    return names;
}

MapLayer read_map_layer(const MapLayerRequest& request) {
    const gdal::TextEncoding encoding{request.encoding, "--encoding"};
    auto ds = gdal::open_vector(request.path, encoding);
    OGRLayer& layer = gdal::select_layer(*ds, request.path, request.layer);
    const std::string where = request.path + ": layer " + layer.GetName();
    const gdal::TextDecoder text(*ds, layer, where, encoding); // names are drawn: they must be UTF-8
    if (layer.GetLayerDefn()->GetGeomFieldCount() == 0)
        throw InputError(where + ": has no geometry column; maps need polygons");
    const int id_index =
        gdal::find_field(layer, where, request.id_field, {"kode", "code", "kode_wilayah", "region_code", "id"}, "id", false);
    const int name_index =
        gdal::find_field(layer, where, request.name_field, {"nama", "name", "nama_wilayah", "region_name"}, "name", false);

    const OGRFeatureDefn* defn = layer.GetLayerDefn();
    const auto names = gdal::field_names(layer);
    std::vector<std::string> numeric_names;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (numeric(defn->GetFieldDefn(i)->GetType())) numeric_names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    std::vector<int> value_index;
    for (const auto& f : request.fields) {
        const int i = defn->GetFieldIndex(f.c_str());
        if (i < 0)
            throw InputError(where + ": no field '" + f + "'" + did_you_mean(f, names) + "; numeric fields: " +
                             (numeric_names.empty() ? std::string("(none)") : join_list(numeric_names)));
        if (!numeric(defn->GetFieldDefn(i)->GetType()))
            throw InputError(where + ": field '" + f + "' is " + OGRFieldDefn::GetFieldTypeName(defn->GetFieldDefn(i)->GetType()) +
                             ", not a number; numeric fields: " +
                             (numeric_names.empty() ? std::string("(none)") : join_list(numeric_names)));
        value_index.push_back(i);
    }

    if (!request.where.empty()) {
        const gdal::ErrorCapture quiet;
        if (layer.SetAttributeFilter(request.where.c_str()) != OGRERR_NONE)
            throw UsageError("--where: '" + request.where + "' is not a filter GDAL understands (fields of " + where +
                             ": " + join_list(names) + ")");
    }
    if (!request.within.empty() && id_index < 0)
        throw InputError(where + ": --within needs region codes, and no code field was found; name it with --id-field");

    // Only the fields drawn are decoded: the national village layer has a dozen more (all are
    // kept under a --where, which may read any of them).
    if (request.where.empty()) {
        CPLStringList ignored;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (i != id_index && i != name_index && std::find(value_index.begin(), value_index.end(), i) == value_index.end())
                ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
        ignored.AddString("OGR_STYLE");
        layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
    }

    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference source;
    if (const OGRSpatialReference* declared = layer.GetSpatialRef()) {
        source = *declared;
    } else if (!request.assume_crs.empty()) {
        if (source.SetFromUserInput(request.assume_crs.c_str()) != OGRERR_NONE)
            throw UsageError("--source-crs: '" + request.assume_crs + "' is not a CRS GDAL knows");
    } else {
        OGREnvelope e;
        if (layer.GetExtent(&e, TRUE) == OGRERR_NONE &&
            !(e.MinX >= -180.0 && e.MaxX <= 360.0 && e.MinY >= -90.0 && e.MaxY <= 90.0))
            throw InputError(where + ": declares no CRS and its coordinates are not longitude/latitude; "
                                     "name the CRS with --source-crs (e.g. --source-crs EPSG:32748)");
        source = wgs84;
    }
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation, CtDeleter> to_lonlat;
    if (!source.IsSame(&wgs84)) {
        to_lonlat.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
        if (!to_lonlat) throw InputError(where + ": cannot transform from " + gdal::describe_crs(source) + " to WGS 84");
    }

    MapLayer out;
    out.source = request.path;
    out.layer = layer.GetName();
    out.values.resize(request.fields.size());
    std::vector<double> xs, ys;
    gdal::ErrorCapture capture;
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        const std::string feature_where = where + ": feature " + std::to_string(f->GetFID());
        if (auto failures = capture.take_failures(); !failures.empty()) throw InputError(feature_where + ": " + failures.back());
        std::string id = id_index >= 0 ? text.text(*f, id_index) : "";
        if (!request.within.empty() && !code_within(id, request.within)) continue;
        out.ids.push_back(std::move(id));
        out.names.emplace_back(name_index >= 0 ? text.text(*f, name_index) : out.ids.back());
        for (std::size_t k = 0; k < value_index.size(); ++k)
            out.values[k].push_back(f->IsFieldSetAndNotNull(value_index[k]) ? f->GetFieldAsDouble(value_index[k])
                                                                           : std::numeric_limits<double>::quiet_NaN());
        out.shapes.begin_region();
        OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) continue;
        std::unique_ptr<OGRGeometry> linear;
        if (OGR_GT_IsNonLinear(g->getGeometryType())) {
            linear.reset(g->getLinearGeometry());
            g = linear.get();
        }
        const auto type = wkbFlatten(g->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbGeometryCollection)
            throw InputError(feature_where + ": geometry is " + OGRGeometryTypeToName(g->getGeometryType()) +
                             "; maps need polygons");
        if (to_lonlat && g->transform(to_lonlat.get()) != OGRERR_NONE)
            throw InputError(feature_where + ": cannot transform to WGS 84");
        append_polygons(*g, out.shapes, xs, ys);
    }
    if (auto failures = capture.take_failures(); !failures.empty()) throw InputError(where + ": " + failures.back());
    out.shapes.finish();
    if (out.ids.empty() && !(request.where.empty() && request.within.empty()))
        throw InputError(where + ": no region is left by " +
                         (request.within.empty() ? "--where '" + request.where + "'" : "--within " + request.within +
                                                  (request.where.empty() ? "" : " and --where '" + request.where + "'")));
    return out;
}

std::vector<std::string> statistics_fields(const RegionStatistics& stats) {
    std::vector<std::string> out = {"workers", "active", "coverage"};
    for (const auto& seg : stats.segments)
        for (const char* prefix : {"workers_", "active_", "coverage_"}) out.push_back(prefix + seg);
    if (stats.villages.size() > 0) out.push_back("villages");
    return out;
}

bool statistics_field_is_share(const std::string& field) { return field == "coverage" || field.rfind("coverage_", 0) == 0; }

std::vector<double> statistics_field(const RegionStatistics& stats, const std::string& field, const std::string& source) {
    const auto n = static_cast<std::size_t>(stats.workers.rows());
    const auto ratio = [&](const Eigen::ArrayXd& active, const Eigen::ArrayXd& workers) {
        std::vector<double> out(n);
        for (std::size_t r = 0; r < n; ++r) {
            const auto i = static_cast<Eigen::Index>(r);
            out[r] = workers(i) > 0 ? active(i) / workers(i) : std::numeric_limits<double>::quiet_NaN();
        }
        return out;
    };
    const auto values = [&](const Eigen::ArrayXd& a) { return std::vector<double>(a.data(), a.data() + a.size()); };
    const Eigen::ArrayXd workers = stats.workers.rowwise().sum(), active = stats.active.rowwise().sum();
    if (field == "workers") return values(workers);
    if (field == "active") return values(active);
    if (field == "coverage") return ratio(active, workers);
    if (field == "villages" && stats.villages.size() > 0) return values(stats.villages);
    for (std::size_t k = 0; k < stats.segments.size(); ++k) {
        const auto c = static_cast<Eigen::Index>(k);
        const std::string& seg = stats.segments[k];
        if (field == "workers_" + seg) return values(stats.workers.col(c));
        if (field == "active_" + seg) return values(stats.active.col(c));
        if (field == "coverage_" + seg) return ratio(stats.active.col(c), stats.workers.col(c));
    }
    const auto names = statistics_fields(stats);
    throw UsageError("--field: the statistics " + source + " have no field '" + field + "'" + did_you_mean(field, names) +
                     "; fields: " + join_list(names));
}

} // namespace cakupan::render
