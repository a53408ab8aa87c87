// The language of every fixed text on maps, charts and reports, and numbers written the way
// that language writes them: Bahasa Indonesia uses a decimal comma and a thousands dot
// (27,24%; Rp2.016.000.000), English the reverse (27.24%; Rp2,016,000,000).
#pragma once

#include <string>
#include <string_view>

namespace cakupan::render {

enum class Lang { id, en };

// "id" or "en"; UsageError otherwise.
Lang parse_lang(std::string_view s);
const char* to_string(Lang lang);

// Picks the text for the language; every fixed text is written as tr(lang, "English", "Indonesia").
inline const char* tr(Lang lang, const char* en, const char* id) { return lang == Lang::en ? en : id; }

std::string format_number(Lang lang, double v, int decimals);    // 1234.5,1 -> "1,234.5" / "1.234,5"
std::string format_percent(Lang lang, double share, int decimals = 2); // 0.2724 -> "27.24%" / "27,24%"
std::string format_rupiah(Lang lang, double rupiah);            // "Rp2,016,000,000" / "Rp2.016.000.000"
std::string format_date(Lang lang, std::string_view iso_date);  // "2025-12-31" -> "31 December 2025" / "31 Desember 2025"

} // namespace cakupan::render
