// The output rules through the commands, on copies of the inputs in a temporary directory: what
// `run --force` refuses (the directory of its inputs, the working directory), and single-file
// outputs onto an input, a device or a FIFO. Each refusal is exit 5 with nothing touched.
#include "support/process.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace cakupan {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::slurp;
using test::spit;
using test::TempDir;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// tests/data/scenarios/small.toml with its boundaries, statistics and model beside it in `dir`.
void copy_small_scenario(const fs::path& dir, const std::string& data_prefix = "") {
    fs::create_directories(dir);
    fs::copy_file(test::geodata("boundaries/babel_19.gpkg"), dir / "babel_19.gpkg");
    fs::copy_file(test::geodata("statistics/babel_kabkota_2025-06.csv"), dir / "babel_kabkota_2025-06.csv");
    fs::copy_file(test::source("models/jamsostek-estimates.toml"), dir / "jamsostek-estimates.toml");
    std::string text = slurp(test::scenario_file("small.toml"));
    for (const char* from : {"../../../geodata/boundaries/", "../../../geodata/statistics/", "../../../models/"})
        text = replace_all(text, from, data_prefix);
    spit(dir / "s.toml", text);
}

// Every file below `dir` with its content, to show that a refusal touched nothing.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        out[e.path().lexically_relative(dir).generic_string()] = e.is_regular_file() ? slurp(e.path()) : "<dir>";
    return out;
}

test::ProcessResult cakupan(std::vector<std::string> args, const fs::path& cwd) {
    args.insert(args.begin(), CAKUPAN_CLI);
    return test::run_process(args, cwd.string());
}

// The cases: the data directory and the working directory are never replaced.
TEST(OutputCommands, RunForceNeverReplacesItsDataOrTheWorkingDirectory) {
    TempDir tmp;
    copy_small_scenario(tmp.path() / "data");
    const auto before = snapshot(tmp.path());
    auto r = cakupan({"run", "data/s.toml", "--out", "data", "--force", "--draws", "5", "--quiet"}, tmp.path());
    EXPECT_EQ(r.exit, 5);
    EXPECT_EQ(r.err, "cakupan: error: data: contains data/s.toml, an input of this command; --force never replaces it: choose "
                     "another --out\n");
    for (const std::string& out : std::vector<std::string>{".", "./", "..", tmp.path().string()}) {
        r = cakupan({"run", "data/s.toml", "--out", out, "--force", "--draws", "5", "--quiet"}, tmp.path() / "data");
        EXPECT_EQ(r.exit, 5) << out;
        EXPECT_EQ(r.err, "cakupan: error: " + out + ": is the working directory or contains it; Cakupan never replaces it: name "
                                                    "a new directory for --out\n");
    }
    EXPECT_EQ(snapshot(tmp.path()), before);
}

// A study's --force empties its directory: never the working directory.
TEST(OutputCommands, SensitivityForceNeverEmptiesTheWorkingDirectory) {
    TempDir tmp;
    fs::create_directories(tmp.path() / "work");
    spit(tmp.path() / "work/keep.txt", "mine");
    for (const std::string& out : std::vector<std::string>{".", "./", ".."}) {
        const auto r = cakupan({"sensitivity", test::data("studies/ishigami_lhs.toml"), "--out", out, "--force", "--quiet"},
                               tmp.path() / "work");
        EXPECT_EQ(r.exit, 5) << out;
        EXPECT_EQ(r.err, "cakupan: error: " + out + ": is the working directory or contains it; Cakupan never replaces it: name "
                                                    "a new directory for --out\n");
    }
    EXPECT_EQ(slurp(tmp.path() / "work/keep.txt"), "mine");
}

// Boundaries, statistics and model file alike: an earlier run that holds one is not replaced (the
// scenario file itself is refused before the inputs are read: outputs.toml).
TEST(OutputCommands, RunForceNeverReplacesADirectoryHoldingAnyInput) {
    TempDir tmp;
    copy_small_scenario(tmp.path());
    ASSERT_EQ(cakupan({"run", "s.toml", "--out", "prev", "--draws", "5", "--quiet", "--no-maps", "--no-charts"}, tmp.path()).exit, 0);
    for (const char* input : {"babel_19.gpkg", "babel_kabkota_2025-06.csv", "jamsostek-estimates.toml"}) {
        fs::create_directories(tmp.path() / "prev/in");
        fs::rename(tmp.path() / input, tmp.path() / "prev/in" / input);
        spit(tmp.path() / "s.toml", replace_all(slurp(tmp.path() / "s.toml"), std::string("\"") + input, std::string("\"prev/in/") + input));
        // Even a manifest that claims the file (edited, or stale) does not make an input replaceable.
        auto manifest = nlohmann::json::parse(slurp(tmp.path() / "prev/manifest.json"));
        manifest["outputs"].push_back(std::string("in/") + input);
        spit(tmp.path() / "prev/manifest.json", manifest.dump(2));
        const auto before = snapshot(tmp.path() / "prev");
        const auto r = cakupan({"run", "s.toml", "--out", "prev", "--force", "--draws", "5", "--quiet"}, tmp.path());
        EXPECT_EQ(r.exit, 5) << input;
        EXPECT_THAT(r.err, HasSubstr("cakupan: error: prev: contains prev/in/" + std::string(input) +
                                     ", an input of this command; --force never replaces it: choose another --out\n"));
        EXPECT_EQ(snapshot(tmp.path() / "prev"), before) << input;
        // Back where it was: the next input alone is inside.
        fs::rename(tmp.path() / "prev/in" / input, tmp.path() / input);
        spit(tmp.path() / "s.toml", replace_all(slurp(tmp.path() / "s.toml"), std::string("\"prev/in/") + input, std::string("\"") + input));
        fs::remove(tmp.path() / "prev/in");
        manifest["outputs"].erase(manifest["outputs"].size() - 1);
        spit(tmp.path() / "prev/manifest.json", manifest.dump(2));
    }
    // With its inputs elsewhere, the earlier run is replaced.
    const auto r = cakupan({"run", "s.toml", "--out", "prev/", "--force", "--draws", "5", "--quiet", "--no-maps", "--no-charts"}, tmp.path());
    EXPECT_EQ(r.exit, 0) << r.err;
    EXPECT_THAT(tmp.listing(), ElementsAre("babel_19.gpkg", "babel_kabkota_2025-06.csv", "jamsostek-estimates.toml", "prev", "s.toml"));
}

TEST(OutputCommands, SingleFilesNeverReplaceAnInputADeviceOrAFifo) {
    TempDir tmp;
    const fs::path shp = tmp.path() / "b";
    fs::create_directories(shp);
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
        fs::copy_file(test::data(std::string("babel_kabkota") + ext), shp / (std::string("babel_kabkota") + ext));
    fs::create_symlink("/dev/null", tmp.path() / "null.gal");
    fs::create_symlink("/dev/null", tmp.path() / "null.svg");
    ASSERT_EQ(::mkfifo((tmp / "fifo.gal").c_str(), 0600), 0);
    const auto before = snapshot(tmp.path());
    for (const char* ext : {".shp", ".dbf", ".shx"}) {
        const std::string out = (shp / (std::string("babel_kabkota") + ext)).string();
        const auto r = cakupan({"adjacency", "b/babel_kabkota.shp", "--out", out, "--force"}, tmp.path());
        EXPECT_EQ(r.exit, 5) << ext;
        EXPECT_EQ(r.err, "cakupan: error: " + out + ": is an input of this command; Cakupan never replaces an input: choose another --out\n");
    }
    auto r = cakupan({"adjacency", "b/babel_kabkota.shp", "--out", "null.gal", "--force"}, tmp.path());
    EXPECT_EQ(r.exit, 5);
    EXPECT_EQ(r.err, "cakupan: error: null.gal: is a character device; Cakupan replaces only a regular file: name a file\n");
    r = cakupan({"adjacency", "b/babel_kabkota.shp", "--out", "fifo.gal", "--force"}, tmp.path());
    EXPECT_EQ(r.exit, 5);
    EXPECT_EQ(r.err, "cakupan: error: fifo.gal: is a FIFO; Cakupan replaces only a regular file: name a file\n");
    r = cakupan({"map", test::data("maps/grid.geojson"), "--field", "share", "--out", "null.svg", "--force"}, tmp.path());
    EXPECT_EQ(r.exit, 5);
    EXPECT_EQ(r.err, "cakupan: error: null.svg: is a character device; Cakupan replaces only a regular file: name a file\n");
    EXPECT_EQ(snapshot(tmp.path()), before);
    EXPECT_TRUE(fs::is_symlink(tmp.path() / "null.gal"));
    EXPECT_TRUE(fs::is_fifo(tmp.path() / "fifo.gal"));
}

TEST(OutputCommands, ReportRemovesLeftoversBesideIt) {
    TempDir tmp;
    copy_small_scenario(tmp.path());
    ASSERT_EQ(cakupan({"run", "s.toml", "--out", "run", "--draws", "5", "--quiet", "--no-maps", "--no-charts", "--no-report"}, tmp.path()).exit, 0);
    spit(tmp.path() / "run/.report-en.html.tmp-999999999", "half");
    spit(tmp.path() / "run/.report-en.html.tmp-1", "a live writer's");
    const auto r = cakupan({"report", "run", "--lang", "en", "--no-maps"}, tmp.path());
    EXPECT_EQ(r.exit, 0) << r.err;
    EXPECT_EQ(r.err, "cakupan: removed run/.report-en.html.tmp-999999999, left by a process that no longer runs\n");
    EXPECT_TRUE(fs::exists(tmp.path() / "run/.report-en.html.tmp-1"));
    EXPECT_TRUE(fs::exists(tmp.path() / "run/report-en.html"));
}

} // namespace
} // namespace cakupan
