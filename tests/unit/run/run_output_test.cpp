// write_run_outputs: the four files of a run directory, regions.gpkg as GDAL reads it, refusal of
// a non-empty directory, and no half-written directory after a failure.
#include "cakupan/common/error.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/run/run_reader.hpp"
#include "support/csv_grammar.hpp"
#include "scenario_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(RunOutputs, GeoPackageHasOneLayerPerVariant) {
    const SmallRun& r = small_run();
    test::TempDir tmp;
    write_run_outputs(r.loaded->in, r.result, options(tmp / "run"));
    GDALAllRegister();
    GDALDataset* ds = static_cast<GDALDataset*>(
        GDALOpenEx((tmp / "run/regions.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GPKG");
    ASSERT_EQ(ds->GetLayerCount(), 2);
    const std::vector<std::string> expected_fields = {
        "code", "name", "workers", "coverage_start", "coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95", "target",
        "gap_to_target", "probability_target_met", "spend", "members_voluntary", "members_reactivation", "members_agents",
        "members_enforcement", "members_subsidy", "members_village_programme", "members_lapse", "members_funding_end",
        "members_january_gap"};
    const Eigen::Index end = static_cast<Eigen::Index>(r.result.calendar.steps());
    for (int i = 0; i < 2; ++i) {
        OGRLayer* layer = ds->GetLayer(i);
        const VariantResult& v = r.result.variants[static_cast<std::size_t>(i)];
        EXPECT_EQ(std::string(layer->GetName()), v.name);
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
            EXPECT_EQ(f->GetFieldAsDouble("coverage_mean"), v.mean(r_index, end)) << code;
            EXPECT_EQ(f->GetFieldAsDouble("workers"), v.workers[r_index]) << code;
            ASSERT_NE(f->GetGeometryRef(), nullptr) << code;
            EXPECT_FALSE(f->GetGeometryRef()->IsEmpty()) << code;
            OGRFeature::DestroyFeature(f);
        }
        EXPECT_EQ(codes.size(), 7u);
    }
    GDALClose(ds);
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
