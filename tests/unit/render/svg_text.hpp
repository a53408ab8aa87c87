// Where the text of a Cairo SVG really is: Cairo writes each glyph outline once as a <symbol>
// in <defs> (in page units, relative to the glyph origin, already rotated with the text) and
// each shown string as one <g style="fill:..."> of <use xlink:href="#glyphF-G" x= y=/>. The box
// of a string is the union of its glyphs' outline boxes (control points included, so a little
// generous) widened to the pen's start, which checks the drawn output itself: clipped text leaves the page box, labels
// run together or stacked overlap.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace cakupan::render::svg_text {

struct Box {
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    bool empty() const { return x1 < x0; }
    void add(double x, double y) {
        x0 = std::min(x0, x), x1 = std::max(x1, x);
        y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
};

struct Text {
    Box box;
    int glyphs = 0;
    double origin_x = 0, origin_y = 0; // where the pen started
    std::string fill; // the group's style
};

struct Page {
    double width = 0, height = 0; // the viewBox, points
    std::vector<Text> texts;      // one per shown string with ink
};

inline Page read(const std::string& svg) {
    Page page;
    static const std::regex view(R"~(viewBox="0 0 ([0-9.]+) ([0-9.]+)")~");
    std::smatch m;
    if (std::regex_search(svg, m, view)) page.width = std::stod(m[1].str()), page.height = std::stod(m[2].str());
    // Glyph outlines.
    std::map<std::string, Box> glyph;
    static const std::regex symbol(R"~(<symbol overflow="visible" id="([^"]+)">\s*<path [^>]*d="([^"]*)")~");
    for (std::sregex_iterator it(svg.begin(), svg.end(), symbol), end; it != end; ++it) {
        Box b;
        std::istringstream d((*it)[2].str());
        std::string tok;
        std::vector<double> nums;
        while (d >> tok)
            if (tok != "M" && tok != "L" && tok != "C" && tok != "Z") nums.push_back(std::stod(tok));
        for (std::size_t i = 0; i + 1 < nums.size(); i += 2) b.add(nums[i], nums[i + 1]);
        glyph[(*it)[1].str()] = b;
    }
    // Strings: each <g style=...> holding <use> elements.
    static const std::regex group(R"~(<g style="([^"]*)">((\s*<use [^>]*/>)+)\s*</g>)~");
    static const std::regex use(R"~(<use xlink:href="#([^"]+)" x="([-0-9.e]+)" y="([-0-9.e]+)"/>)~");
    const auto body_at = svg.find("</defs>");
    const std::string body = body_at == std::string::npos ? svg : svg.substr(body_at);
    for (std::sregex_iterator it(body.begin(), body.end(), group), end; it != end; ++it) {
        Text t;
        t.fill = (*it)[1].str();
        const std::string uses = (*it)[2].str();
        bool first = true;
        for (std::sregex_iterator u(uses.begin(), uses.end(), use); u != end; ++u) {
            const double x = std::stod((*u)[2].str()), y = std::stod((*u)[3].str());
            // From the pen's start, not the first glyph's ink: strings written one right after
            // the other ("80,000100,000") then touch.
            if (first) t.origin_x = x, t.origin_y = y, first = false;
            const auto g = glyph.find((*u)[1].str());
            if (g == glyph.end() || g->second.empty()) continue; // a space
            t.box.add(x + g->second.x0, y + g->second.y0);
            t.box.add(x + g->second.x1, y + g->second.y1);
            ++t.glyphs;
        }
        if (t.glyphs > 0) {
            t.box.add(t.origin_x, t.box.y0), t.box.add(t.origin_x, t.box.y1); // widened to the pen's start
            page.texts.push_back(t);
        }
    }
    return page;
}

// Whether two boxes come closer than `gap` points (a positive gap also catches strings that
// touch, such as tick labels written one after the other).
inline bool near(const Box& a, const Box& b, double gap) {
    return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
}

// Problems, one line each: text leaving the page, or two strings closer than `gap` points (1.5,
// half a space at 7 pt: less reads as one word).
inline std::vector<std::string> problems(const Page& page, double gap = 1.5) {
    std::vector<std::string> out;
    auto where = [](const Box& b) {
        std::ostringstream s;
        s << "[" << b.x0 << "," << b.y0 << " - " << b.x1 << "," << b.y1 << "]";
        return s.str();
    };
    for (std::size_t i = 0; i < page.texts.size(); ++i) {
        const Box& b = page.texts[i].box;
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > page.width || b.y1 > page.height)
            out.push_back("text " + std::to_string(i) + " " + where(b) + " leaves the page");
        for (std::size_t j = i + 1; j < page.texts.size(); ++j)
            if (near(b, page.texts[j].box, gap))
                out.push_back("texts " + std::to_string(i) + " " + where(b) + " and " + std::to_string(j) + " " +
                              where(page.texts[j].box) + " overlap");
    }
    return out;
}

} // namespace cakupan::render::svg_text
