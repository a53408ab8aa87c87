#include "format.hpp"

#include <cmath>
#include <cstdio>

namespace cakupan::cli {

std::string format_fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string format_count(double v) {
    std::string digits = format_fixed(std::abs(std::round(v)), 0);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (v < 0 ? "-" : "") + out;
}

std::string format_percent(double share) { return format_fixed(100.0 * share, 2) + "%"; }

} // namespace cakupan::cli
