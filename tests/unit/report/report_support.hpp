// What the report tests share: one small run (7 regions, 2 variants) with maps and report, written
// by the CLI once per test process, and regex captures from its HTML.
#pragma once

#include "scenario_support.hpp"

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace cakupan::test {

struct SmallRunDir {
    TempDir tmp;
    std::string dir = tmp / "run";
    SmallRunDir() {
        const auto r = run_process({CAKUPAN_CLI, "run", data("scenarios/small.toml"), "--out", dir, "--draws", "20", "--quiet",
                                    "--figure-format", "svg"});
        if (r.exit != 0) throw std::runtime_error("cakupan run failed: " + r.err);
    }
};

inline const SmallRunDir& small_run() {
    static const SmallRunDir r;
    return r;
}

// The first capture group of every match of `pattern` in `text`.
inline std::vector<std::string> matches(const std::string& text, const std::string& pattern) {
    const std::regex re(pattern);
    std::vector<std::string> out;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back((*it)[1].str());
    return out;
}

} // namespace cakupan::test
