// Maps drawn and read back: SVG paths per region and class, PNG pixels per class, holes.
#include "cakupan/render/map.hpp"
#include "map_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

using namespace cakupan;
using namespace cakupan::render;
using namespace cakupan::test::maps;

namespace {

MapSpec grid_spec(const MapLayer& layer, std::vector<double> breaks) {
    MapSpec spec;
    spec.names = layer.names;
    spec.title = "share";
    spec.legend_title = "share";
    spec.source = "grid.geojson";
    spec.style.format = ValueFormat::percent;
    spec.style.scheme = Scheme::manual;
    spec.style.breaks = std::move(breaks);
    spec.panels.push_back({"", layer.values[0]});
    return spec;
}

PageSize small_page() { return {600, 600, 144}; }

// Regions without data fill with the hatch pattern (fill:url(#patternN)), one stroked path each.
int hatched_region_paths(const std::string& svg) {
    static const std::regex path(R"re(<path style="[^"]*fill:url\(#pattern[0-9]+\)[^"]*stroke:rgb)re");
    const auto body = svg.find("</defs>");
    const std::string s = body == std::string::npos ? svg : svg.substr(body);
    return static_cast<int>(std::distance(std::sregex_iterator(s.begin(), s.end(), path), std::sregex_iterator()));
}

// A pixel of the hatch: the no-data grey darkened by a common factor (its darker diagonals and
// their anti-aliased edges) or the grey itself.
bool hatch_pixel(const Rgb8& p, double* factor = nullptr) {
    const Rgb8 g = to8(no_data_colour());
    const double f[3] = {std::get<0>(p) / double(std::get<0>(g)), std::get<1>(p) / double(std::get<1>(g)),
                         std::get<2>(p) / double(std::get<2>(g))};
    if (factor != nullptr) *factor = f[0];
    return f[0] > 0.58 && f[0] < 1.01 && std::fabs(f[1] - f[0]) < 0.015 && std::fabs(f[2] - f[0]) < 0.015;
}

} // namespace

TEST(MapRender, SvgHasOnePathPerRegionWithItsClassColour) {
    const MapLayer layer = grid();
    const MapSpec spec = grid_spec(layer, {0.25, 0.45});
    const PlanarShapes planar = project(layer.shapes, "");
    const MapLayout layout = layout_map(spec, planar, small_page(), Lang::id);
    const std::string svg = draw_map(spec, planar, layout, Format::svg, small_page());

    const auto paths = region_paths_by_fill(svg);
    int total = 0;
    for (const auto& [colour, n] : paths) total += n;
    EXPECT_EQ(total + hatched_region_paths(svg), 6); // six regions, the NULL one included
    // share 0.1 0.2 | 0.3 0.4 | 0.6, and 19.05 without data.
    const auto& colours = layout.classes.colours;
    ASSERT_EQ(colours.size(), 3u);
    EXPECT_EQ(layout.panels[0].counts, (std::vector<std::size_t>{2, 2, 1}));
    EXPECT_EQ(layout.panels[0].no_data, 1u);
    for (std::size_t k = 0; k < 3; ++k) {
        const auto it = paths.find(to8(colours[k]));
        ASSERT_NE(it, paths.end()) << "class " << k;
        EXPECT_EQ(static_cast<std::size_t>(it->second), layout.panels[0].counts[k]) << "class " << k;
    }
    // The NULL region is one path filled with the hatch: the no-data grey crossed by darker lines.
    EXPECT_EQ(paths.find(to8(no_data_colour())), paths.end()) << "no-data drawn plain grey";
    EXPECT_EQ(hatched_region_paths(svg), 1);
    // The pattern's tile (a group it uses): a rectangle of the no-data grey, darker diagonals.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(svg, m, std::regex(R"re(<pattern id="pattern[0-9]+"[^>]*>\s*<use xlink:href="#([a-z0-9]+)")re")));
    const auto group = svg.find("id=\"" + m[1].str() + "\"");
    ASSERT_NE(group, std::string::npos);
    const std::string tile = svg.substr(group, svg.find("</g>", group) - group);
    ASSERT_TRUE(std::regex_search(tile, m, std::regex(R"re(<rect[^>]*fill:rgb\(([0-9.]+)%,([0-9.]+)%,([0-9.]+)%\))re"))) << tile;
    auto q = [](const std::string& pct) { return static_cast<int>(std::lround(std::stod(pct) * 2.55)); };
    EXPECT_EQ((Rgb8{q(m[1].str()), q(m[2].str()), q(m[3].str())}), to8(no_data_colour()));
    EXPECT_NE(tile.find("fill:none;stroke-width:0.35"), std::string::npos) << "no hatch lines: " << tile;
    // The legend's no-data swatch is hatched too (a fill without stroke).
    EXPECT_TRUE(std::regex_search(svg, std::regex(R"re(stroke:none;fill-rule:[a-z]+;fill:url\(#pattern)re")));
}

TEST(MapRender, LegendEntriesMatchTheClassification) {
    const MapLayer layer = grid();
    const MapSpec spec = grid_spec(layer, {0.25, 0.45});
    const MapLayout layout = layout_map(spec, project(layer.shapes, ""), small_page(), Lang::id);
    ASSERT_EQ(layout.legend.size(), 4u); // three classes and no data
    EXPECT_EQ(layout.legend[0].label, "10% \u2013 25%  (2)");
    EXPECT_EQ(layout.legend[1].label, "25% \u2013 45%  (2)");
    EXPECT_EQ(layout.legend[2].label, "45% \u2013 60%  (1)");
    EXPECT_TRUE(layout.legend[3].no_data);
    EXPECT_EQ(layout.legend[3].label, "Tidak ada data  (1)");
    for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(layout.legend[k].colour, layout.classes.colours[k]);
}

TEST(MapRender, PngHasTheSizeAndEveryPresentClassColour) {
    const MapLayer layer = grid();
    // Four classes, the last (0.7-0.8) empty: its colour must not appear.
    MapSpec spec = grid_spec(layer, {});
    spec.style.fixed = {0.0, 0.25, 0.45, 0.7, 0.8};
    const PlanarShapes planar = project(layer.shapes, "");
    const PageSize page{500, 400, 144};
    const MapLayout layout = layout_map(spec, planar, page, Lang::en);
    const Image img = decode_png(draw_map(spec, planar, layout, Format::png, page));
    ASSERT_EQ(img.width, 500);
    ASSERT_EQ(img.height, 400);
    // Count pixels inside the map frame only (the legend swatches carry every colour).
    const Rect f = layout.panels[0].frame;
    const double px = page.dpi / 72.0;
    std::vector<long> seen(layout.classes.colours.size(), 0);
    long no_data = 0, hatch_lines = 0;
    for (int y = static_cast<int>(f.y * px); y < static_cast<int>((f.y + f.h) * px); ++y)
        for (int x = static_cast<int>(f.x * px); x < static_cast<int>((f.x + f.w) * px); ++x) {
            const Rgb8 p = img.at(x, y);
            for (std::size_t k = 0; k < seen.size(); ++k)
                if (near(p, to8(layout.classes.colours[k]))) ++seen[k];
            double factor = 1;
            if (hatch_pixel(p, &factor)) {
                ++no_data;
                if (factor < 0.8) ++hatch_lines;
            }
        }
    const auto& counts = layout.panels[0].counts;
    ASSERT_EQ(counts, (std::vector<std::size_t>{2, 2, 1, 0}));
    for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k] > 0, counts[k] > 0) << "class " << k;
    EXPECT_GT(no_data, 0);
    // The no-data square is hatched: darker diagonals over a tenth or more of it.
    EXPECT_GT(hatch_lines, no_data / 10);
    EXPECT_LT(hatch_lines, no_data / 2);
    // Equal squares: area follows the counts (two squares hold about twice the pixels of one).
    EXPECT_NEAR(static_cast<double>(seen[0]) / static_cast<double>(seen[2]), 2.0, 0.25);
    EXPECT_NEAR(static_cast<double>(seen[2]) / static_cast<double>(no_data), 1.0, 0.15);
}

TEST(MapRender, HolesStayUnfilledAndEveryPartIsDrawn) {
    MapLayerRequest r;
    r.path = fixture("donut.geojson");
    r.fields = {"v"};
    const MapLayer layer = read_map_layer(r);
    MapSpec spec;
    spec.panels.push_back({"", layer.values[0]});
    spec.style.fixed = {0, 3}; // one class for both regions
    const PlanarShapes planar = project(layer.shapes, "");
    const PageSize page{400, 400, 72};
    const MapLayout layout = layout_map(spec, planar, page, Lang::en);
    const Image img = decode_png(draw_map(spec, planar, layout, Format::png, page));
    // Lon/lat -> planar is linear for the equirectangular projection: map through the bounds.
    const Bounds b = bounds_of(planar.shapes);
    const auto& t = layout.panels[0].transform;
    auto at = [&](double lon, double lat) {
        const double x = b.min_x + (lon - 0) / 6.0 * b.width(), y = b.min_y + (lat - 0) / 4.0 * b.height();
        return img.at(t.px(x), t.py(y));
    };
    const Rgb8 fill = to8(layout.classes.colours[0]);
    EXPECT_TRUE(near(at(2.0, 2.0), {255, 255, 255})) << "the hole is filled";
    EXPECT_TRUE(near(at(0.5, 2.0), fill));
    EXPECT_TRUE(near(at(3.5, 0.5), fill));
    EXPECT_TRUE(near(at(5.5, 0.5), fill)) << "first part of the multipolygon";
    EXPECT_TRUE(near(at(5.5, 3.5), fill)) << "second part of the multipolygon";
    EXPECT_TRUE(near(at(5.5, 2.0), {255, 255, 255})) << "between the parts";
}

TEST(MapRender, SmallMultiplesDrawEveryRegionInEveryPanelOnSharedClasses) {
    const MapLayer layer = grid();
    MapSpec spec = grid_spec(layer, {0.25, 0.45});
    std::vector<double> shifted = layer.values[0];
    for (double& v : shifted) v += 0.2;
    spec.panels = {{"a", layer.values[0]}, {"b", shifted}, {"c", layer.values[0]}};
    const PlanarShapes planar = project(layer.shapes, "");
    const MapLayout layout = layout_map(spec, planar, small_page(), Lang::en);
    ASSERT_EQ(layout.panels.size(), 3u);
    for (std::size_t i = 0; i + 1 < 3; ++i)
        for (std::size_t j = i + 1; j < 3; ++j) EXPECT_FALSE(layout.panels[i].frame.overlaps(layout.panels[j].frame));
    EXPECT_EQ(layout.panel_titles.size(), 3u);
    const auto paths = region_paths_by_fill(draw_map(spec, planar, layout, Format::svg, small_page()));
    int total = 0;
    for (const auto& [c, n] : paths) total += n;
    EXPECT_EQ(total + hatched_region_paths(draw_map(spec, planar, layout, Format::svg, small_page())), 18);
    // Shared breaks 0.1 0.25 0.45 0.8: the shifted panel holds 0.3 0.4 | 0.5 0.6 0.8.
    EXPECT_EQ(layout.panels[1].counts, (std::vector<std::size_t>{0, 2, 3}));
    EXPECT_TRUE(layout.legend[0].label.find('(') == std::string::npos) << "no per-panel counts in a shared legend";
}

TEST(MapRender, SameMapSameBytes) {
    const MapLayer layer = grid();
    const MapSpec spec = grid_spec(layer, {0.25, 0.45});
    const PlanarShapes planar = project(layer.shapes, "");
    for (Format f : {Format::png, Format::svg, Format::pdf})
        EXPECT_EQ(render_map(spec, planar, f, small_page(), Lang::id), render_map(spec, planar, f, small_page(), Lang::id));
}
