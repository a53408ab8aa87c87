// Sensitivity studies end to end: analytic indices through the whole command, thread and resume
// invariance of the written bytes, checkpoints (torn records, other studies), and a real study
// on Babel whose monotone effects have known signs.
#include "cakupan/study/checkpoint.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/sensitivity/test_functions.hpp"
#include "cakupan/study/study_runner.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include "support/csv_grammar.hpp"
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace cakupan;

namespace {

const std::string kStudies = std::string(CAKUPAN_TEST_DATA_DIR) + "/studies/";

fs::path fresh_dir(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("cakupan_study_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(p);
    return p;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Every file of a study directory but the manifest (it records the command line) and the
// checkpoint (records in the order they finished).
std::map<std::string, std::string> outputs_of(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const std::string name = fs::relative(e.path(), dir).generic_string(); // "maps/driver-coverage_end.png"
        if (name != "manifest.json" && name != ".checkpoint") out[name] = slurp(e.path());
    }
    return out;
}

test::ProcessResult study(const std::vector<std::string>& args, const std::string& stop_after = "") {
    std::vector<std::string> argv;
    if (!stop_after.empty()) argv = {"/usr/bin/env", "CAKUPAN_STUDY_STOP_AFTER=" + stop_after};
    argv.push_back(CAKUPAN_CLI);
    argv.push_back("sensitivity");
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv);
}

double index_of(const nlohmann::json& doc, const std::string& output, const std::string& parameter, const std::string& index) {
    for (const auto& o : doc["outputs"])
        if (o["output"] == output)
            for (const auto& p : o["parameters"])
                if (p["parameter"] == parameter) return p[index].get<double>();
    ADD_FAILURE() << "no " << index << " of " << parameter << " for " << output;
    return NAN;
}

// A model that counts its evaluations and remembers which points it saw.
class CountingModel final : public StudyModel {
public:
    const std::vector<std::string>& output_names() const override { return names_; }
    const std::vector<std::string>& input_files() const override { return none_; }
    const std::vector<std::string>& region_codes() const override { return none_; }
    const std::vector<std::string>& region_names() const override { return none_; }
    void evaluate(std::size_t index, std::span<const double> x, std::span<double> y) const override {
        y[0] = x[0] + 2 * x[1];
        y[1] = static_cast<double>(index);
        std::lock_guard<std::mutex> lock(mutex_);
        seen_.push_back(index);
    }
    std::vector<std::size_t> seen() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return seen_;
    }

private:
    std::vector<std::string> names_{"y", "index"}, none_;
    mutable std::mutex mutex_;
    mutable std::vector<std::size_t> seen_;
};

Study two_parameter_lhs(std::size_t n) {
    Study st;
    st.method = StudyMethod::lhs;
    st.samples = n;
    st.seed = 4;
    st.parameters = {{"a", "a", sensitivity::Distribution::uniform(0, 1), "", ""},
                     {"b", "b", sensitivity::Distribution::uniform(-1, 1), "", ""}};
    return st;
}

} // namespace

TEST(StudyRun, GFunctionSobolIndicesMatchTheAnalyticValuesThroughTheCommand) {
    const fs::path dir = fresh_dir("gfunction");
    const auto r = study({kStudies + "gfunction.toml", "--out", dir.string(), "--quiet"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto doc = nlohmann::json::parse(slurp(dir / "indices.json"));
    const auto g = sensitivity::sobol_g({0, 1, 4.5, 9});
    for (std::size_t k = 0; k < g.parameters.size(); ++k) {
        EXPECT_NEAR(index_of(doc, "y", g.parameters[k], "S1"), g.s1[k], 0.05) << g.parameters[k];
        EXPECT_NEAR(index_of(doc, "y", g.parameters[k], "ST"), g.st[k], 0.05) << g.parameters[k];
    }
    // The most influential input is first in the console table and has a bootstrap interval.
    for (const auto& o : doc["outputs"]) EXPECT_TRUE(o["parameters"][0].contains("S1_ci"));
    EXPECT_TRUE(fs::exists(dir / "sobol-y.svg"));
    EXPECT_TRUE(fs::exists(dir / "report.html"));
    fs::remove_all(dir);
}

TEST(StudyRun, IshigamiSobolIndicesMatchTheAnalyticValues) {
    Diagnostics notes;
    Study st = load_study(std::string(CAKUPAN_SOURCE_DIR) + "/studies/ishigami.toml");
    st.samples = 512;
    st.bootstrap = 0;
    const auto model = make_study_model(st, notes);
    const auto design = make_design(st);
    const ProcessGroup group;
    const StudyRun run = run_study(st, *design, *model, {}, group);
    ASSERT_TRUE(run.complete);
    const auto rows = study_indices(st, *design, *model, run);
    const auto f = sensitivity::ishigami();
    for (const auto& r : rows) {
        const auto k = static_cast<std::size_t>(std::find(f.parameters.begin(), f.parameters.end(), r.parameter) - f.parameters.begin());
        if (r.index == "S1") {
            EXPECT_NEAR(r.value, f.s1[k], 0.06) << r.parameter;
        } else if (r.index == "ST") {
            EXPECT_NEAR(r.value, f.st[k], 0.06) << r.parameter;
        } else if (r.index == "S2" && r.parameter == "x1*x3") {
            EXPECT_NEAR(r.value, 0.2437, 0.1);
        }
    }
}

TEST(StudyRun, IshigamiLhsPrccRanksTheInputs) {
    const fs::path dir = fresh_dir("ishigami_lhs");
    const auto r = study({kStudies + "ishigami_lhs.toml", "--out", dir.string()});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto doc = nlohmann::json::parse(slurp(dir / "indices.json"));
    // y rises with x1 (sin x1 dominates on average) and does not depend monotonically on x2 or x3.
    EXPECT_GT(index_of(doc, "y", "x1", "prcc"), 0.3);
    EXPECT_LT(std::abs(index_of(doc, "y", "x3", "prcc")), 0.2);
    fs::remove_all(dir);
}

TEST(StudyRun, BytesDoNotDependOnTheThreadCount) {
    const fs::path one = fresh_dir("threads1"), two = fresh_dir("threads2");
    const auto a = study({kStudies + "babel_lhs.toml", "--out", one.string(), "--threads", "1"});
    const auto b = study({kStudies + "babel_lhs.toml", "--out", two.string(), "--threads", "2"});
    ASSERT_EQ(a.exit, 0) << a.err;
    ASSERT_EQ(b.exit, 0) << b.err;
    const auto x = outputs_of(one), y = outputs_of(two);
    for (const char* f : {"indices.csv", "indices.json", "samples.csv", "report.html", "prcc-coverage_end.svg", "prcc-coverage_end.png",
                          "maps/driver-coverage_end.svg", "maps/driver-coverage_end.png"})
        EXPECT_TRUE(x.count(f)) << f;
    EXPECT_EQ(x, y);
    for (const char* f : {"indices.csv", "samples.csv"}) EXPECT_EQ(test::rfc4180_violation(x.at(f)), "") << f;
    fs::remove_all(one), fs::remove_all(two);
}

TEST(StudyRun, StoppedThenResumedGivesTheSameBytesAsAnUninterruptedStudy) {
    const fs::path whole = fresh_dir("whole"), parts = fresh_dir("parts");
    ASSERT_EQ(study({kStudies + "babel_lhs.toml", "--out", whole.string()}).exit, 0);
    const auto stopped = study({kStudies + "babel_lhs.toml", "--out", parts.string(), "--threads", "2"}, "7");
    ASSERT_EQ(stopped.exit, 75) << stopped.err;
    EXPECT_NE(stopped.err.find("stopped after 7 evaluated points"), std::string::npos) << stopped.err;
    EXPECT_FALSE(fs::exists(parts / "indices.csv")); // outputs only once every point is done
    // A second stop continues from the first.
    const auto again = study({kStudies + "babel_lhs.toml", "--out", parts.string(), "--resume"}, "6");
    ASSERT_EQ(again.exit, 75) << again.err;
    EXPECT_NE(again.err.find("13 of 20 done"), std::string::npos) << again.err;
    // Without --resume or --force the directory is refused.
    const auto refused = study({kStudies + "babel_lhs.toml", "--out", parts.string()});
    EXPECT_EQ(refused.exit, 5);
    EXPECT_NE(refused.err.find("use --resume"), std::string::npos) << refused.err;
    const auto resumed = study({kStudies + "babel_lhs.toml", "--out", parts.string(), "--resume"});
    ASSERT_EQ(resumed.exit, 0) << resumed.err;
    EXPECT_NE(resumed.out.find("(7 evaluated, 13 from the checkpoint)"), std::string::npos) << resumed.out;
    EXPECT_EQ(outputs_of(whole), outputs_of(parts));
    fs::remove_all(whole), fs::remove_all(parts);
}

TEST(StudyRun, KilledStudyResumesToTheSameBytes) {
    // A real SIGKILL while points are being evaluated and the checkpoint written.
    const fs::path whole = fresh_dir("kill_whole"), killed = fresh_dir("killed");
    const std::string file = kStudies + "babel_lhs.toml";
    ASSERT_EQ(study({file, "--out", whole.string()}).exit, 0);
    fs::create_directories(killed);
    std::vector<std::string> args = {CAKUPAN_CLI, "sensitivity", file, "--out", killed.string(), "--resume", "--threads", "1", "--quiet"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    posix_spawn_file_actions_t quiet; // its warnings are not this test's output
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
    const int spawned = ::posix_spawn(&pid, argv[0], &quiet, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    ASSERT_EQ(spawned, 0);
    // Kill once the checkpoint holds its header and at least one batch.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool killed_midway = false;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            pid = 0;
            break;
        }
        const std::string cp = slurp(killed / ".checkpoint");
        if (std::count(cp.begin(), cp.end(), '\n') >= 2) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            killed_midway = !fs::exists(killed / "indices.csv");
            pid = 0;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (pid != 0) ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0);
    const auto resumed = study({file, "--out", killed.string(), "--resume"});
    ASSERT_EQ(resumed.exit, 0) << resumed.err;
    if (killed_midway) {
        EXPECT_NE(resumed.out.find("from the checkpoint"), std::string::npos);
    }
    EXPECT_EQ(outputs_of(whole), outputs_of(killed));
    fs::remove_all(whole), fs::remove_all(killed);
}

TEST(StudyRun, ResumeRedoesNoFinishedPointAndLosesNone) {
    const fs::path dir = fresh_dir("count");
    fs::create_directories(dir);
    const Study st = two_parameter_lhs(50);
    const auto design = make_design(st);
    const ProcessGroup group;
    StudyRunOptions o;
    o.checkpoint = (dir / ".checkpoint").string();
    o.identity = "abc";
    o.threads = 2;
    o.batch = 4;
    o.stop_after = 18;
    CountingModel first;
    const StudyRun a = run_study(st, *design, first, o, group);
    EXPECT_FALSE(a.complete);
    EXPECT_EQ(a.evaluated, 18u);
    EXPECT_EQ(first.seen().size(), 18u);

    o.resume = true;
    o.stop_after = 0;
    CountingModel second;
    const StudyRun b = run_study(st, *design, second, o, group);
    ASSERT_TRUE(b.complete);
    EXPECT_EQ(b.resumed, 18u);
    EXPECT_EQ(second.seen().size(), 32u);
    const auto before = first.seen(), after = second.seen(); // copies: seen() returns by value
    std::set<std::size_t> all(before.begin(), before.end());
    for (auto i : after) EXPECT_TRUE(all.insert(i).second) << "point " << i << " evaluated twice";
    EXPECT_EQ(all.size(), 50u);
    for (Eigen::Index i = 0; i < 50; ++i) {
        EXPECT_EQ(b.y(i, 1), static_cast<double>(i));
        EXPECT_EQ(b.y(i, 0), b.x(i, 0) + 2 * b.x(i, 1));
    }
    fs::remove_all(dir);
}

TEST(StudyCheckpoint, TornLastRecordIsDroppedAndOtherStudiesAreRefused) {
    const fs::path dir = fresh_dir("torn");
    fs::create_directories(dir);
    const std::string path = (dir / ".checkpoint").string();
    {
        CheckpointWriter w(path, "id1", 10, 2);
        const double a[2] = {0.1, -3.5}, b[2] = {1e300, 0.0};
        w.append(3, a);
        w.append(7, b);
        w.sync();
    }
    std::string whole = slurp(path);
    { // a kill in the middle of the next record
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << checkpoint_record(5, std::vector<double>{1, 2}).substr(0, 20);
    }
    const auto c = read_checkpoint(path, "id1", 10, 2);
    EXPECT_TRUE(c.torn);
    EXPECT_EQ(c.count, 2u);
    EXPECT_EQ(c.valid_bytes, whole.size());
    EXPECT_TRUE(c.done[3] && c.done[7] && !c.done[5]);
    EXPECT_EQ(c.y(3, 1), -3.5); // exact bits
    EXPECT_EQ(c.y(7, 0), 1e300);
    { // appending after the torn record first cuts it away
        CheckpointWriter w(path, "id1", 10, 2, c.valid_bytes);
        w.append(5, std::vector<double>{1, 2});
        w.sync();
    }
    const auto d = read_checkpoint(path, "id1", 10, 2);
    EXPECT_FALSE(d.torn);
    EXPECT_EQ(d.count, 3u);
    EXPECT_EQ(d.y(5, 1), 2.0);

    try {
        read_checkpoint(path, "id2", 10, 2);
        FAIL() << "a checkpoint of another study was accepted";
    } catch (const OutputError& e) {
        EXPECT_NE(std::string(e.what()).find("belongs to another study"), std::string::npos) << e.what();
    }
    EXPECT_THROW(read_checkpoint(path, "id1", 11, 2), OutputError); // another design size
    { // damage in the middle is not a torn write
        std::string text = slurp(path);
        text[text.find('\n') + 3] ^= 1;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    }
    EXPECT_THROW(read_checkpoint(path, "id1", 10, 2), OutputError);
    fs::remove_all(dir);
}

TEST(StudyRun, BabelTornadoEffectsHaveTheExpectedSigns) {
    const fs::path dir = fresh_dir("babel_tornado");
    const auto r = study({kStudies + "babel_tornado.toml", "--out", dir.string()});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto doc = nlohmann::json::parse(slurp(dir / "indices.json"));
    auto effect = [&](const std::string& o, const std::string& p) { return index_of(doc, o, p, "high") - index_of(doc, o, p, "low"); };
    EXPECT_LT(effect("coverage_end", "lapse.informal"), 0);   // more lapse, less coverage
    EXPECT_GT(effect("coverage_end", "replacement.informal"), 0); // more replacement, more coverage
    EXPECT_GT(effect("coverage_end", "intervention.apbd.budget"), 0); // a bigger subsidy covers more
    // Every vulnerable worker the subsidy buys from July is one fewer for the village programme
    // from August, which pays 12 months a member instead of 6: the combined variant spends less.
    EXPECT_LT(effect("spend", "intervention.apbd.budget"), 0);
    // Every region is covered by the province-wide subsidy, so none loses from it; where the village
    // programme fills the vulnerable workers' room below saturation anyway, it gains nothing.
    for (const char* code : {"19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"})
        EXPECT_GT(effect(std::string("coverage_end:") + code, "intervention.apbd.budget"), -1e-5) << code;
    EXPECT_TRUE(fs::exists(dir / "tornado-coverage_end.svg"));
    fs::remove_all(dir);
}
