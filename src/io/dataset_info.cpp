#include "cakupan/io/dataset_info.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/utf8.hpp"
#include "io/gdal_support.hpp"
#include <nlohmann/json.hpp>

#include <ogr_geometry.h>

#include <cstdio>
#include <memory>

namespace cakupan {

namespace {

long long count_vertices(const OGRGeometry& g) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: return 1;
    case wkbLineString:
    case wkbLinearRing: return g.toSimpleCurve()->getNumPoints();
    case wkbPolygon: {
        long long n = 0;
        for (const auto* ring : *g.toPolygon()) n += ring->getNumPoints();
        return n;
    }
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbMultiPoint:
    case wkbGeometryCollection: {
        long long n = 0;
        for (const auto* part : *g.toGeometryCollection()) n += count_vertices(*part);
        return n;
    }
    default: {
        std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
        return linear ? count_vertices(*linear) : 0;
    }
    }
}

LayerInfo describe_layer(GDALDataset& ds, OGRLayer& layer, const std::string& path, const gdal::TextEncoding& encoding) {
    LayerInfo info;
    const gdal::TextDecoder text(ds, layer, path + ": layer " + printable(layer.GetName()), encoding);
    info.name = text.decode(layer.GetName(), "layer name");
    info.geometry_type = layer.GetLayerDefn()->GetGeomFieldCount() == 0 ? "None" : OGRGeometryTypeToName(layer.GetGeomType());
    const OGRFeatureDefn* defn = layer.GetLayerDefn();
    std::vector<int> text_fields;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* f = defn->GetFieldDefn(i);
        info.fields.push_back({text.fields()[static_cast<std::size_t>(i)], OGRFieldDefn::GetFieldTypeName(f->GetType())});
        if (f->GetType() == OFTString || f->GetType() == OFTStringList) text_fields.push_back(i);
    }
    if (const auto* srs = layer.GetSpatialRef()) info.crs = gdal::describe_crs(*srs);
    std::vector<std::unique_ptr<OGRGeometry>> geoms;
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        ++info.feature_count;
        for (const int i : text_fields) {
            if (!f->IsFieldSetAndNotNull(i)) continue;
            try {
                (void)text.text(*f, i);
            } catch (const InputError& e) {
                if (info.non_utf8_values++ == 0) info.first_non_utf8 = e.what();
            }
        }
        std::unique_ptr<OGRGeometry> g(f->StealGeometry());
        if (!g && info.geometry_type != "None") ++info.null_geometries;
        else if (g && g->IsEmpty()) ++info.empty_geometries;
        else if (g) geoms.push_back(std::move(g));
    }
    OGREnvelope e;
    if (!geoms.empty() && layer.GetExtent(&e, TRUE) == OGRERR_NONE) {
        info.has_extent = true;
        info.min_x = e.MinX, info.min_y = e.MinY, info.max_x = e.MaxX, info.max_y = e.MaxY;
    }
    long long invalid = 0, vertices = 0;
    const auto n = static_cast<long long>(geoms.size());
#pragma omp parallel reduction(+ : invalid, vertices)
    {
        CPLPushErrorHandler(CPLQuietErrorHandler); // GEOS explains each invalid ring; we only count
#pragma omp for schedule(dynamic, 64)
        for (long long i = 0; i < n; ++i) {
            vertices += count_vertices(*geoms[static_cast<std::size_t>(i)]);
            if (!geoms[static_cast<std::size_t>(i)]->IsValid()) ++invalid;
        }
        CPLPopErrorHandler();
    }
    info.invalid_geometries = invalid;
    info.vertex_count = vertices;
    return info;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

} // namespace

DatasetInfo describe_dataset(const std::string& path, const std::string& layer_name, const std::string& encoding) {
    const gdal::TextEncoding enc{encoding, "--encoding"};
    auto ds = gdal::open_vector(path, enc);
    DatasetInfo info;
    info.path = path;
    info.driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    if (!layer_name.empty()) {
        info.layers.push_back(describe_layer(*ds, gdal::select_layer(*ds, path, layer_name), path, enc));
        return info;
    }
    for (int i = 0; i < ds->GetLayerCount(); ++i) info.layers.push_back(describe_layer(*ds, *ds->GetLayer(i), path, enc));
    return info;
}

std::string to_text(const DatasetInfo& info) {
    std::string out = info.path + " (" + info.driver + "): " + std::to_string(info.layers.size()) + " layer" +
                      (info.layers.size() == 1 ? "" : "s") + "\n";
    for (const auto& l : info.layers) {
        out += "\nlayer " + l.name + "\n";
        out += "  geometry:  " + l.geometry_type + "\n";
        out += "  features:  " + std::to_string(l.feature_count) + "\n";
        out += "  CRS:       " + (l.crs.empty() ? std::string("none declared") : l.crs) + "\n";
        if (l.has_extent)
            out += "  extent:    " + number(l.min_x) + " " + number(l.min_y) + " " + number(l.max_x) + " " + number(l.max_y) +
                   " (min x, min y, max x, max y)\n";
        if (l.geometry_type != "None") {
            out += "  vertices:  " + std::to_string(l.vertex_count) + "\n";
            out += "  geometry problems: " + std::to_string(l.invalid_geometries) + " invalid, " +
                   std::to_string(l.null_geometries) + " NULL, " + std::to_string(l.empty_geometries) + " empty\n";
        }
        if (l.non_utf8_values > 0)
            out += "  text problems: " + std::to_string(l.non_utf8_values) + " value" + (l.non_utf8_values == 1 ? "" : "s") +
                   " not UTF-8; the first: " + l.first_non_utf8 + "\n";
        out += "  fields (" + std::to_string(l.fields.size()) + "):";
        for (const auto& f : l.fields) out += " " + f.name + ":" + f.type;
        out += "\n";
    }
    return out;
}

std::string to_json(const DatasetInfo& info) {
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& l : info.layers) {
        nlohmann::ordered_json fields = nlohmann::ordered_json::array();
        for (const auto& f : l.fields) fields.push_back({{"name", f.name}, {"type", f.type}});
        nlohmann::ordered_json layer = {{"name", l.name},
                                        {"geometry_type", l.geometry_type},
                                        {"feature_count", l.feature_count},
                                        {"crs", l.crs}};
        if (l.has_extent) layer["extent"] = {l.min_x, l.min_y, l.max_x, l.max_y};
        layer["vertex_count"] = l.vertex_count;
        layer["invalid_geometries"] = l.invalid_geometries;
        layer["null_geometries"] = l.null_geometries;
        layer["empty_geometries"] = l.empty_geometries;
        layer["non_utf8_values"] = l.non_utf8_values;
        layer["fields"] = std::move(fields);
        layers.push_back(std::move(layer));
    }
    // The path is as typed on the command line, which may be in any encoding.
    const nlohmann::ordered_json doc = {{"path", printable(info.path)}, {"driver", info.driver}, {"layers", std::move(layers)}};
    return doc.dump(2) + "\n";
}

} // namespace cakupan
