// Putting text and Cairo SVGs into one HTML document safely.
#include "cakupan/report/report.hpp"
#include "report_texts.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace cakupan {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {

// Path data and positions with two decimals: 1/100 pt (3.5 micrometres) is far below what paper or screen
// shows, and Cairo's six decimals make a report of many maps twice as heavy to e-mail.
std::string shorten_path_numbers(const std::string& svg) {
    std::string out;
    out.reserve(svg.size());
    std::size_t i = 0;
    while (i < svg.size()) {
        // Path data, and the x/y of glyph uses and of text.
        std::size_t at = i;
        for (;;) {
            at = svg.find("=\"", at);
            if (at == std::string::npos || (at >= 2 && svg[at - 2] == ' ' && (svg[at - 1] == 'd' || svg[at - 1] == 'x' || svg[at - 1] == 'y'))) break;
            at += 2;
        }
        if (at == std::string::npos) {
            out.append(svg, i, std::string::npos);
            break;
        }
        const std::size_t start = at + 2;
        out.append(svg, i, start - i);
        const auto end = svg.find('"', start);
        if (end == std::string::npos) {
            out.append(svg, start, std::string::npos);
            break;
        }
        for (std::size_t k = start; k < end;) {
            const char c = svg[k];
            if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
                std::size_t e = k;
                while (e < end && (std::isdigit(static_cast<unsigned char>(svg[e])) || svg[e] == '-' || svg[e] == '.')) ++e;
                const std::string token = svg.substr(k, e - k);
                const auto dot = token.find('.');
                const bool position = svg[at - 1] != 'd'; // x, y: a tenth of a point places a glyph
                if (dot != std::string::npos && token.size() - dot > (position ? 2u : 3u)) {
                    char buf[48];
                    std::snprintf(buf, sizeof buf, position ? "%.1f" : "%.2f", std::strtod(token.c_str(), nullptr));
                    std::string n = buf;
                    while (n.back() == '0') n.pop_back();
                    if (n.back() == '.') n.pop_back();
                    if (n == "-0") n = "0";
                    out += n;
                } else {
                    out += token;
                }
                k = e;
            } else {
                out += c;
                ++k;
            }
        }
        i = end;
    }
    return out;
}

} // namespace

std::string inline_svg(std::string_view svg_in, std::string_view prefix) {
    std::string svg(svg_in);
    // The prolog is only allowed at the start of an XML file, not in the middle of HTML.
    if (svg.rfind("<?xml", 0) == 0) {
        const auto end = svg.find("?>");
        svg.erase(0, end == std::string::npos ? svg.size() : end + 2);
        while (!svg.empty() && (svg.front() == '\n' || svg.front() == '\r')) svg.erase(0, 1);
    }
    // Cairo names glyphs, clips, masks and surfaces the same way in every file ("glyph0-1"):
    // inlined side by side, a later figure would draw with an earlier one's glyphs. One pass
    // (maps run to megabytes) over the three ways a name is given or used.
    const std::string p(prefix);
    std::string out;
    out.reserve(svg.size() + svg.size() / 16);
    for (std::size_t i = 0; i < svg.size();) {
        std::size_t skip = 0;
        if (svg.compare(i, 4, "id=\"") == 0 && i > 0 && (svg[i - 1] == ' ' || svg[i - 1] == '\n' || svg[i - 1] == '\t'))
            skip = 4;
        else if (svg.compare(i, 7, "href=\"#") == 0)
            skip = 7;
        else if (svg.compare(i, 5, "url(#") == 0)
            skip = 5;
        if (skip) {
            // "xlink:href" -> "href" (SVG 2, every browser) and "glyph0-1" -> "g0-1": a map
            // repeats them in hundreds of glyph uses.
            if (skip == 7 && out.size() >= 6 && out.compare(out.size() - 6, 6, "xlink:") == 0) out.resize(out.size() - 6);
            out.append(svg, i, skip);
            out += p;
            i += skip;
            if (svg.compare(i, 5, "glyph") == 0) out += 'g', i += 5;
        } else {
            out += svg[i++];
        }
    }
    svg = shorten_path_numbers(out);
    // Scale with the page: the viewBox keeps the aspect ratio.
    if (const auto tag = svg.find("<svg"); tag != std::string::npos) {
        auto drop = [&](const std::string& attr, const std::string& with) {
            const auto close = svg.find('>', tag);
            const auto at = svg.find(" " + attr + "=\"", tag);
            if (at == std::string::npos || at > close) return;
            const auto end = svg.find('"', at + attr.size() + 3);
            svg.replace(at, end + 1 - at, with);
        };
        drop("height", "");
        drop("width", " width=\"100%\"");
        // HTML gives inline <svg> its namespaces; without the URIs nothing in the file even
        // looks like an address.
        drop("xmlns:xlink", "");
        drop("xmlns", "");
    }
    return svg;
}

} // namespace cakupan

namespace cakupan::report_detail {

std::string base64(std::string_view bytes) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16 |
                       static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 | static_cast<unsigned char>(bytes[i + 2]);
        out += digits[v >> 18 & 63], out += digits[v >> 12 & 63], out += digits[v >> 6 & 63], out += digits[v & 63];
    }
    if (i < bytes.size()) {
        const bool two = i + 1 < bytes.size();
        const auto v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16 |
                       (two ? static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 : 0u);
        out += digits[v >> 18 & 63], out += digits[v >> 12 & 63];
        out += two ? digits[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

} // namespace cakupan::report_detail
