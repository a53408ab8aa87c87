#include "cakupan/io/utf8.hpp"

#include <cpl_error.h>
#include <cpl_string.h>

#include <cstdio>

namespace cakupan {

namespace {

// Length of the well-formed UTF-8 sequence at the front of `s`, 0 when it is not one.
std::size_t sequence_length(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;      // overlong
        else if (c == 0xED) hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;      // overlong
        else if (c == 0xF4) hi = 0x8F; // above U+10FFFF
    } else return 0;
    if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if (b(i) < 0x80 || b(i) > 0xBF) return 0;
    return n;
}

} // namespace

bool is_utf8(std::string_view text) {
    while (!text.empty()) {
        const std::size_t n = sequence_length(text);
        if (n == 0) return false;
        text.remove_prefix(n);
    }
    return true;
}

std::string printable(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        std::size_t n = sequence_length(text);
        if (n > 0 && static_cast<unsigned char>(text[0]) >= 0x20 && text[0] != 0x7F) {
            out.append(text.substr(0, n));
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(text[0]));
            out += buf;
            n = 1;
        }
        text.remove_prefix(n);
    }
    return out;
}

bool encoding_known(const std::string& name) {
    // CPLRecode warns and copies the text when iconv does not know the encoding.
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    char* out = CPLRecode("a", name.c_str(), CPL_ENC_UTF8);
    CPLPopErrorHandler();
    CPLFree(out);
    return !name.empty() && CPLGetLastErrorType() == CE_None;
}

} // namespace cakupan
