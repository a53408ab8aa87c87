// The page of a map: its size follows the mapped extent unless given, named papers in points,
// one frame and scale for every map of a set, layers across 180°, text that stays on the page
// and clear of other text (read from the drawn SVG), and breaks a share cannot have.
#include "cakupan/common/error.hpp"
#include "cakupan/render/map.hpp"
#include "map_test_support.hpp"
#include "svg_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

using namespace cakupan;
using namespace cakupan::render;
using namespace cakupan::test::maps;

namespace {

// Squares of `size` degrees with these lower-left corners, wrapping at 180° as data does.
ShapeSet squares(const std::vector<std::pair<double, double>>& corners, double size) {
    ShapeSet s;
    for (auto [x0, lat] : corners) {
        if (x0 >= 180) x0 -= 360;
        const double x[] = {x0, x0 + size, x0 + size, x0, x0}, y[] = {lat, lat, lat + size, lat + size, lat};
        s.begin_region();
        s.begin_part();
        s.add_ring(x, y);
    }
    s.finish();
    return s;
}

// n squares in a row from (lon, lat) eastwards.
ShapeSet row_of_squares(double lon, double lat, int n, double size) {
    std::vector<std::pair<double, double>> corners;
    for (int i = 0; i < n; ++i) corners.emplace_back(lon + i * size, lat);
    return squares(corners, size);
}

MapSpec spec_for(std::size_t regions, const std::string& title = "Coverage", const std::string& subtitle = "2025") {
    MapSpec spec;
    spec.title = title;
    spec.subtitle = subtitle;
    spec.legend_title = "coverage";
    spec.source = "Source: test";
    spec.style.format = ValueFormat::percent;
    MapPanel p;
    for (std::size_t i = 0; i < regions; ++i) p.values.push_back(0.2 + 0.05 * static_cast<double>(i % 7));
    spec.panels = {p};
    for (std::size_t i = 0; i < regions; ++i) spec.names.push_back("Region " + std::to_string(i + 1));
    return spec;
}

// The extent of the drawn regions on the page and the frame it was fitted to.
struct Filled {
    double w_share, h_share;
};
Filled filled(const MapLayout& L, const PlanarShapes& p) {
    const Bounds b = bounds_of(p.shapes);
    const auto& pl = L.panels.at(0);
    return {pl.transform.scale * b.width() / pl.frame.w, pl.transform.scale * b.height() / pl.frame.h};
}

std::string text_problems(const std::string& svg) {
    std::string out;
    for (const auto& p : svg_text::problems(svg_text::read(svg))) out += p + "\n";
    return out;
}

} // namespace

TEST(MapPage, AWideLayerGetsAWidePageThatItFills) {
    // Two rows of three 1-degree squares: 3 x 2 degrees, about Bangka Belitung's extent.
    const ShapeSet two_rows = squares({{105, -3}, {106, -3}, {107, -3}, {105, -2}, {106, -2}, {107, -2}}, 1.0);
    const PlanarShapes p = project(two_rows, "");
    const MapSpec spec = spec_for(6);
    PageSize auto_page;
    auto_page.width_px = auto_page.height_px = 0;
    const PageSize page = page_for_map(spec, p, auto_page);
    EXPECT_EQ(page.width_px, 2000);
    EXPECT_LT(page.height_px, 1400); // a square page would leave a third of the frame empty
    const MapLayout L = layout_map(spec, p, auto_page, Lang::en);
    const Filled f = filled(L, p);
    EXPECT_GT(std::min(f.w_share, f.h_share), 0.995); // the extent fills the frame, to a pixel
    // The PNG has the chosen size.
    const Image img = decode_png(render_map(spec, p, Format::png, auto_page, Lang::en));
    EXPECT_EQ(img.width, 2000);
    EXPECT_EQ(img.height, page.height_px);

    // A tall layer: the height gets 2000 px and the width follows.
    const PlanarShapes tall = project(row_of_squares(105, -3, 1, 6.0), "");
    PageSize given_height = auto_page;
    given_height.height_px = 1200;
    const PageSize tp = page_for_map(spec_for(1), tall, given_height);
    EXPECT_EQ(tp.height_px, 1200);
    EXPECT_GT(tp.width_px, 1200 * 2 / 5);
}

TEST(MapPage, NamedPapersInPointsAndPixels) {
    const PageSize a4 = paper_page("A4", false, 300);
    EXPECT_EQ(a4.width_px, 2480);
    EXPECT_EQ(a4.height_px, 3508);
    const PageSize a3 = paper_page("a3", true, 150);
    EXPECT_EQ(a3.width_px, 2480);
    EXPECT_EQ(a3.height_px, 1754);
    EXPECT_NEAR(paper_page("letter", false, 72).width_pt(), 612, 0.5);
    try {
        paper_page("B5", false, 300);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--page: unknown paper size 'B5'; use A4, A3 or letter");
    }
    // A PDF of an A4 landscape page is 842 x 595 points.
    const PlanarShapes p = project(row_of_squares(105, -3, 8, 1.0), "");
    const std::string pdf = render_map(spec_for(8), p, Format::pdf, paper_page("A4", true, 300), Lang::en);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(pdf, m, std::regex(R"(/MediaBox \[ *0 0 ([0-9.]+) ([0-9.]+) *\])")));
    EXPECT_NEAR(std::stod(m[1].str()), 841.9, 0.2);
    EXPECT_NEAR(std::stod(m[2].str()), 595.3, 0.2);
}

TEST(MapPage, APaperPageTurnsToTheExtentUnlessItsOrientationIsGiven) {
    const PlanarShapes wide = project(row_of_squares(105, -3, 3, 1.0), "");
    PageSize a4 = paper_page("A4", false, 100);
    EXPECT_LT(page_for_map(spec_for(3), wide, a4).width_px, a4.height_px); // given: stays portrait
    a4.turn_to_extent = true;
    const PageSize turned = page_for_map(spec_for(3), wide, a4);
    EXPECT_EQ(turned.width_px, a4.height_px);
    EXPECT_EQ(turned.height_px, a4.width_px);
    const PlanarShapes tall = project(squares({{105, -3}, {105, -2}, {105, -1}}, 1.0), "");
    EXPECT_EQ(page_for_map(spec_for(3), tall, a4).width_px, a4.width_px);
}

TEST(MapPage, MapsOfOneSetShareFrameAndScaleWhateverTheirTexts) {
    const PlanarShapes p = project(row_of_squares(105, -3, 8, 1.0), "");
    const PageSize page{1600, 1000, 200};
    MapSpec a = spec_for(8, "Coverage", "baseline");
    MapSpec b = spec_for(8, "A much longer title that will have to be set in a smaller font to fit the page at all", "");
    b.style.categories = {"a parameter with a long name", "b"};
    b.style.category_colours = categorical_colours(2);
    for (auto& v : b.panels[0].values) v = v > 0.3 ? 1 : 0;
    const MapLayout la = layout_map(a, p, page, Lang::en), lb = layout_map(b, p, page, Lang::id);
    EXPECT_DOUBLE_EQ(la.panels[0].frame.x, lb.panels[0].frame.x);
    EXPECT_DOUBLE_EQ(la.panels[0].frame.y, lb.panels[0].frame.y);
    EXPECT_DOUBLE_EQ(la.panels[0].frame.w, lb.panels[0].frame.w);
    EXPECT_DOUBLE_EQ(la.panels[0].frame.h, lb.panels[0].frame.h);
    EXPECT_DOUBLE_EQ(la.panels[0].transform.scale, lb.panels[0].transform.scale);
    EXPECT_DOUBLE_EQ(la.scale_metres, lb.scale_metres);
    EXPECT_DOUBLE_EQ(la.scale_length, lb.scale_length);
}

TEST(MapPage, ALayerAcross180FillsTheFrameAsOneThatDoesNot) {
    // Eight 1-degree squares from 176°E to 176°W (the Fiji side and the Aleutian side of 180°),
    // and the same row moved 20° west where nothing wraps.
    const ShapeSet across = row_of_squares(176, 52, 8, 1.0), inside = row_of_squares(156, 52, 8, 1.0);
    ASSERT_LT(bounds_of(across).min_x, -170); // the fixture really wraps
    const PlanarShapes pa = project(across, ""), pi = project(inside, "");
    EXPECT_NEAR(bounds_of(pa.shapes).width(), bounds_of(pi.shapes).width(), 1e-6 * bounds_of(pi.shapes).width());
    const PageSize page{1600, 1000, 200};
    const MapLayout la = layout_map(spec_for(8), pa, page, Lang::en), li = layout_map(spec_for(8), pi, page, Lang::en);
    EXPECT_NEAR(la.panels[0].transform.scale, li.panels[0].transform.scale, 1e-9 * li.panels[0].transform.scale);
    EXPECT_NEAR(filled(la, pa).w_share, 1.0, 1e-9);
    // Through a CRS too: a conic centred on 180°.
    const PlanarShapes pc = project(across, "+proj=aea +lat_1=50 +lat_2=55 +lat_0=52 +lon_0=180 +datum=WGS84");
    EXPECT_LT(bounds_of(pc.shapes).width(), 2 * bounds_of(pi.shapes).width());
    EXPECT_NEAR(pc.north_angle, 0.0, 1e-6);
}

// Squares whose every vertex wraps at 180° on its own, as some data sets write a ring that crosses
// the antimeridian (179.5 next to -179.5) instead of splitting it.
ShapeSet squares_wrapped_per_vertex(const std::vector<std::pair<double, double>>& corners, double size) {
    ShapeSet s;
    for (auto [x0, lat] : corners) {
        double x[] = {x0, x0 + size, x0 + size, x0, x0};
        for (double& v : x)
            if (v > 180) v -= 360;
        const double y[] = {lat, lat, lat + size, lat + size, lat};
        s.begin_region();
        s.begin_part();
        s.add_ring(x, y);
    }
    s.finish();
    return s;
}

TEST(MapPage, ARingCrossing180ItselfIsUnwrappedToo) {
    // Eight 1-degree squares from 176.5°E, the fourth from 179.5°E to 179.5°W in one ring.
    std::vector<std::pair<double, double>> corners, west;
    for (int i = 0; i < 8; ++i) corners.emplace_back(176.5 + i, 52), west.emplace_back(156.5 + i, 52);
    const ShapeSet across = squares_wrapped_per_vertex(corners, 1.0), inside = squares_wrapped_per_vertex(west, 1.0);
    const PlanarShapes pa = project(across, ""), pi = project(inside, "");
    EXPECT_NEAR(bounds_of(pa.shapes).width(), bounds_of(pi.shapes).width(), 1e-6 * bounds_of(pi.shapes).width());
}

TEST(MapPage, TheNorthArrowPointsToTrueNorthAtTheMapCentre) {
    // The lower 48 states as 4-degree squares and an Aleutian chain across 180° (one ring crossing
    // it unsplit): unwrapped, the extent runs from 172°E to 68°W, centred on 128°W, 40.5°N. In
    // CONUS Albers (EPSG:5070: standard parallels 29.5° and 45.5°, central meridian 96°W) the
    // meridians there lean by the cone constant times the longitude difference:
    // (sin 29.5° + sin 45.5°) / 2 x 32° = 19.29°, clockwise from up.
    std::vector<std::pair<double, double>> corners;
    for (int x = -124; x < -68; x += 4)
        for (int y = 26; y < 48; y += 4) corners.emplace_back(x, y);
    for (double x : {172.0, 175.0, 179.0, 183.0, 186.0}) corners.emplace_back(x, 51);
    const ShapeSet us = squares_wrapped_per_vertex(corners, 4.0);
    const PlanarShapes p = project(us, "EPSG:5070");
    const double expected = (std::sin(29.5 * M_PI / 180) + std::sin(45.5 * M_PI / 180)) / 2 * 32.0;
    EXPECT_NEAR(p.north_angle * 180 / M_PI, expected, 0.2);
}

TEST(MapPage, NoTextLeavesThePageOrTouchesOtherText) {
    // A single map with region names, small multiples, a categorical map, on square, wide and
    // paper pages.
    const MapLayer layer = grid();
    const PlanarShapes p = project(layer.shapes, "");
    MapSpec single;
    single.names = layer.names;
    single.title = "share of workers covered, by region, at the end of the period";
    single.subtitle = "Layer grid \u2014 6 regions";
    single.legend_title = "share";
    single.source = "Source: grid.geojson, field share";
    single.style.format = ValueFormat::percent;
    single.panels = {{"", layer.values[0]}};
    MapSpec multiples = single;
    multiples.panels = {{"baseline", layer.values[0]}, {"campaign", layer.values[0]}, {"combined", layer.values[0]}};
    MapSpec categories = single;
    categories.style.categories = {"lapse, informal", "innovation (Bass p)", "retention after funding"};
    categories.style.category_colours = categorical_colours(3);
    categories.panels = {{"", {0, 1, 2, 0, 1, NAN}}};
    PageSize auto_page;
    auto_page.width_px = auto_page.height_px = 0;
    // A set's note longer than the legend column of a small wide page: wrapped, not run off it
    // (it ran 15 pt past the edge of a 480 pt change map).
    MapSpec noted = multiples;
    noted.classes_note = "classes shared by every variant but the baseline";
    for (const MapSpec* spec : {&single, &multiples, &categories, &noted})
        for (const PageSize& page : {PageSize{2000, 2000, 300}, PageSize{1600, 600, 200}, PageSize{2000, 1131, 300},
                                     paper_page("A4", true, 150), auto_page})
            for (const Lang lang : {Lang::en, Lang::id}) {
                const std::string svg = render_map(*spec, p, Format::svg, page, lang);
                EXPECT_EQ(text_problems(svg), "") << spec->panels.size() << " panels, " << page.width_px << "x" << page.height_px;
                EXPECT_GE(svg_text::read(svg).texts.size(), 6u);
            }
}

TEST(MapClasses, BreaksOfAShareWrittenAsPercentAreRefused) {
    MapStyle style;
    style.format = ValueFormat::percent;
    style.scheme = Scheme::manual;
    style.breaks = {30, 35, 40};
    try {
        classify_panels({{0.27, 0.31, 0.36}}, style);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--breaks: 30 is outside 0..1; write shares (0.3 for 30%)");
    }
    style.format = ValueFormat::points;
    style.breaks = {-2, 0, 2};
    try {
        classify_panels({{-0.01, 0.02}}, style);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--breaks: -2 is outside -1..1; write differences of shares (-0.02 for -2 pp)");
    }
    style.breaks = {-0.02, 0, 0.02};
    EXPECT_EQ(classify_panels({{-0.01, 0.02}}, style).classification.classes(), 4u);
    style.format = ValueFormat::number; // any number for a plain field
    style.breaks = {30, 35, 40};
    EXPECT_EQ(classify_panels({{27, 31, 36}}, style).classification.classes(), 4u);
}

TEST(MapPage, AFarFlungRegionIsNamedAndABigRegionAtTheEdgeIsNot) {
    // Nine squares in a block and one 30 degrees east: the block is drawn tiny.
    std::vector<std::pair<double, double>> block;
    for (int i = 0; i < 9; ++i) block.emplace_back(100 + i % 3, -3 + i / 3);
    auto with_far = block;
    with_far.emplace_back(130, -2);
    const std::vector<std::string> names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "Pulau Jauh"};
    EXPECT_EQ(far_flung_warning(project(squares(with_far, 1.0), "").shapes, names),
              "1 region far from the rest (Pulau Jauh) make the map 3.2 times smaller; map a part with --within CODE or --where");
    // A tenth square touching the block is not far, nor is anything in a compact block.
    auto touching = block;
    touching.emplace_back(103, -3);
    EXPECT_EQ(far_flung_warning(project(squares(touching, 1.0), "").shapes, names), "");
    EXPECT_EQ(far_flung_warning(project(squares(block, 1.0), "").shapes, names), "");
}

TEST(MapProjectionChoice, WideExtentsAreProjectedEqualArea) {
    // Two 1-degree squares 60 degrees apart in longitude: one at 40-41°N, one at 60-61°N. On the
    // ground the northern one is cos(60.5°)/cos(40.5°) = 0.66 as large; equal-area keeps that.
    auto area = [](const ShapeSet& s, std::size_t r) {
        const std::size_t ring = s.first_ring(r);
        double a = 0;
        for (std::size_t i = s.ring_start[ring]; i + 1 < s.ring_start[ring + 1]; ++i) a += s.x[i] * s.y[i + 1] - s.x[i + 1] * s.y[i];
        return std::fabs(a) / 2;
    };
    const PlanarShapes p = project(squares({{-100, 40}, {-40, 60}}, 1.0), "");
    EXPECT_NE(p.description.find("Albers"), std::string::npos) << p.description;
    EXPECT_NEAR(area(p.shapes, 1) / area(p.shapes, 0), std::cos(60.5 * M_PI / 180) / std::cos(40.5 * M_PI / 180), 0.005);
    // Across the equator (Indonesia's 46° by 17°): cylindrical equal-area, north still up.
    const PlanarShapes id = project(squares({{95, -11}, {140, 5}}, 1.0), "");
    EXPECT_NE(id.description.find("cylindrical"), std::string::npos) << id.description;
    EXPECT_NEAR(id.north_angle, 0.0, 1e-9);
    EXPECT_NEAR(area(id.shapes, 1) / area(id.shapes, 0), std::cos(5.5 * M_PI / 180) / std::cos(10.5 * M_PI / 180), 0.005);
    // A province stays equirectangular.
    EXPECT_NE(project(squares({{105, -3}, {108, -2}}, 1.0), "").description.find("equirectangular"), std::string::npos);
}

TEST(MapClasses, WholeNumbersGetWholeRangesAndEmptyClassesAreLeftOut) {
    const PlanarShapes p = project(row_of_squares(105, -3, 8, 0.1), "");
    MapSpec spec = spec_for(8);
    spec.style.format = ValueFormat::number;
    spec.style.scheme = Scheme::quantile;
    spec.style.classes = 4;
    spec.panels[0].values = {1200, 1350, 2000, 2210, 5000, 5003, 9000, 12000}; // workers: whole numbers
    const MapLayout L = layout_map(spec, p, {1600, 1000, 200}, Lang::en);
    ASSERT_TRUE(L.classes.whole);
    for (double b : L.classes.classification.breaks) EXPECT_EQ(b, std::round(b));
    // Each class starts one above the last one's end: no "1,350.5".
    ASSERT_EQ(L.legend.size(), 4u);
    const auto& b = L.classes.classification.breaks;
    EXPECT_EQ(L.legend[1].range, format_number(Lang::en, b[1] + 1, 0) + " \u2013 " + format_number(Lang::en, b[2], 0));
    std::size_t total = 0;
    for (const auto& e : L.legend) total += e.count;
    EXPECT_EQ(total, 8u);

    // Equal intervals over skewed data leave classes empty: a map on its own does not list them,
    // manual breaks (the user's) and a set of maps do.
    spec.style.scheme = Scheme::equal_interval;
    spec.style.classes = 5;
    spec.panels[0].values = {1, 2, 3, 4, 5, 6, 7, 100};
    const MapLayout own = layout_map(spec, p, {1600, 1000, 200}, Lang::en);
    EXPECT_EQ(own.legend.size(), 2u);
    for (const auto& e : own.legend) EXPECT_GT(e.count, 0u);
    MapSpec noted = spec;
    noted.classes_note = "classes shared by every variant";
    const MapLayout set = layout_map(noted, p, {1600, 1000, 200}, Lang::en);
    EXPECT_EQ(set.legend.size(), 5u);
    EXPECT_EQ(set.legend_note.text, "classes shared by every variant");
    MapSpec manual = spec;
    manual.style.scheme = Scheme::manual;
    manual.style.breaks = {10, 20, 50};
    EXPECT_EQ(layout_map(manual, p, {1600, 1000, 200}, Lang::en).legend.size(), 4u);
}
