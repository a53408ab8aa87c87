// Writing a whole output directory (a calibration, a plan) so that a reader never sees half of it:
// the files go into a temporary directory beside the target, which then takes the target's place.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace cakupan {

// Calls `fill` with a fresh temporary directory beside `dir`, then moves it into place; an earlier
// `dir` (already checked by check_output_directory) is moved aside first and removed once the new
// one is there. On any error the temporary is removed and an earlier `dir` is left as it was.
void write_directory_atomically(const std::string& dir, const std::function<void(const std::filesystem::path&)>& fill);

} // namespace cakupan
