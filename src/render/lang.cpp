#include "cakupan/render/lang.hpp"

#include "cakupan/common/error.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace cakupan::render {

Lang parse_lang(std::string_view s) {
    if (s == "id") return Lang::id;
    if (s == "en") return Lang::en;
    throw UsageError("--lang: '" + std::string(s) + "' is not a language (expected id or en)");
}

const char* to_string(Lang lang) { return lang == Lang::en ? "en" : "id"; }

std::string format_number(Lang lang, double v, int decimals) {
    if (std::isnan(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(v));
    std::string digits(buf);
    std::string frac;
    if (const auto dot = digits.find('.'); dot != std::string::npos) {
        frac = digits.substr(dot + 1);
        digits.resize(dot);
    }
    const char group = lang == Lang::en ? ',' : '.';
    const char point = lang == Lang::en ? '.' : ',';
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += group;
        out += digits[i];
    }
    if (!frac.empty()) (out += point) += frac;
    // "-0" is not a number anyone writes.
    const bool zero = out.find_first_not_of("0.,") == std::string::npos;
    return (v < 0 && !zero ? "-" : "") + out;
}

std::string format_percent(Lang lang, double share, int decimals) {
    if (std::isnan(share)) return "-";
    return format_number(lang, share * 100.0, decimals) + "%";
}

std::string format_rupiah(Lang lang, double rupiah) { return "Rp" + format_number(lang, rupiah, 0); }

std::string format_date(Lang lang, std::string_view iso) {
    static constexpr std::array<const char*, 12> en = {"January", "February", "March",     "April",   "May",      "June",
                                                       "July",    "August",   "September", "October", "November", "December"};
    static constexpr std::array<const char*, 12> id = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                                       "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
    int y = 0, m = 0, d = 0;
    if (iso.size() != 10 || std::sscanf(std::string(iso).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return std::string(iso);
    return std::to_string(d) + " " + (lang == Lang::en ? en : id)[m - 1] + " " + std::to_string(y);
}

} // namespace cakupan::render
