#pragma once

namespace cakupan {

inline constexpr const char* kVersion = "0.1.0";

} // namespace cakupan
