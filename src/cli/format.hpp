// Number formatting for console output (locale-independent).
#pragma once

#include <string>

namespace cakupan::cli {

std::string format_fixed(double v, int decimals); // 1234.5 -> "1234.5"
std::string format_count(double v);               // 528873 -> "528,873"
std::string format_percent(double share);         // 0.27240 -> "27.24%"

} // namespace cakupan::cli
