// Figures of one HTML document share what they repeat: Cairo gives every SVG its own copy of the
// glyphs it uses, and maps of one run repeat their label halos, outlines and tooltip shapes, so a
// report of 20 maps held 20 copies of each. An SVG <use> may point into another <svg> of the same document.
#include "report_texts.hpp"

namespace cakupan::report_detail {

namespace {

// The id of `<symbol ... id="X">` starting at `at` ("" if none in its tag).
std::string tag_id(const std::string& s, std::size_t at) {
    const auto close = s.find('>', at);
    const auto id = s.find(" id=\"", at);
    if (id == std::string::npos || id > close) return {};
    const auto end = s.find('"', id + 5);
    return s.substr(id + 5, end - id - 5);
}

} // namespace

std::string SvgSharer::share(std::string svg) {
    // Glyphs: a symbol whose content an earlier figure already defines is dropped, and its uses
    // point to the earlier one.
    std::unordered_map<std::string, std::string> renamed;
    std::string out;
    out.reserve(svg.size());
    std::size_t i = 0;
    for (;;) {
        const auto at = svg.find("<symbol", i);
        if (at == std::string::npos) break;
        const auto body = svg.find('>', at) + 1;
        const auto end = svg.find("</symbol>", body);
        if (end == std::string::npos) break;
        out.append(svg, i, at - i);
        const std::string id = tag_id(svg, at), content = svg.substr(body, end - body);
        i = end + 9;
        if (const auto it = symbols_.find(content); it != symbols_.end() && !id.empty()) {
            renamed.emplace(id, it->second);
            while (i < svg.size() && svg[i] == '\n') ++i;
            continue;
        }
        if (!id.empty()) symbols_.emplace(content, id);
        out.append(svg, at, i - at);
    }
    out.append(svg, i, std::string::npos);
    svg.swap(out);
    out.clear();

    // References to dropped glyphs, and big self-closed paths seen before, in one pass.
    i = 0;
    for (;;) {
        const auto href = svg.find("href=\"#", i), path = svg.find("<path ", i);
        if (href == std::string::npos && path == std::string::npos) break;
        if (href < path) {
            const auto end = svg.find('"', href + 7);
            const std::string id = svg.substr(href + 7, end - href - 7);
            const auto it = renamed.find(id);
            out.append(svg, i, href + 7 - i);
            out += it == renamed.end() ? id : it->second;
            i = end;
            continue;
        }
        const auto close = svg.find('>', path);
        out.append(svg, i, path - i);
        i = close + 1;
        const std::string element = svg.substr(path, i - path);
        if (element.size() < kMinShared || element.find(" id=\"") != std::string::npos) {
            out += element;
            continue;
        }
        // A path with content (a tooltip's <title>) becomes a <use> with the same content.
        const bool closed = element.compare(element.size() - 2, 2, "/>") == 0;
        const auto end_tag = closed ? std::string::npos : svg.find("</path>", i);
        if (!closed && end_tag == std::string::npos) {
            out += element;
            continue;
        }
        if (closed && paths_.find(element) == paths_.end()) {
            // The same outline in another colour (the gap and change maps of one run): the
            // geometry once, in <defs>, and each drawing a <use> carrying the path's other attributes.
            const auto d = element.find(" d=\"");
            const auto d_end = d == std::string::npos ? d : element.find('"', d + 4);
            if (d_end != std::string::npos && d_end - d >= kMinShared) {
                const std::string geometry = element.substr(d, d_end + 1 - d);
                const std::string rest = element.substr(5, d - 5) + element.substr(d_end + 1, element.size() - 2 - (d_end + 1));
                auto [g, fresh] = geometries_.try_emplace(geometry, "g-" + std::to_string(geometries_.size() + 1));
                if (fresh) out += "<defs><path id=\"" + g->second + "\"" + geometry + "/></defs>";
                const std::string id = "s-" + std::to_string(paths_.size() + 1);
                paths_.emplace(element, id);
                out += "<use id=\"" + id + "\" href=\"#" + g->second + "\"" + rest + "/>";
                continue;
            }
        }
        if (const auto it = paths_.find(element); it != paths_.end()) {
            out += "<use href=\"#" + it->second + (closed ? "\"/>" : "\">");
            if (!closed) {
                out.append(svg, i, end_tag - i);
                out += "</use>";
                i = end_tag + 7;
            }
        } else {
            const std::string id = "s-" + std::to_string(paths_.size() + 1);
            paths_.emplace(element, id);
            out += "<path id=\"" + id + "\"" + element.substr(5);
        }
    }
    out.append(svg, i, std::string::npos);
    return out;
}

} // namespace cakupan::report_detail
