#include "run/region_layer_writer.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/render/qgis_style.hpp"
#include "io/gdal_support.hpp"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cctype>
#include <set>

namespace cakupan {

namespace {

constexpr const char* kDate = "2000-01-01T00:00:00.000Z";

std::string layer_name(const std::string& variant, std::set<std::string>& used) {
    std::string out;
    for (char c : variant) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "v_" + out;
    std::string unique = out;
    for (int i = 2; !used.insert(unique).second; ++i) unique = out + "_" + std::to_string(i);
    return unique;
}

std::unique_ptr<OGRMultiPolygon> to_geometry(const ShapeSet& s, std::size_t r) {
    auto mp = std::make_unique<OGRMultiPolygon>();
    for (std::size_t part = s.region_start[r]; part < s.region_start[r + 1]; ++part) {
        OGRPolygon poly = gdal::part_polygon(s, part);
        mp->addGeometry(&poly);
    }
    return mp;
}

// GeoPackages record a modification time; a fixed one keeps the same inputs giving the same bytes.
class FixedDate {
public:
    FixedDate() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", kDate); }
    ~FixedDate() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr); }
    FixedDate(const FixedDate&) = delete;
    FixedDate& operator=(const FixedDate&) = delete;
};

void check(OGRErr err, const std::string& path, const std::string& what) {
    if (err != OGRERR_NONE) throw OutputError(path + ": " + what + " failed: " + CPLGetLastErrorMsg());
}

// SQL string literal and identifier quoting.
std::string literal(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}
std::string identifier(const std::string& s) { return "\"" + s + "\""; } // names are [A-Za-z0-9_]

void execute(GDALDataset& ds, const std::string& sql, const std::string& path, gdal::ErrorCapture& capture) {
    ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (auto failures = capture.take_failures(); !failures.empty()) throw OutputError(path + ": " + failures.back());
}

OGRLayer* create_layer(GDALDataset& ds, const std::string& name, OGRSpatialReference* srs, OGRwkbGeometryType type,
                       const std::string& description, const std::string& path, gdal::ErrorCapture& capture) {
    char** opts = CSLSetNameValue(nullptr, "DESCRIPTION", description.c_str());
    if (type == wkbNone) opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "NO");
    OGRLayer* layer = ds.CreateLayer(name.c_str(), srs, type, opts);
    CSLDestroy(opts);
    if (layer == nullptr) throw OutputError(path + ": cannot create layer " + name + ": " + capture.last());
    return layer;
}

void add_field(OGRLayer& layer, const std::string& name, OGRFieldType type, const std::string& path) {
    OGRFieldDefn d(name.c_str(), type);
    check(layer.CreateField(&d), path, "field " + name);
}

// The fields of a variant's view after code and name, in order.
std::vector<std::string> value_fields(const RunVariantResult& v) {
    std::vector<std::string> out = {"workers", "coverage_start", "coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95",
                                    "target", "gap_to_target", "probability_target_met", "spend"};
    for (const auto& [lever, amount] : v.members_added) out.push_back("members_" + lever);
    return out;
}

std::vector<double> values(const RunRegionResult& g) {
    std::vector<double> out = {g.workers, g.coverage_start, g.coverage_end.mean, g.coverage_end.p5, g.coverage_end.p50, g.coverage_end.p95,
                               g.target, g.target - g.coverage_end.p50, g.probability, g.spend};
    for (const auto& [lever, amount] : g.members_added) out.push_back(amount);
    return out;
}

// QGIS's own table of layer styles (the columns QGIS creates when it saves a style in a
// GeoPackage): each variant's view opens in QGIS coloured as its coverage map, with an SLD of the
// same classes for other GIS. update_time is the fixed date, so the file stays the same bytes.
void write_layer_styles(GDALDataset& ds, const std::vector<std::pair<std::string, std::string>>& views, const RunSummary& s,
                        bool parents, const std::string& path, gdal::ErrorCapture& capture) {
    OGRLayer* layer = create_layer(ds, "layer_styles", nullptr, wkbNone, "QGIS layer styles", path, capture);
    for (const char* name : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column"}) {
        OGRFieldDefn d(name, OFTString);
        d.SetWidth(256);
        check(layer->CreateField(&d), path, std::string("field ") + name);
    }
    OGRFieldDefn style_name("styleName", OFTString);
    style_name.SetWidth(30);
    check(layer->CreateField(&style_name), path, "field styleName");
    add_field(*layer, "styleQML", OFTString, path);
    add_field(*layer, "styleSLD", OFTString, path);
    OGRFieldDefn by_default("useAsDefault", OFTInteger);
    by_default.SetSubType(OFSTBoolean);
    check(layer->CreateField(&by_default), path, "field useAsDefault");
    add_field(*layer, "description", OFTString, path);
    for (const char* name : {"owner", "ui"}) {
        OGRFieldDefn d(name, OFTString);
        d.SetWidth(30);
        check(layer->CreateField(&d), path, std::string("field ") + name);
    }
    add_field(*layer, "update_time", OFTDateTime, path);
    check(layer->StartTransaction(), path, "transaction");
    for (std::size_t i = 0; i < views.size(); ++i) {
        const render::LayerStyle style = render::coverage_layer_style(s, i, render::Lang::id);
        const std::string qml = render::style_qml(style);
        const std::string& view = views[i].first;
        OGRFeature f(layer->GetLayerDefn());
        f.SetFID(static_cast<GIntBig>(i + 1));
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", view.c_str());
        f.SetField("f_geometry_column", "geom");
        f.SetField("styleName", view.c_str());
        f.SetField("styleQML", qml.c_str());
        f.SetField("styleSLD", render::style_sld(style, view).c_str());
        f.SetField("useAsDefault", 1);
        f.SetField("description", ("coverage (median) of variant " + s.variants[i].name + ", as its coverage map").c_str());
        f.SetField("owner", "");
        f.SetField("ui", "");
        f.SetField("update_time", 2000, 1, 1, 0, 0, 0.0F, 100);
        check(layer->CreateFeature(&f), path, "writing the style of " + view);
    }
    if (parents) { // outlined and named over the variants, as on the maps
        OGRFeature f(layer->GetLayerDefn());
        f.SetFID(static_cast<GIntBig>(views.size() + 1));
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", "parents");
        f.SetField("f_geometry_column", "geom");
        f.SetField("styleName", "parents");
        f.SetField("styleQML", render::parent_outline_qml().c_str());
        f.SetField("styleSLD", render::parent_outline_sld("parents").c_str());
        f.SetField("useAsDefault", 1);
        f.SetField("description", "outlines and names of the level above, as on the maps");
        f.SetField("owner", "");
        f.SetField("ui", "");
        f.SetField("update_time", 2000, 1, 1, 0, 0, 0.0F, 100);
        check(layer->CreateFeature(&f), path, "writing the style of parents");
    }
    check(layer->CommitTransaction(), path, "commit");
}

} // namespace

void write_region_layers(const std::string& path, const RunData& run) {
    gdal::register_drivers();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (driver == nullptr) throw OutputError(path + ": GDAL has no GeoPackage driver");
    gdal::ErrorCapture capture;
    const FixedDate fixed_date;
    gdal::DatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw OutputError(path + ": cannot create: " + capture.last());
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const RunSummary& s = run.summary;
    const std::size_t regions = s.variants.empty() ? 0 : s.variants.front().regions.size();
    if (run.shapes.region_count() != regions)
        throw OutputError(path + ": " + std::to_string(run.shapes.region_count()) + " outlines for " + std::to_string(regions) + " regions");

    // The outlines, once.
    OGRLayer* outlines = create_layer(*ds, "regions", &wgs84, wkbMultiPolygon, "region outlines", path, capture);
    add_field(*outlines, "code", OFTString, path);
    add_field(*outlines, "name", OFTString, path);
    check(outlines->StartTransaction(), path, "transaction");
    for (std::size_t r = 0; r < regions; ++r) {
        const RunRegionResult& g = s.variants.front().regions[r];
        OGRFeature f(outlines->GetLayerDefn());
        f.SetFID(static_cast<GIntBig>(r + 1));
        f.SetField(0, g.code.c_str());
        f.SetField(1, g.name.c_str());
        if (!run.shapes.empty_region(r)) f.SetGeometryDirectly(to_geometry(run.shapes, r).release());
        check(outlines->CreateFeature(&f), path, "writing region " + g.code);
    }
    check(outlines->CommitTransaction(), path, "commit");

    // The level above, dissolved, for maps (and for a GIS user who wants the kab/kota lines).
    if (!run.parents.empty()) {
        const ParentRegions& p = run.parents;
        OGRLayer* parents = create_layer(*ds, "parents", &wgs84, wkbMultiPolygon, "outlines of the regions one level above", path, capture);
        add_field(*parents, "code", OFTString, path);
        add_field(*parents, "name", OFTString, path);
        add_field(*parents, "level", OFTInteger, path);
        check(parents->StartTransaction(), path, "transaction");
        for (std::size_t r = 0; r < p.codes.size(); ++r) {
            OGRFeature f(parents->GetLayerDefn());
            f.SetFID(static_cast<GIntBig>(r + 1));
            f.SetField(0, p.codes[r].c_str());
            if (r < p.names.size()) f.SetField(1, p.names[r].c_str());
            f.SetField(2, p.level);
            if (r < p.shapes.region_count() && !p.shapes.empty_region(r)) f.SetGeometryDirectly(to_geometry(p.shapes, r).release());
            check(parents->CreateFeature(&f), path, "writing parent region " + p.codes[r]);
        }
        check(parents->CommitTransaction(), path, "commit");
    }

    // Each variant's results, without geometry; fid = the region's fid.
    std::set<std::string> used = {"regions", "parents"};
    std::vector<std::pair<std::string, std::string>> views; // (view, its table)
    for (const RunVariantResult& v : s.variants) {
        const std::string view = layer_name(v.name, used);
        const std::string table = layer_name(view + "_results", used);
        OGRLayer* layer = create_layer(*ds, table, nullptr, wkbNone, "results of variant " + v.name, path, capture);
        add_field(*layer, "code", OFTString, path);
        const auto fields = value_fields(v);
        for (const auto& f : fields) add_field(*layer, f, OFTReal, path);
        check(layer->StartTransaction(), path, "transaction");
        for (std::size_t r = 0; r < v.regions.size(); ++r) {
            OGRFeature f(layer->GetLayerDefn());
            f.SetFID(static_cast<GIntBig>(r + 1));
            f.SetField(0, v.regions[r].code.c_str());
            const auto x = values(v.regions[r]);
            for (std::size_t i = 0; i < x.size(); ++i) f.SetField(static_cast<int>(i + 1), x[i]);
            check(layer->CreateFeature(&f), path, "writing region " + v.regions[r].code);
        }
        check(layer->CommitTransaction(), path, "commit");
        views.emplace_back(view, table);
    }
    ds->FlushCache();

    // The views: OGC_FID names the feature id for GDAL; registering the view in gpkg_contents and
    // gpkg_geometry_columns makes it a feature layer.
    for (std::size_t i = 0; i < views.size(); ++i) {
        const auto& [view, table] = views[i];
        std::string sql = "CREATE VIEW " + identifier(view) + " AS SELECT r.fid AS OGC_FID, r.geom AS geom, r.code AS code, r.name AS name";
        for (const auto& f : value_fields(s.variants[i])) sql += ", v." + identifier(f) + " AS " + identifier(f);
        sql += " FROM regions AS r JOIN " + identifier(table) + " AS v ON v.fid = r.fid";
        execute(*ds, sql, path, capture);
        execute(*ds,
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) "
                "SELECT " + literal(view) + ", 'features', " + literal(view) + ", " + literal(s.variants[i].name) +
                    ", last_change, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = 'regions'",
                path, capture);
        execute(*ds,
                "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (" +
                    literal(view) + ", 'geom', 'MULTIPOLYGON', 4326, 0, 0)",
                path, capture);
    }
    write_layer_styles(*ds, views, s, !run.parents.empty(), path, capture);
    ds.reset(); // flush and close before the directory is renamed
    if (auto failures = capture.take_failures(); !failures.empty()) throw OutputError(path + ": " + failures.back());
}

namespace {

// The polygons of a feature as one region of `out`; false when it is neither polygon nor multipolygon.
bool add_feature_region(OGRFeature& f, ShapeSet& out) {
    out.begin_region();
    const OGRGeometry* g = f.GetGeometryRef();
    if (g == nullptr) return true;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbMultiPolygon && type != wkbPolygon) return false;
    gdal::append_polygons(g, out);
    return true;
}

gdal::DatasetPtr open_run_layers(const std::string& path) {
    gdal::register_drivers();
    const gdal::ErrorCapture quiet;
    GDALDataset* raw = GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (raw == nullptr) throw InputError(path + ": cannot open (is this a run directory written by `cakupan run`?)");
    return gdal::DatasetPtr(raw);
}

} // namespace

ShapeSet read_region_shapes(const std::string& path, const RunSummary& summary) {
    const gdal::ErrorCapture quiet;
    gdal::DatasetPtr ds = open_run_layers(path);
    OGRLayer* layer = ds->GetLayerByName("regions");
    if (layer == nullptr) throw InputError(path + ": no layer 'regions' (written by another version of Cakupan?)");
    const int i_code = layer->GetLayerDefn()->GetFieldIndex("code");
    if (i_code < 0) throw InputError(path + ": layer regions: no field 'code'");
    const auto& codes = summary.variants.front().regions;
    ShapeSet out;
    std::size_t r = 0;
    layer->ResetReading();
    for (gdal::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()), ++r) {
        const std::string code = f->GetFieldAsString(i_code);
        if (r >= codes.size() || codes[r].code != code)
            throw InputError(path + ": layer regions: feature " + std::to_string(r + 1) + " is region '" + code + "' but summary.json has " +
                             (r < codes.size() ? "'" + codes[r].code + "'" : std::string("no more regions")));
        if (!add_feature_region(*f, out)) throw InputError(path + ": layer regions: region '" + code + "' is not a polygon");
    }
    if (r != codes.size())
        throw InputError(path + ": layer regions: " + std::to_string(r) + " regions but summary.json has " + std::to_string(codes.size()));
    out.finish();
    return out;
}

ParentRegions read_parent_regions(const std::string& path) {
    const gdal::ErrorCapture quiet;
    gdal::DatasetPtr ds = open_run_layers(path);
    ParentRegions out;
    OGRLayer* layer = ds->GetLayerByName("parents");
    if (layer == nullptr) return out; // a small or flat layer, or a run drawn without maps
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int i_code = defn->GetFieldIndex("code"), i_name = defn->GetFieldIndex("name"), i_level = defn->GetFieldIndex("level");
    if (i_code < 0 || i_name < 0 || i_level < 0) throw InputError(path + ": layer parents: expected the fields code, name and level");
    bool named = true;
    layer->ResetReading();
    for (gdal::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        out.codes.emplace_back(f->GetFieldAsString(i_code));
        named = named && f->IsFieldSetAndNotNull(i_name);
        out.names.emplace_back(f->GetFieldAsString(i_name));
        out.level = f->GetFieldAsInteger(i_level);
        if (!add_feature_region(*f, out.shapes)) throw InputError(path + ": layer parents: region '" + out.codes.back() + "' is not a polygon");
    }
    if (!named) out.names.clear();
    out.shapes.finish();
    return out;
}

} // namespace cakupan
