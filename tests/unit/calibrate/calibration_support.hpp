// Shared by the calibration tests: the process group they run in, and the one-line error a
// calibration file gives.
#pragma once

#include "cakupan/calibrate/calibration.hpp"
#include "cakupan/common/error.hpp"
#include "scenario_support.hpp"

#include <string>

namespace cakupan::test {

// One process (the tests run without mpirun; tests/CMakeLists.txt runs the command under it).
inline const ProcessGroup& calibration_group() {
    static const ProcessGroup g;
    return g;
}

// The error of calibrating `dir`/`file` into `dir`/out ("no error" when it runs), with the
// directory taken out of it so the message reads as the user's would.
inline std::string calibration_error(const TempDir& dir, const std::string& file) {
    CalibrationConfig c;
    c.calibration = dir / file;
    c.out = dir / "out";
    std::string what = "no error";
    try {
        run_calibration(c, calibration_group());
    } catch (const Error& e) {
        what = e.what();
    }
    const std::string prefix = dir.path().string() + "/";
    for (auto p = what.find(prefix); p != std::string::npos; p = what.find(prefix)) what.erase(p, prefix.size());
    return what;
}

} // namespace cakupan::test
