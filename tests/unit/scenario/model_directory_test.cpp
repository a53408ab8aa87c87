// The models directory and named models: CAKUPAN_MODELS_DIR first, then share/cakupan/models
// beside the executable, then the source tree; a scenario without [model] takes the default model
// from there wherever the scenario lies; [model] name picks a model there; exact errors.
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/model_directory.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>

namespace cakupan {
namespace {

using test::geodata;
using test::source;
using test::spit;
using test::TempDir;

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(no ScenarioError)";
}

// The small test scenario with absolute data paths and `model` as its [model] section (or none).
std::string write_scenario(const fs::path& dir, const std::string& model) {
    const std::string path = (dir / "s.toml").string();
    spit(path, "[data]\nboundaries = \"" + geodata("boundaries/babel_19.gpkg") + "\"\nlayer = \"kabkota\"\nstatistics = \"" +
                   geodata("statistics/babel_kabkota_2025-06.csv") + "\"\n\n" + model +
                   "\n[period]\nstart = 2025-06-01\nend = 2025-12-31\n\n[target]\ncoverage = 0.5\n\n"
                   "[intervention.pergub]\ntype = \"regulation\"\nstart = 2025-06-01\nregions = \"19\"\n\n"
                   "[variant.baseline]\ninterventions = [\"pergub\"]\n");
    return path;
}

const std::string kSourceModels = fs::path(source("models")).lexically_normal().string();

TEST(ModelDirectory, OverrideWinsWhenItIsADirectory) {
    TempDir tmp;
    EXPECT_EQ(find_model_directory(tmp.path().string(), "/nonexistent/bin/cakupan"), tmp.path());
}

TEST(ModelDirectory, OverrideThatIsNoDirectoryIsAnError) {
    TempDir tmp;
    spit(tmp / "file", "x");
    for (const std::string& bad : {tmp / "missing", tmp / "file"})
        EXPECT_EQ(error_of([&] { find_model_directory(bad, "/nonexistent/bin/cakupan"); }),
                  "CAKUPAN_MODELS_DIR=" + bad + ": not a directory; expected the directory of the model files");
}

TEST(ModelDirectory, BesideTheInstalledExecutableBeforeTheSourceTree) {
    TempDir prefix;
    fs::create_directories(prefix.path() / "bin");
    fs::create_directories(prefix.path() / "share/cakupan/models");
    EXPECT_EQ(find_model_directory("", prefix.path() / "bin/cakupan"), prefix.path() / "share/cakupan/models");
    EXPECT_EQ(model_directory_candidates(prefix.path() / "bin/cakupan").front(), prefix.path() / "share/cakupan/models");
}

TEST(ModelDirectory, SourceTreeForABinaryOutsideAnInstall) {
    TempDir build;
    EXPECT_EQ(find_model_directory("", build.path() / "cakupan").string(), kSourceModels);
    EXPECT_EQ(find_model_directory("", fs::path()).string(), kSourceModels);
}

TEST(ModelDirectory, ThisProcessFindsTheSourceTreeModels) {
    // The test binary lies in the build tree, with no share/cakupan/models beside it.
    if (std::getenv(kModelsDirVariable) != nullptr) GTEST_SKIP() << "CAKUPAN_MODELS_DIR is set";
    EXPECT_EQ(model_directory().string(), kSourceModels);
}

TEST(ModelDirectory, ScenarioWithoutModelTakesTheDefaultWhereverItLies) {
    // No models/ beside or above the scenario: the default model comes from the models directory.
    TempDir tmp;
    Diagnostics notes;
    const Scenario sc = load_scenario(write_scenario(tmp.path(), ""), notes);
    EXPECT_EQ(sc.variants.front().model.path, kSourceModels + "/jamsostek.toml");
    EXPECT_EQ(sc.variants.front().model.name, "jamsostek");
    EXPECT_EQ(sc.input_files.back(), kSourceModels + "/jamsostek.toml");
}

TEST(ModelDirectory, ModelByName) {
    TempDir tmp;
    Diagnostics notes;
    const Scenario sc = load_scenario(write_scenario(tmp.path(), "[model]\nname = \"jamsostek\"\n"), notes);
    EXPECT_EQ(sc.variants.front().model.path, kSourceModels + "/jamsostek.toml");
}

TEST(ModelDirectory, ExplicitFileStaysRelativeToTheScenario) {
    TempDir tmp;
    fs::copy_file(source("models/jamsostek-estimates.toml"), tmp / "mine.toml");
    Diagnostics notes;
    const Scenario sc = load_scenario(write_scenario(tmp.path(), "[model]\nfile = \"mine.toml\"\n"), notes);
    EXPECT_EQ(sc.variants.front().model.path, tmp / "mine.toml");
}

TEST(ModelDirectory, UnknownNameSaysWhatThereIs) {
    TempDir tmp;
    const std::string path = write_scenario(tmp.path(), "[model]\nname = \"jamsostk\"\n");
    Diagnostics notes;
    EXPECT_EQ(error_of([&] { load_scenario(path, notes); }), path + ":7:8: model.name: no model 'jamsostk' in " + kSourceModels +
                                                                 " (did you mean 'jamsostek'?); models there: jamsostek, jamsostek-estimates");
}

TEST(ModelDirectory, NamesThatAreNoNames) {
    // A name is looked up inside the models directory only: no paths, no hidden files.
    for (const std::string name : {"", ".hidden", "../models/jamsostek", "sub/jamsostek", "/etc/passwd", "jamsostek.toml x"}) {
        TempDir tmp;
        const std::string path = write_scenario(tmp.path(), "[model]\nname = \"" + name + "\"\n");
        Diagnostics notes;
        EXPECT_EQ(error_of([&] { load_scenario(path, notes); }),
                  path + ":7:8: model.name: '" + name +
                      "' is not a model name; expected letters, digits, '-', '_' or '.', as in \"jamsostek\" (a path goes in "
                      "[model] file)")
            << name;
    }
}

TEST(ModelDirectory, FileAndNameTogether) {
    TempDir tmp;
    const std::string path = write_scenario(tmp.path(), "[model]\nfile = \"x.toml\"\nname = \"jamsostek\"\n");
    Diagnostics notes;
    EXPECT_EQ(error_of([&] { load_scenario(path, notes); }),
              path + ":8:8: model: both file and name given; expected one of them");
}

} // namespace
} // namespace cakupan
