// Helpers for the map tests: fixtures, SVG region paths by fill colour, PNG pixels.
#pragma once

#include "cakupan/render/palette.hpp"
#include "cakupan/render/map_layer.hpp"

#include <cairo.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

namespace cakupan::test::maps {

inline std::string fixture(const std::string& name) { return std::string(CAKUPAN_TEST_DATA_DIR) + "/maps/" + name; }

inline render::MapLayer grid(const std::string& field = "share") {
    render::MapLayerRequest r;
    r.path = fixture("grid.geojson");
    r.fields = {field};
    return render::read_map_layer(r);
}

using Rgb8 = std::tuple<int, int, int>;

inline Rgb8 to8(const Rgb& c) {
    auto q = [](double v) { return static_cast<int>(std::lround(v * 255)); };
    return {q(c.r), q(c.g), q(c.b)};
}

// Region paths of a Cairo SVG: <path> elements both filled and stroked (legend swatches are
// filled only, halos and outlines stroked only), counted by fill colour.
inline std::map<Rgb8, int> region_paths_by_fill(const std::string& svg) {
    static const std::regex path(R"re(<path style="([^"]*)")re");
    static const std::regex fill(R"re(fill:rgb\(([0-9.]+)%,([0-9.]+)%,([0-9.]+)%\))re");
    std::map<Rgb8, int> out;
    const auto body = svg.find("</defs>");
    const std::string s = body == std::string::npos ? svg : svg.substr(body);
    for (std::sregex_iterator it(s.begin(), s.end(), path), end; it != end; ++it) {
        const std::string style = (*it)[1].str();
        std::smatch m;
        if (style.find("stroke:none") != std::string::npos || style.find("stroke:rgb") == std::string::npos) continue;
        if (!std::regex_search(style, m, fill)) continue;
        auto q = [](const std::string& pct) { return static_cast<int>(std::lround(std::stod(pct) * 2.55)); };
        ++out[{q(m[1].str()), q(m[2].str()), q(m[3].str())}];
    }
    return out;
}

struct Image {
    int width = 0, height = 0;
    std::vector<Rgb8> pixels; // row by row
    Rgb8 at(double x, double y) const {
        return pixels[static_cast<std::size_t>(static_cast<int>(y) * width + static_cast<int>(x))];
    }
};

inline cairo_status_t read_png_bytes(void* closure, unsigned char* data, unsigned int length) {
    auto* s = static_cast<std::string*>(closure);
    if (s->size() < length) return CAIRO_STATUS_READ_ERROR;
    s->copy(reinterpret_cast<char*>(data), length);
    s->erase(0, length);
    return CAIRO_STATUS_SUCCESS;
}

inline Image decode_png(std::string bytes) {
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_png_bytes, &bytes);
    Image img;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        img.width = cairo_image_surface_get_width(s);
        img.height = cairo_image_surface_get_height(s);
        const int stride = cairo_image_surface_get_stride(s);
        const unsigned char* d = cairo_image_surface_get_data(s);
        for (int y = 0; y < img.height; ++y)
            for (int x = 0; x < img.width; ++x) {
                std::uint32_t p;
                std::memcpy(&p, d + y * stride + 4 * x, 4);
                img.pixels.emplace_back((p >> 16) & 255, (p >> 8) & 255, p & 255);
            }
    }
    cairo_surface_destroy(s);
    return img;
}

inline bool near(const Rgb8& a, const Rgb8& b, int tol = 1) {
    return std::abs(std::get<0>(a) - std::get<0>(b)) <= tol && std::abs(std::get<1>(a) - std::get<1>(b)) <= tol &&
           std::abs(std::get<2>(a) - std::get<2>(b)) <= tol;
}

} // namespace cakupan::test::maps
