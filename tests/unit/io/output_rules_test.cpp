// What an output may replace: single files (only regular files, never an input) and run or study
// directories (only an earlier one, by its manifest, holding nothing else and no input, never the
// working directory). Every refusal is an OutputError that leaves the path as it was.
#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_rules.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace cakupan {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using test::spit;
using test::TempDir;

// The message of the OutputError `f` throws, or a note that it threw none.
template <class F>
std::string output_error(F f) {
    try {
        f();
    } catch (const OutputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("other error: ") + e.what();
    }
    return "no error";
}

std::string file_error(const std::string& path, bool force, const std::vector<std::string>& inputs = {}) {
    return output_error([&] { check_output_file(path, force, inputs); });
}

std::string dir_error(const std::string& dir, OutputKind kind, bool force, const std::vector<std::string>& inputs = {}) {
    return output_error([&] { check_output_directory(dir, kind, force, inputs); });
}

const char* kRunManifest = R"({"cakupan": "0.1.0", "written_by": "cakupan", "kind": "run",
  "outputs": ["summary.json", "maps/coverage-all.svg", "manifest.json"]})";

// --- single files -------------------------------------------------------------------------------

TEST(OutputRules, OnlyARegularFileIsReplaced) {
    TempDir tmp;
    fs::create_directory(tmp / "dir.png");
    ASSERT_EQ(::mkfifo((tmp / "fifo.png").c_str(), 0600), 0);
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock_path = tmp / "sock.png";
    ASSERT_LT(sock_path.size(), sizeof addr.sun_path);
    std::strcpy(addr.sun_path, sock_path.c_str());
    ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    fs::create_symlink("/dev/null", tmp / "null.png");
    fs::create_symlink(tmp / "dir.png", tmp / "dirlink.png");
    for (const bool force : {false, true}) {
        EXPECT_EQ(file_error(tmp / "dir.png", force), tmp / "dir.png" + ": is a directory; name a file");
        EXPECT_EQ(file_error(tmp / "dirlink.png", force), tmp / "dirlink.png" + ": is a directory; name a file");
        EXPECT_EQ(file_error("/dev/null", force), "/dev/null: is a character device; Cakupan replaces only a regular file: name a file");
        EXPECT_EQ(file_error(tmp / "null.png", force),
                  tmp / "null.png" + ": is a character device; Cakupan replaces only a regular file: name a file");
        EXPECT_EQ(file_error(tmp / "fifo.png", force),
                  tmp / "fifo.png" + ": is a FIFO; Cakupan replaces only a regular file: name a file");
        EXPECT_EQ(file_error(tmp / "sock.png", force),
                  tmp / "sock.png" + ": is a socket; Cakupan replaces only a regular file: name a file");
        // The writer every command uses refuses them too, and leaves them as they were (the device
        // through a link only: should this regress, the test must not replace the real /dev/null).
        for (const char* name : {"dir.png", "null.png", "fifo.png", "sock.png", "dirlink.png"})
            EXPECT_THAT(output_error([&] { write_file_atomically(tmp / name, "x", force); }), ::testing::StartsWith(tmp / name + ": is a"))
                << name;
    }
    ::close(sock);
    struct stat st {};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null is still the device";
    EXPECT_TRUE(fs::is_symlink(tmp / "null.png"));
    EXPECT_TRUE(fs::is_fifo(tmp / "fifo.png"));
    EXPECT_TRUE(fs::is_directory(tmp / "dir.png"));
    EXPECT_THAT(tmp.listing(), ElementsAre("dir.png", "dirlink.png", "fifo.png", "null.png", "sock.png")) << "no temporary left";
}

TEST(OutputRules, ARegularFileNeedsForce) {
    TempDir tmp;
    spit(tmp / "m.png", "old");
    EXPECT_EQ(file_error(tmp / "m.png", false), tmp / "m.png" + ": already exists; pass --force to replace it");
    EXPECT_EQ(file_error(tmp / "m.png", true), "no error");
    EXPECT_EQ(file_error(tmp / "new.png", false), "no error");
    EXPECT_EQ(file_error(tmp / "no/new.png", true), tmp / "no/new.png" + ": directory " + tmp / "no" + " does not exist");
    EXPECT_EQ(file_error(tmp / "new.png/", true), tmp / "new.png/" + ": ends in '/', which names a directory; name a file");
    EXPECT_THROW(check_output_file("", true, {}), UsageError);
}

TEST(OutputRules, AnInputIsNeverReplaced) {
    TempDir tmp;
    for (const char* f : {"b.shp", "b.dbf", "b.shx", "b.prj", "s.csv", "other.dbf"}) spit(tmp / f, "data");
    fs::create_directory(tmp / "sub");
    fs::create_hard_link(tmp / "s.csv", tmp / "sub/same.csv");
    const std::vector<std::string> inputs = {tmp / "b.shp", tmp / "s.csv"};
    const std::string why = ": is an input of this command; Cakupan never replaces an input: choose another --out";
    for (const bool force : {false, true}) {
        EXPECT_EQ(file_error(tmp / "s.csv", force, inputs), tmp / "s.csv" + why);
        EXPECT_EQ(file_error(tmp / "sub/../s.csv", force, inputs), tmp / "sub/../s.csv" + why) << "another spelling";
        EXPECT_EQ(file_error(tmp / "sub/same.csv", force, inputs), tmp / "sub/same.csv" + why) << "a hard link";
        for (const char* f : {"b.shp", "b.dbf", "b.shx", "b.prj"}) EXPECT_EQ(file_error(tmp / f, force, inputs), tmp / f + why) << f;
    }
    EXPECT_EQ(file_error(tmp / "other.dbf", true, inputs), "no error");
}

// --- directories ---------------------------------------------------------------------------------

TEST(OutputRules, NeverTheWorkingDirectoryOrOneContainingIt) {
    TempDir tmp;
    fs::create_directories(tmp / "a/b");
    spit(tmp / "a/b/manifest.json", kRunManifest);
    const test::CwdGuard cwd(tmp / "a/b");
    const std::string why = ": is the working directory or contains it; Cakupan never replaces it: name a new directory for --out";
    for (const bool force : {false, true})
        for (const auto kind : {OutputKind::run, OutputKind::study})
            for (const std::string& dir : std::vector<std::string>{".", "./", "..", "../", "/", tmp / "a", tmp / "a/b/", tmp.path().string()})
                EXPECT_EQ(dir_error(dir, kind, force), dir + why) << dir;
}

TEST(OutputRules, ForceRefusesADirectoryWithoutAnEarlierRun) {
    TempDir tmp;
    fs::create_directories(tmp / "data");
    spit(tmp / "data/notes.txt", "mine");
    fs::create_directories(tmp / "other");
    spit(tmp / "other/manifest.json", R"({"name": "not cakupan's"})");
    fs::create_directories(tmp / "study");
    spit(tmp / "study/.checkpoint", "cakupan-checkpoint 1 abc 10 1\n");
    for (const std::string d : {"data", "data/", "other", "study"}) {
        EXPECT_EQ(dir_error(tmp / d, OutputKind::run, true),
                  tmp / d + ": holds no earlier run (no manifest.json written by cakupan run); --force replaces only a run "
                            "directory: choose another --out");
        EXPECT_EQ(dir_error(tmp / d, OutputKind::run, false),
                  tmp / d + ": directory exists and is not empty and holds no earlier run; choose another --out (--force "
                            "replaces only a run directory)");
    }
    EXPECT_EQ(dir_error(tmp / "data", OutputKind::study, true),
              tmp / "data: holds no earlier study (no manifest.json written by cakupan sensitivity); --force replaces only a "
                    "study directory: choose another --out");
    EXPECT_EQ(dir_error(tmp / "study", OutputKind::study, true), "no error") << "a study stopped before its end";
    EXPECT_EQ(dir_error(tmp / "file", OutputKind::run, true), "no error") << "absent";
    spit(tmp / "file", "x");
    EXPECT_EQ(dir_error(tmp / "file", OutputKind::run, true), tmp / "file: exists and is not a directory");
    fs::create_directory_symlink(tmp / "data", tmp / "link");
    EXPECT_EQ(dir_error(tmp / "link", OutputKind::run, true), tmp / "link: is a symbolic link; name the directory itself");
    EXPECT_EQ(dir_error(tmp / "none/run", OutputKind::run, true), tmp / "none/run: parent directory " + tmp / "none" + " does not exist");
}

TEST(OutputRules, ForceReplacesOnlyWhatTheEarlierRunWrote) {
    TempDir tmp;
    const fs::path run = tmp / "run";
    fs::create_directories(run / "maps");
    spit(run / "manifest.json", kRunManifest);
    spit(run / "summary.json", "{}");
    spit(run / "maps/coverage-all.svg", "<svg/>");
    spit(run / "report-en.html", "<html/>"); // added by `cakupan report --lang en`
    EXPECT_EQ(dir_error(run, OutputKind::run, false), run.string() + ": directory exists and is not empty; pass --force to replace it");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), "no error");
    EXPECT_EQ(dir_error(run.string() + "/", OutputKind::run, true), "no error");
    EXPECT_THAT(dir_error(run, OutputKind::study, true), ::testing::HasSubstr("holds no earlier study")) << "a run is not a study";

    const std::string why = ", which the earlier run did not write; --force replaces only what Cakupan wrote: move it away or "
                            "choose another --out";
    const std::pair<std::string, std::string> extras[] = {
        {"notes.txt", "notes.txt"}, {"maps/mine.svg", "maps/mine.svg"}, {"maps/coverage-all.png", "maps/coverage-all.png"},
        {"sub/deep/x", "sub"}};
    for (const auto& [extra, named] : extras) {
        fs::create_directories((run / extra).parent_path());
        spit(run / extra, "mine");
        EXPECT_EQ(dir_error(run, OutputKind::run, true), run.string() + ": holds " + named + why) << extra;
        fs::remove(run / extra);
        fs::remove(run / "sub/deep");
        fs::remove(run / "sub");
    }
    fs::create_directory(run / "empty");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), run.string() + ": holds empty" + why);
    fs::remove(run / "empty");
    fs::create_symlink(tmp / "elsewhere", run / "summary-link.json");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), run.string() + ": holds summary-link.json" + why);
    fs::remove(run / "summary-link.json");

    // A leftover of a process that no longer runs is the run's own litter; a live one's is not.
    fs::create_directory(run / ".x.tmp-999999999");
    spit(run / ".x.tmp-999999999/summary.json", "{}");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), "no error");
    spit(run / (".y.tmp-" + std::to_string(::getpid())), "");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), run.string() + ": holds .y.tmp-" + std::to_string(::getpid()) + why);
}

TEST(OutputRules, ManifestsBeforeTheMarkerAreRecognised) {
    TempDir tmp;
    const fs::path run = tmp / "run";
    fs::create_directories(run / "charts");
    spit(run / "manifest.json", R"({"cakupan": "0.1.0", "command": "cakupan run s.toml --out run",
      "outputs": ["summary.json", "timeseries.csv", "regions.gpkg", "manifest.json"]})");
    for (const char* f : {"summary.json", "timeseries.csv", "regions.gpkg", "report.html", "charts/coverage-all.png"}) spit(run / f, "x");
    EXPECT_EQ(dir_error(run, OutputKind::run, true), "no error");
    spit(run / "charts/notes.txt", "mine");
    EXPECT_THAT(dir_error(run, OutputKind::run, true), ::testing::StartsWith(run.string() + ": holds charts/notes.txt, which"));

    const fs::path study = tmp / "study";
    fs::create_directories(study);
    spit(study / "manifest.json", R"({"cakupan": "0.1.0", "command": "cakupan sensitivity s.toml --out study", "study": "s",
      "method": "lhs", "files": ["indices.csv", "manifest.json"]})");
    spit(study / "indices.csv", "x");
    spit(study / ".checkpoint", "cakupan-checkpoint 1 abc 10 1\n");
    EXPECT_EQ(dir_error(study, OutputKind::study, true), "no error");
    EXPECT_THAT(dir_error(study, OutputKind::run, true), ::testing::HasSubstr("holds no earlier run"));
    spit(study / "samples.csv", "x");
    EXPECT_THAT(dir_error(study, OutputKind::study, true), ::testing::StartsWith(study.string() + ": holds samples.csv, which"));
}

TEST(OutputRules, ForceNeverReplacesADirectoryHoldingAnInput) {
    TempDir tmp;
    const fs::path run = tmp / "run";
    fs::create_directories(run / "inputs/deep");
    spit(run / "manifest.json", kRunManifest);
    spit(run / "inputs/deep/s.toml", "x");
    EXPECT_EQ(dir_error(run, OutputKind::run, true, {"/etc/hostname", run / "inputs/deep/s.toml"}),
              run.string() + ": contains " + (run / "inputs/deep/s.toml").string() + ", an input of this command; --force never replaces it: "
                                                                          "choose another --out");
    const test::CwdGuard cwd(tmp.path());
    EXPECT_EQ(dir_error("run/", OutputKind::run, true, {"./run/inputs/../inputs/deep/s.toml"}),
              "run/: contains ./run/inputs/../inputs/deep/s.toml, an input of this command; --force never replaces it: choose "
              "another --out");
    fs::create_directory_symlink(run / "inputs", tmp / "alias");
    EXPECT_THAT(dir_error("run", OutputKind::run, true, {"alias/deep/s.toml"}), ::testing::HasSubstr("an input of this command"))
        << "through a symbolic link";
}

} // namespace
} // namespace cakupan
