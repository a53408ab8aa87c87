#include "run/region_layer_writer.hpp"

#include "cakupan/common/error.hpp"
#include "io/gdal_support.hpp"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cctype>
#include <set>

namespace cakupan {

namespace {

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
        OGRPolygon poly;
        for (std::size_t ring = s.part_start[part]; ring < s.part_start[part + 1]; ++ring) {
            OGRLinearRing lr;
            const std::size_t a = s.ring_start[ring], b = s.ring_start[ring + 1];
            lr.setPoints(static_cast<int>(b - a), s.x.data() + a, s.y.data() + a);
            poly.addRing(&lr);
        }
        mp->addGeometry(&poly);
    }
    return mp;
}

// GeoPackages record a modification time; a fixed one keeps the same inputs giving the same bytes.
class FixedDate {
public:
    FixedDate() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z"); }
    ~FixedDate() { CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr); }
    FixedDate(const FixedDate&) = delete;
    FixedDate& operator=(const FixedDate&) = delete;
};

void check(OGRErr err, const std::string& path, const std::string& what) {
    if (err != OGRERR_NONE) throw OutputError(path + ": " + what + " failed: " + CPLGetLastErrorMsg());
}

} // namespace

void write_region_layers(const std::string& path, const LoadedScenario& in, const RunResult& result) {
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
    std::set<std::string> used;
    const Eigen::Index end = result.calendar.steps();

    for (const auto& v : result.variants) {
        const std::string name = layer_name(v.name, used);
        char** opts = CSLSetNameValue(nullptr, "DESCRIPTION", v.name.c_str());
        OGRLayer* layer = ds->CreateLayer(name.c_str(), &wgs84, wkbMultiPolygon, opts);
        CSLDestroy(opts);
        if (layer == nullptr) throw OutputError(path + ": cannot create layer " + name + ": " + capture.last());
        auto field = [&](const char* f, OGRFieldType t) {
            OGRFieldDefn d(f, t);
            check(layer->CreateField(&d), path, std::string("field ") + f);
        };
        field("code", OFTString);
        field("name", OFTString);
        field("workers", OFTReal);
        for (const char* f : {"coverage_start", "coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95", "target",
                              "gap_to_target", "probability_target_met", "spend"})
            field(f, OFTReal);
        for (int l = 0; l < kLeverCount; ++l)
            field((std::string("members_") + to_string(static_cast<Lever>(l))).c_str(), OFTReal);

        // Field indices once per layer: lookups by name cost a string compare per field and feature.
        const OGRFeatureDefn* defn = layer->GetLayerDefn();
        auto idx = [&](const std::string& f) { return defn->GetFieldIndex(f.c_str()); };
        const int i_code = idx("code"), i_name = idx("name"), i_workers = idx("workers"), i_start = idx("coverage_start"),
                  i_mean = idx("coverage_mean"), i_p5 = idx("coverage_p5"), i_p50 = idx("coverage_p50"), i_p95 = idx("coverage_p95"),
                  i_target = idx("target"), i_gap = idx("gap_to_target"), i_prob = idx("probability_target_met"), i_spend = idx("spend");
        std::vector<int> i_lever(kLeverCount);
        for (int l = 0; l < kLeverCount; ++l) i_lever[static_cast<std::size_t>(l)] = idx(std::string("members_") + to_string(static_cast<Lever>(l)));
        check(layer->StartTransaction(), path, "transaction");
        for (Eigen::Index r = 0; r < v.mean.rows(); ++r) {
            const auto ri = static_cast<std::size_t>(r);
            OGRFeature f(layer->GetLayerDefn());
            f.SetField(i_code, in.regions.ids[ri].c_str());
            f.SetField(i_name, in.regions.names[ri].c_str());
            f.SetField(i_workers, v.workers[r]);
            f.SetField(i_start, v.mean(r, 0));
            f.SetField(i_mean, v.mean(r, end));
            f.SetField(i_p5, v.p5(r, end));
            f.SetField(i_p50, v.p50(r, end));
            f.SetField(i_p95, v.p95(r, end));
            f.SetField(i_target, result.target[r]);
            f.SetField(i_gap, result.target[r] - v.p50(r, end));
            f.SetField(i_prob, v.region_probability[r]);
            f.SetField(i_spend, v.spend_mean[r]);
            for (int l = 0; l < kLeverCount; ++l)
                f.SetField(i_lever[static_cast<std::size_t>(l)], as_change(static_cast<Lever>(l), v.lever_mean(r, l)));
            if (!in.regions.shapes.empty_region(ri)) f.SetGeometryDirectly(to_geometry(in.regions.shapes, ri).release());
            check(layer->CreateFeature(&f), path, "writing region " + in.regions.ids[ri]);
        }
        check(layer->CommitTransaction(), path, "commit");
    }
    ds.reset(); // flush and close before the directory is renamed
    if (auto failures = capture.take_failures(); !failures.empty()) throw OutputError(path + ": " + failures.back());
}

} // namespace cakupan
