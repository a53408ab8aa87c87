// write_run_outputs: the four files of a run directory, regions.gpkg as GDAL reads it, the run in
// memory equal to the run read back, refusal of a non-empty directory, and no half-written
// directory after a failure; the maps fixture is what the writer writes.
#include "cakupan/common/error.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/run/run_reader.hpp"
#include "cakupan/render/map_layer.hpp"
#include "support/csv_grammar.hpp"
#include "scenario_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::scenario_file;

namespace fs = std::filesystem;

struct SmallRun {
    std::unique_ptr<test::Loaded> loaded;
    RunResult result;
};

const SmallRun& small_run() {
    static const SmallRun r = [] {
        SmallRun out;
        out.loaded = test::load(scenario_file("small.toml"));
        out.result = test::run(*out.loaded, Mode::stochastic, 20);
        return out;
    }();
    return r;
}

OutputOptions options(const std::string& dir, bool force = false) {
    OutputOptions o;
    o.dir = dir;
    o.force = force;
    o.command_line = "cakupan run small.toml --out " + dir;
    return o;
}

// Region and variant names with commas, quotes, line breaks and CR: timeseries.csv is valid
// RFC 4180 and the run reader gives every name back as it was (names used to lose their quotes,
// and a line break split a record).
TEST(RunOutputs, HostileNamesRoundTripThroughTimeseriesCsv) {
    const SmallRun& r = small_run();
    LoadedScenario in = r.loaded->in;
    RunResult result = r.result;
    const std::vector<std::string> names = {"Kota, Pangkalpinang", "Belitung \"Timur\"", "Bangka\nSelatan", "cr\rname",
                                            "\"", "", "Bangka Barat"};
    ASSERT_EQ(in.regions.names.size(), names.size());
    in.regions.names = names;
    result.variants[1].name = "combined[budget=8e+09,apbd.budget=8.4e+09]";
    test::TempDir tmp;
    write_run_outputs(in, result, options(tmp / "run"));
    const std::string text = test::slurp(tmp / "run/timeseries.csv");
    EXPECT_EQ(test::rfc4180_violation(text), "");
    const RunData back = read_run(tmp / "run");
    std::set<std::string> variants;
    std::map<std::string, std::string> region_names;
    for (const auto& s : back.timeseries.series) {
        variants.insert(s.variant);
        if (s.region != "all") region_names[s.region] = s.name;
    }
    EXPECT_EQ(variants, (std::set<std::string>{"baseline", "combined[budget=8e+09,apbd.budget=8.4e+09]"}));
    ASSERT_EQ(region_names.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(region_names[in.regions.ids[i]], names[i]) << in.regions.ids[i];
    const TimeSeries* s = back.timeseries.find("combined[budget=8e+09,apbd.budget=8.4e+09]", in.regions.ids[2]);
    ASSERT_NE(s, nullptr);
    const auto* p50 = s->measure("coverage_p50");
    ASSERT_NE(p50, nullptr);
    EXPECT_NEAR(p50->back(), result.variants[1].p50(2, result.variants[1].p50.cols() - 1), 5e-7);
}

TEST(RunOutputs, WritesTheFourFiles) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    EXPECT_THAT(tmp.listing(), ElementsAre("run")) << "no temporary directory left beside it";
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(tmp / "run")) files.push_back(e.path().filename().string());
    std::sort(files.begin(), files.end());
    EXPECT_THAT(files, ElementsAre("manifest.json", "regions.gpkg", "summary.json", "timeseries.csv"));

    const auto summary = nlohmann::json::parse(test::slurp(tmp / "run/summary.json"));
    ASSERT_EQ(summary["variants"].size(), 2u);
    EXPECT_EQ(summary["variants"][0]["name"], "baseline");
    EXPECT_EQ(summary["variants"][1]["name"], "combined");
    EXPECT_EQ(summary["draws"], 20);
    EXPECT_EQ(summary["regions"]["count"], 7);
    EXPECT_EQ(summary["variants"][1]["regions"].size(), 7u);

    const auto manifest = nlohmann::json::parse(test::slurp(tmp / "run/manifest.json"));
    EXPECT_EQ(manifest["command"], "cakupan run small.toml --out " + (tmp / "run"));
    EXPECT_EQ(manifest["inputs"].size(), r.loaded->in.scenario.input_files.size());
    for (const auto& input : manifest["inputs"]) EXPECT_EQ(input["sha256"].get<std::string>().size(), 64u);

    // timeseries.csv: a header, and rows for both variants.
    const std::string csv = test::slurp(tmp / "run/timeseries.csv");
    EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "variant,region,name,date,measure,value");
    EXPECT_EQ(test::rfc4180_violation(csv), "");
    EXPECT_THAT(csv, HasSubstr("\r\nbaseline,all,"));
    EXPECT_THAT(csv, HasSubstr("\r\ncombined,19.71,"));
}

TEST(RunOutputs, GeoPackageHoldsTheOutlinesOnceAndOneLayerPerVariant) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    const RunData run = write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    GDALAllRegister();
    GDALDataset* ds = static_cast<GDALDataset*>(
        GDALOpenEx((tmp / "run/regions.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GPKG");
    // regions (outlines), a view per variant, a results table per variant (no geometry).
    std::vector<std::pair<std::string, OGRwkbGeometryType>> layers;
    for (int i = 0; i < ds->GetLayerCount(); ++i)
        layers.emplace_back(ds->GetLayer(i)->GetName(), wkbFlatten(ds->GetLayer(i)->GetGeomType()));
    std::sort(layers.begin(), layers.end());
    EXPECT_EQ(layers, (std::vector<std::pair<std::string, OGRwkbGeometryType>>{{"baseline", wkbMultiPolygon},
                                                                               {"baseline_results", wkbNone},
                                                                               {"combined", wkbMultiPolygon},
                                                                               {"combined_results", wkbNone},
                                                                               {"layer_styles", wkbNone},
                                                                               {"regions", wkbMultiPolygon}}));
    const std::vector<std::string> expected_fields = {
        "code", "name", "workers", "coverage_start", "coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95", "target",
        "gap_to_target", "probability_target_met", "spend", "members_voluntary", "members_replacement", "members_agents",
        "members_enforcement", "members_subsidy", "members_village_programme", "members_fixed_term", "members_renewal",
        "members_lapse", "members_funding_end", "members_january_gap"};
    const Eigen::Index end = static_cast<Eigen::Index>(r.result.calendar.steps());
    OGRLayer* outlines = ds->GetLayerByName("regions");
    for (std::size_t i = 0; i < 2; ++i) {
        const VariantResult& v = r.result.variants[i];
        OGRLayer* layer = ds->GetLayerByName(v.name.c_str());
        ASSERT_NE(layer, nullptr) << v.name;
        std::vector<std::string> fields;
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int f = 0; f < defn->GetFieldCount(); ++f) fields.push_back(defn->GetFieldDefn(f)->GetNameRef());
        EXPECT_EQ(fields, expected_fields);
        EXPECT_EQ(layer->GetFeatureCount(), 7);
        layer->ResetReading();
        std::set<std::string> codes;
        while (OGRFeature* f = layer->GetNextFeature()) {
            const std::string code = f->GetFieldAsString("code");
            codes.insert(code);
            const auto r_index = static_cast<Eigen::Index>(r.loaded->region(code));
            const RunRegionResult& g = run.summary.variants[i].regions[static_cast<std::size_t>(r_index)];
            // The numbers of summary.json, exactly; those are the engine's to their decimals.
            EXPECT_EQ(f->GetFieldAsDouble("coverage_mean"), g.coverage_end.mean) << code;
            EXPECT_NEAR(f->GetFieldAsDouble("coverage_mean"), v.mean(r_index, end), 5e-7) << code;
            EXPECT_EQ(f->GetFieldAsDouble("workers"), g.workers) << code;
            EXPECT_EQ(f->GetFieldAsDouble("gap_to_target"), g.target - g.coverage_end.p50) << code;
            ASSERT_NE(f->GetGeometryRef(), nullptr) << code;
            // The view shows the outline of the `regions` feature with the same fid.
            OGRFeature* o = outlines->GetFeature(f->GetFID());
            ASSERT_NE(o, nullptr) << code;
            EXPECT_EQ(std::string(o->GetFieldAsString("code")), code);
            EXPECT_TRUE(f->GetGeometryRef()->Equals(o->GetGeometryRef())) << code;
            EXPECT_FALSE(f->GetGeometryRef()->IsEmpty()) << code;
            OGRFeature::DestroyFeature(o);
            OGRFeature::DestroyFeature(f);
        }
        EXPECT_EQ(codes.size(), 7u);
    }
    GDALClose(ds);
}

// A variant may be called "regions": its layer takes the next free name, the outlines keep theirs.
TEST(RunOutputs, AVariantNamedRegionsDoesNotTakeTheOutlinesTable) {
    const SmallRun& r = small_run();
    RunResult result = r.result;
    result.variants[1].name = "regions";
    test::TempDir tmp;
    write_run_outputs(r.loaded->in, result, options(tmp / "run"));
    GDALAllRegister();
    GDALDataset* ds = static_cast<GDALDataset*>(
        GDALOpenEx((tmp / "run/regions.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    ASSERT_NE(ds->GetLayerByName("regions_2"), nullptr);
    EXPECT_EQ(std::string(ds->GetLayerByName("regions_2")->GetMetadataItem("DESCRIPTION")), "regions");
    EXPECT_EQ(ds->GetLayerByName("regions")->GetLayerDefn()->GetFieldCount(), 2) << "code and name only";
    GDALClose(ds);
    EXPECT_EQ(read_run(tmp / "run").shapes.region_count(), 7u);
}

void expect_same_shapes(const ShapeSet& a, const ShapeSet& b) {
    EXPECT_TRUE(a.x == b.x && a.y == b.y) << "vertices differ";
    EXPECT_EQ(a.ring_start, b.ring_start);
    EXPECT_EQ(a.part_start, b.part_start);
    EXPECT_EQ(a.region_start, b.region_start);
}

// What `run` draws its figures from is what `report RUN_DIR` reads back: the same numbers to the
// bit (each file serialised again gives the same bytes, and summary.json prints every double in its
// shortest exact form) and the same outlines.
TEST(RunData, InMemoryEqualsReadBack) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    const RunData mem = write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    const RunData back = read_run(tmp / "run");
    EXPECT_EQ(summary_json(mem.summary), test::slurp(tmp / "run/summary.json"));
    EXPECT_EQ(summary_json(back.summary), summary_json(mem.summary));
    EXPECT_EQ(timeseries_csv(mem.timeseries), test::slurp(tmp / "run/timeseries.csv"));
    EXPECT_EQ(timeseries_csv(back.timeseries), timeseries_csv(mem.timeseries));
    EXPECT_EQ(manifest_json(back.manifest), manifest_json(mem.manifest));
    ASSERT_EQ(back.timeseries.series.size(), mem.timeseries.series.size());
    EXPECT_EQ(back.timeseries.dates, mem.timeseries.dates);
    for (std::size_t i = 0; i < mem.timeseries.series.size(); ++i) {
        const auto& a = mem.timeseries.series[i];
        const auto& b = back.timeseries.series[i];
        EXPECT_EQ(a.variant + "/" + a.region + "/" + a.name, b.variant + "/" + b.region + "/" + b.name);
        ASSERT_EQ(a.measures.size(), b.measures.size());
        for (const auto& [m, values] : a.measures)
            for (std::size_t k = 0; k < values.size(); ++k) {
                const double x = values[k], y = b.measures.at(m)[k];
                EXPECT_TRUE((std::isnan(x) && std::isnan(y)) || x == y) << a.variant << " " << a.region << " " << m << " " << k;
            }
    }
    EXPECT_EQ(back.summary.variants[1].regions[3].coverage_end.p5, mem.summary.variants[1].regions[3].coverage_end.p5);
    expect_same_shapes(back.shapes, mem.shapes);
    EXPECT_EQ(mem.shapes.region_count(), 7u);
}

TEST(RunData, ReaderRefusesAnotherSchemaInOneLine) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    const std::string path = tmp / "run/summary.json";
    const std::string good = test::slurp(path);
    auto error = [&](const std::string& text) {
        test::spit(path, text);
        try {
            read_run(tmp / "run");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    std::string other = good;
    other.replace(other.find("cakupan.run/2"), 13, "cakupan.run/3");
    EXPECT_EQ(error(other), path + ": schema 'cakupan.run/3' is not cakupan.run/2 (written by another version of Cakupan; run the scenario again)");
    std::string none = good;
    none.erase(none.find("\"schema\""), std::string("\"schema\": \"cakupan.run/2\",").size());
    EXPECT_EQ(error(none), path + ": no \"schema\" (a run written by an earlier Cakupan; run the scenario again to read it with this version)");
}

// The maps fixture (tests/data/maps/run): six squares of grid.geojson, two variants with round
// numbers, written by the writer. CAKUPAN_WRITE_FIXTURES=1 rewrites it after a change of format.
RunData grid_run() {
    render::MapLayerRequest req;
    req.path = std::string(CAKUPAN_TEST_DATA_DIR) + "/maps/grid.geojson";
    req.fields = {"share"};
    const render::MapLayer grid = render::read_map_layer(req);
    RunData d;
    RunSummary& s = d.summary;
    s.version = "0.1.0";
    s.scenario_name = "grid-test";
    s.scenario_title = "Grid test scenario";
    s.start = "2025-06-01";
    s.end = "2025-12-31";
    s.step = "month";
    s.steps = 7;
    s.mode = "stochastic";
    s.draws = 200;
    s.seed = 1;
    s.target = 0.5717;
    s.region_layer = "grid";
    s.region_count = 6;
    const std::vector<std::vector<double>> p50 = {{0.25, 0.35, 0.45, 0.55, 0.58, 0.65}, {0.27, 0.39, 0.48, 0.56, 0.61, 0.7}};
    const std::vector<std::vector<double>> p5 = {{0.2, 0.3, 0.4, 0.5, 0.52, 0.6}, {0.22, 0.34, 0.43, 0.5, 0.55, 0.63}};
    const std::vector<std::vector<double>> p95 = {{0.3, 0.4, 0.5, 0.6, 0.64, 0.7}, {0.32, 0.44, 0.53, 0.62, 0.67, 0.77}};
    const std::vector<std::vector<double>> prob = {{0, 0.05, 0.3, 0.45, 0.6, 0.95}, {0, 0.1, 0.35, 0.5, 0.7, 0.99}};
    const LeverAmounts none = {{"voluntary", 0.0}, {"reactivation", 0.0}, {"agents", 0.0}, {"lapse", 0.0}};
    const char* names[] = {"baseline", "agents"};
    d.timeseries.dates = {"2025-06-01", "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"};
    for (std::size_t v = 0; v < 2; ++v) {
        RunVariantResult x;
        x.name = names[v];
        x.coverage_start = 0.2724;
        x.coverage_end = {p50[v][2], p5[v][2], p50[v][2], p95[v][2]};
        x.workers = 6000;
        x.active_start = 1634.4;
        x.active_end = 6000 * p50[v][2];
        x.members_added = none;
        x.interventions = v == 0 ? std::vector<std::string>{} : std::vector<std::string>{"agents"};
        for (std::size_t r = 0; r < 6; ++r)
            x.regions.push_back({grid.ids[r], grid.names[r], 1000, 0.2724, {p50[v][r], p5[v][r], p50[v][r], p95[v][r]}, 0.5717,
                                 prob[v][r], none, 0});
        TimeSeries all{x.name, "all", "all regions", {}};
        for (const char* m : {"coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95"}) {
            auto& c = all.measures[m];
            for (std::size_t k = 0; k < d.timeseries.dates.size(); ++k) c.push_back(0.2724 + (x.coverage_end.p50 - 0.2724) * static_cast<double>(k) / 7.0);
            for (auto& value : c) value = std::round(value * 1e6) / 1e6;
        }
        s.variants.push_back(std::move(x));
        d.timeseries.series.push_back(std::move(all));
    }
    d.manifest.version = "0.1.0";
    d.manifest.command = "written by the unit test RunData.MapsFixtureIsWhatTheWriterWrites";
    d.manifest.scenario = "grid-test";
    d.manifest.mode = "stochastic";
    d.manifest.draws = 200;
    d.manifest.seed = 1;
    d.manifest.outputs = {"regions.gpkg", "summary.json", "timeseries.csv", "manifest.json"};
    d.shapes = grid.shapes;
    return d;
}

TEST(RunData, MapsFixtureIsWhatTheWriterWrites) {
    const RunData grid = grid_run();
    const std::string fixture = std::string(CAKUPAN_TEST_DATA_DIR) + "/maps/run";
    test::TempDir tmp;
    OutputOptions o;
    o.dir = tmp / "run";
    write_run_outputs(grid, o);
    if (const char* w = std::getenv("CAKUPAN_WRITE_FIXTURES"); w != nullptr && std::string(w) == "1") {
        for (const char* f : {"summary.json", "timeseries.csv", "manifest.json", "regions.gpkg"})
            fs::copy_file(tmp / ("run/" + std::string(f)), fixture + "/" + f, fs::copy_options::overwrite_existing);
    }
    for (const char* f : {"summary.json", "timeseries.csv", "manifest.json"})
        EXPECT_EQ(test::slurp(fixture + "/" + f), test::slurp(tmp / ("run/" + std::string(f))))
            << f << " of tests/data/maps/run is not what the writer writes; CAKUPAN_WRITE_FIXTURES=1 rewrites it";
    const RunData back = read_run(fixture);
    EXPECT_EQ(summary_json(back.summary), summary_json(grid.summary));
    expect_same_shapes(back.shapes, grid.shapes);
}

TEST(RunOutputs, NonEmptyDirectoryIsRefusedAndLeftAlone) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    fs::create_directory(tmp / "run");
    test::spit(tmp / "run/notes.txt", "keep me\n");
    try {
        write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
        FAIL() << "no error";
    } catch (const OutputError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("not empty"));
        EXPECT_THAT(std::string(e.what()), HasSubstr("--force"));
    }
    EXPECT_THAT(tmp.listing(), ElementsAre("run"));
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(tmp / "run")) files.push_back(e.path().filename().string());
    EXPECT_THAT(files, ElementsAre("notes.txt"));
    EXPECT_EQ(test::slurp(tmp / "run/notes.txt"), "keep me\n");

    // A file in the way is refused too.
    test::spit(tmp / "file", "x");
    EXPECT_THROW(write_run_outputs(r.loaded->in, r.result, options(tmp / "file")), OutputError);
    EXPECT_EQ(test::slurp(tmp / "file"), "x");

    // Force does not make it a run directory: refused, and left alone.
    EXPECT_THROW(write_run_outputs(r.loaded->in, r.result, options(tmp / "run", true)), OutputError);
    EXPECT_EQ(test::slurp(tmp / "run/notes.txt"), "keep me\n");

    // With force, an earlier run is replaced as a whole; the manifest lists what it holds.
    write_run_outputs(r.loaded->in, r.result, options(tmp / "earlier"));
    test::spit(tmp / "earlier/summary.json", "old");
    write_run_outputs(r.loaded->in, r.result, options(tmp / "earlier/", true));
    EXPECT_NE(test::slurp(tmp / "earlier/summary.json"), "old");
    const auto manifest = nlohmann::json::parse(test::slurp(tmp / "earlier/manifest.json"));
    EXPECT_EQ(manifest["written_by"], "cakupan");
    EXPECT_EQ(manifest["kind"], "run");
    EXPECT_EQ(manifest["outputs"], nlohmann::json({"regions.gpkg", "summary.json", "timeseries.csv", "manifest.json"}));
    EXPECT_THAT(tmp.listing(), ElementsAre("earlier", "file", "run"));
}

TEST(RunOutputs, EmptyExistingDirectoryIsUsed) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    fs::create_directory(tmp / "run");
    write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    EXPECT_TRUE(fs::exists(tmp / "run/regions.gpkg"));
    EXPECT_THAT(tmp.listing(), ElementsAre("run"));
}

// The manifest is written last; a command line that is not UTF-8 cannot go into JSON, so the
// write fails after summary.json, timeseries.csv and regions.gpkg are done.
TEST(RunOutputs, FailedWriteLeavesNothingBehind) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    OutputOptions o = options(tmp / "run");
    o.command_line = "cakupan run \xff\xfe";
    EXPECT_ANY_THROW(write_run_outputs(r.loaded->in, r.result, o));
    EXPECT_TRUE(tmp.listing().empty()) << ::testing::PrintToString(tmp.listing());

    // Replacing an existing run with --force: a failure keeps the old run as it was.
    write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    const std::string before = test::slurp(tmp / "run/summary.json");
    o.force = true;
    EXPECT_ANY_THROW(write_run_outputs(r.loaded->in, r.result, o));
    EXPECT_THAT(tmp.listing(), ElementsAre("run"));
    EXPECT_EQ(test::slurp(tmp / "run/summary.json"), before);
    EXPECT_TRUE(fs::exists(tmp / "run/manifest.json"));
}

TEST(RunOutputs, MissingParentIsAnOutputError) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    EXPECT_THROW(write_run_outputs(r.loaded->in, r.result, options(tmp / "no/such/run")), OutputError);
    EXPECT_TRUE(tmp.listing().empty());
}

} // namespace
} // namespace cakupan
