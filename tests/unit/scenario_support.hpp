// Helpers for the scenario, engine and run-output tests: fixture paths, a loaded scenario that
// owns everything an Engine refers to, temporary directories and running the cakupan binary.
#pragma once

#include "cakupan/engine/engine.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"
#include "test_support.hpp"
#include "../support/process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>


namespace cakupan::test {

namespace fs = std::filesystem;

inline std::string scenario_file(const std::string& name) { return data("scenarios/" + name); }
inline std::string source(const std::string& rel) { return std::string(CAKUPAN_SOURCE_DIR) + "/" + rel; }

// A scenario with its inputs and an engine over them. The Engine keeps references into `in`, so
// this lives on the heap and is never moved.
struct Loaded {
    Diagnostics notes;
    LoadedScenario in;
    std::unique_ptr<Engine> engine;

    std::size_t variant(const std::string& name) const {
        for (std::size_t i = 0; i < in.scenario.variants.size(); ++i)
            if (in.scenario.variants[i].name == name) return i;
        throw std::runtime_error("no variant " + name + " in " + in.scenario.path);
    }
    std::size_t region(const std::string& code) const {
        if (const auto r = in.regions.find(code)) return *r;
        throw std::runtime_error("no region " + code);
    }
    const Model& model() const { return in.scenario.variants.front().model; }
    Eigen::Index segment(const std::string& id) const { return static_cast<Eigen::Index>(model().segment_index(id)); }
};

inline std::unique_ptr<Loaded> load(const std::string& path) {
    auto l = std::make_unique<Loaded>();
    l->in = load_scenario_inputs(path, l->notes);
    l->engine = std::make_unique<Engine>(l->in.scenario, l->in.regions, std::make_shared<const EngineData>(make_engine_data(l->in)));
    return l;
}

// `vary`: draw the uncertain parameters from their ranges in every stochastic draw (the default of
// `cakupan run`); off, the draws carry binomial noise only, as Engine::trace does by default.
inline RunResult run(const Loaded& l, Mode mode, int draws, int threads = 1, std::uint64_t seed = 0, bool vary = false) {
    RunOptions o;
    o.mode = mode;
    o.draws = draws;
    o.threads = threads;
    o.vary_parameters = vary;
    o.seed = seed != 0 ? seed : l.in.scenario.seed;
    return l.engine->run(o);
}

// A fresh directory under the system temporary directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "cakupan-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

    std::vector<std::string> listing() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    fs::path path_;
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void spit(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

// Restores the working directory when it goes out of scope.
class CwdGuard {
public:
    explicit CwdGuard(const fs::path& to) : old_(fs::current_path()) { fs::current_path(to); }
    ~CwdGuard() {
        std::error_code ec;
        fs::current_path(old_, ec);
    }
    CwdGuard(const CwdGuard&) = delete;
    CwdGuard& operator=(const CwdGuard&) = delete;

private:
    fs::path old_;
};

} // namespace cakupan::test
