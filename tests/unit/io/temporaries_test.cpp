// Temporaries of processes that no longer run are removed by the next command that writes beside
// them; a live process's never are. The real case: a `cakupan run` killed with SIGKILL while it
// writes its run directory.
#include "cakupan/io/temporaries.hpp"
#include "support/process.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cakupan {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using test::spit;
using test::TempDir;

// The id of a process that has ended (and been reaped), and one above any pid_max Linux allows.
pid_t ended_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}
constexpr const char* kNeverAPid = "999999999";

TEST(Temporaries, NameBesideTheTarget) {
    const std::string pid = std::to_string(::getpid());
    EXPECT_EQ(temporary_path("out/run").string(), "out/.run.tmp-" + pid);
    EXPECT_EQ(temporary_path("run", "old").string(), "./.run.old-" + pid);
}

TEST(Temporaries, OnlyThoseOfEndedProcessesAreRemoved) {
    TempDir tmp;
    const std::string dead = std::to_string(ended_pid());
    const std::string self = std::to_string(::getpid());
    fs::create_directory(tmp / (".run.tmp-" + dead));
    spit(tmp / (".run.tmp-" + dead + "/summary.json"), "{}");
    spit(tmp / (".w.gal.tmp-" + std::string(kNeverAPid)), "x");
    fs::create_directory(tmp / (".run.old-" + std::string(kNeverAPid)));
    // Kept: live processes (this one, init), names of another form, a link named like a temporary.
    spit(tmp / (".mine.tmp-" + self), "x");
    spit(tmp / ".init.tmp-1", "x");
    for (const char* name : {".x.tmp-abc", "x.tmp-999999999", ".tmp-999999999", ".x.tmp-0999999999", ".x.tmp-", ".x.temp-999999999",
                             ".x.tmp-99999999999999999999", "notes.txt"})
        spit(tmp / name, "mine");
    fs::create_symlink(tmp / "notes.txt", tmp / ".link.tmp-999999999");

    std::vector<std::string> removed = remove_stale_temporaries(tmp.path());
    std::sort(removed.begin(), removed.end());
    EXPECT_THAT(removed, ElementsAre(tmp / (".run.old-" + std::string(kNeverAPid)), tmp / (".run.tmp-" + dead),
                                     tmp / (".w.gal.tmp-" + std::string(kNeverAPid))));
    std::vector<std::string> kept = {".init.tmp-1", ".link.tmp-999999999", ".mine.tmp-" + self, ".tmp-999999999",
                                     ".x.temp-999999999", ".x.tmp-", ".x.tmp-0999999999", ".x.tmp-99999999999999999999",
                                     ".x.tmp-abc", "notes.txt", "x.tmp-999999999"};
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(tmp.listing(), kept);
    EXPECT_TRUE(remove_stale_temporaries(tmp.path()).empty()) << "a second sweep finds nothing";
}

// A writer in another PID namespace (a container sharing the volume) has an id this process
// cannot see; its lock still protects its temporary.
TEST(Temporaries, ALockedTemporaryIsKept) {
    TempDir tmp;
    const std::string name = ".w.gal.tmp-" + std::string(kNeverAPid);
    spit(tmp / name, "x");
    fs::create_directory(tmp / ".run.tmp-999999998");
    const int file = ::open((tmp / name).c_str(), O_RDONLY | O_CLOEXEC);
    const int dir = ::open((tmp / ".run.tmp-999999998").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_EQ(::flock(file, LOCK_EX), 0);
    ASSERT_EQ(::flock(dir, LOCK_EX), 0);
    EXPECT_TRUE(remove_stale_temporaries(tmp.path()).empty());
    EXPECT_THAT(tmp.listing(), ElementsAre(".run.tmp-999999998", name));
    ::close(file);
    ::close(dir);
    EXPECT_EQ(remove_stale_temporaries(tmp.path()).size(), 2u) << "once the writer is gone";
    EXPECT_TRUE(tmp.listing().empty());
}

// Starts `cakupan run` on the Babel villages and kills it with SIGKILL as soon as its temporary
// run directory holds a file; returns the killed process's id, or 0 if it finished first.
pid_t run_and_kill(const TempDir& tmp) {
    const std::string out = tmp / "run";
    std::vector<std::string> args = {CAKUPAN_CLI, "run", test::scenario_file("engine_village.toml"), "--out", out, "--draws", "20",
                                     "--threads", "1", "--quiet"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int fd : {0, 1, 2}) posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return 0;
    const fs::path temporary = tmp.path() / (".run.tmp-" + std::to_string(pid));
    int status = 0;
    for (;;) {
        std::error_code ec;
        if (fs::exists(temporary / "regions.gpkg", ec)) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return WIFSIGNALED(status) ? pid : 0;
        }
        if (::waitpid(pid, &status, WNOHANG) == pid) return 0; // finished before it was caught
        ::usleep(200);
    }
}

TEST(Temporaries, ARunKilledWhileWritingIsCleanedUpByTheNext) {
    TempDir tmp;
    pid_t killed = 0;
    for (int attempt = 0; attempt < 5 && killed == 0; ++attempt) {
        killed = run_and_kill(tmp);
        if (killed == 0) fs::remove_all(tmp / "run");
    }
    ASSERT_NE(killed, 0) << "every run finished before its temporary directory was seen";
    const std::string leftover = ".run.tmp-" + std::to_string(killed);
    ASSERT_THAT(tmp.listing(), ElementsAre(leftover)) << "the killed run leaves its temporary directory";
    const std::string live = ".live.tmp-" + std::to_string(::getpid());
    fs::create_directory(tmp / live);

    const auto r = test::run_process({CAKUPAN_CLI, "run", test::scenario_file("small.toml"), "--out", tmp / "next", "--draws", "5",
                                      "--quiet", "--no-maps", "--no-charts", "--no-report"});
    EXPECT_EQ(r.exit, 0) << r.err;
    EXPECT_THAT(r.err, ::testing::HasSubstr("cakupan: removed " + tmp / leftover + ", left by a process that no longer runs\n"));
    EXPECT_EQ(r.err.find("cakupan: removed"), r.err.rfind("cakupan: removed")) << "one line per removal";
    EXPECT_THAT(tmp.listing(), ElementsAre(live, "next")) << "the live process's temporary stays";
}

} // namespace
} // namespace cakupan
