// Runs one scenario file through `cakupan validate` and `cakupan run --draws 20`, and checks the
// run directory: every file there, and one summary entry per variant of the scenario, in order.
// tests/CMakeLists.txt adds one test per scenarios/*.toml (globbed at configure time, re-globbed
// when the directory changes), so a new example scenario is tested without listing it anywhere.
//
// usage: cakupan_scenario_smoke SCENARIO [gtest options]
#include "cakupan/scenario/scenario.hpp"
#include "../unit/scenario_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace {

std::string g_scenario;

TEST(Scenario, ValidatesAndRuns) {
    using namespace cakupan;
    namespace fs = std::filesystem;
    ASSERT_FALSE(g_scenario.empty());
    SCOPED_TRACE(g_scenario);

    const auto v = test::run_process({CAKUPAN_CLI, "validate", g_scenario});
    EXPECT_EQ(v.exit, 0) << "cakupan validate " << g_scenario << "\n" << v.out << v.err;
    EXPECT_NE(v.out.find("ok: "), std::string::npos) << v.out;

    test::TempDir tmp;
    const std::string out = tmp / "run";
    // Figures are tested elsewhere (report_test, the CLI case run_small_scenario); drawing every
    // map of every scenario in PNG and SVG would dominate the suite's time.
    const auto r = test::run_process(
        {CAKUPAN_CLI, "run", g_scenario, "--draws", "20", "--out", out, "--quiet", "--no-maps", "--no-charts", "--no-report"});
    ASSERT_EQ(r.exit, 0) << "cakupan run " << g_scenario << "\n" << r.out << r.err;
    for (const char* f : {"summary.json", "timeseries.csv", "regions.gpkg", "manifest.json"})
        EXPECT_TRUE(fs::is_regular_file(fs::path(out) / f)) << f;

    Diagnostics notes;
    const Scenario sc = load_scenario(g_scenario, notes);
    const auto summary = nlohmann::json::parse(test::slurp(fs::path(out) / "summary.json"));
    ASSERT_TRUE(summary["variants"].is_array());
    ASSERT_EQ(summary["variants"].size(), sc.variants.size()) << "one summary entry per variant";
    for (std::size_t i = 0; i < sc.variants.size(); ++i) {
        EXPECT_EQ(summary["variants"][i]["name"], sc.variants[i].name);
        const double end = summary["variants"][i]["coverage_end"]["mean"].get<double>();
        EXPECT_GE(end, 0.0);
        EXPECT_LE(end, 1.0);
    }
    EXPECT_EQ(summary["draws"], sc.mode == Mode::expected ? 1 : 20);
}

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (argc != 2) {
        std::cerr << "usage: cakupan_scenario_smoke SCENARIO [gtest options]\n";
        return 2;
    }
    g_scenario = argv[1];
    return RUN_ALL_TESTS();
}
