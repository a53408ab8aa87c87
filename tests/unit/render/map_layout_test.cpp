// The map as data: projection, classes, legend texts, languages, labels, run maps.
#include "cakupan/common/error.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/run_maps.hpp"
#include "render/labels.hpp"
#include "map_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace cakupan;
using namespace cakupan::render;
using namespace cakupan::test::maps;

namespace {

ShapeSet square(double lon0, double lat0, double side) {
    ShapeSet s;
    s.begin_region();
    s.begin_part();
    const std::vector<double> xs = {lon0, lon0 + side, lon0 + side, lon0, lon0};
    const std::vector<double> ys = {lat0, lat0, lat0 + side, lat0 + side, lat0};
    s.add_ring(xs, ys);
    s.finish();
    return s;
}

MapSpec grid_spec(const MapLayer& layer) {
    MapSpec spec;
    spec.names = layer.names;
    spec.title = "share";
    spec.legend_title = "share";
    spec.style.format = ValueFormat::percent;
    spec.style.scheme = Scheme::manual;
    spec.style.breaks = {0.125, 0.45}; // needs a decimal: 12,5% / 12.5%
    spec.panels.push_back({"", layer.values[0]});
    return spec;
}

std::string run_dir() { return fixture("run"); }

} // namespace

TEST(MapProjection, EquirectangularScalesLongitudeByTheCosineOfTheCentralLatitude) {
    const PlanarShapes p = project(square(10, 59.5, 1), "");
    const Bounds b = bounds_of(p.shapes);
    EXPECT_NEAR(b.width() / b.height(), std::cos(60.0 * M_PI / 180.0), 1e-12);
    EXPECT_NEAR(b.height(), 6371007.2 * M_PI / 180.0, 1.0); // metres on the authalic sphere
    EXPECT_EQ(p.metres_per_unit, 1.0);
    EXPECT_EQ(p.north_angle, 0.0);
    // At the equator a degree is as wide as it is tall.
    const Bounds e = bounds_of(project(square(100, -0.5, 1), "").shapes);
    EXPECT_NEAR(e.width() / e.height(), std::cos(0.0), 1e-12);
}

TEST(MapProjection, AnyCrsGdalKnows) {
    // UTM 48S around Bangka: a 0.1° square is about 11.1 km a side, with true metres.
    const PlanarShapes p = project(square(106.0, -2.1, 0.1), "EPSG:32748");
    const Bounds b = bounds_of(p.shapes);
    EXPECT_NEAR(b.width(), 11120, 60);
    EXPECT_NEAR(b.height(), 11060, 60);
    EXPECT_NEAR(b.min_x, 500000 + (106.0 - 105.0) * 111000, 2000); // false easting, central meridian 105°E
    EXPECT_NEAR(p.metres_per_unit, 1.0, 0.01);
    EXPECT_NEAR(p.north_angle, 0.0, 0.05);
    EXPECT_NE(p.description.find("32748"), std::string::npos);
    EXPECT_THROW(project(square(106.0, -2.1, 0.1), "EPSG:999999"), UsageError);
}

TEST(MapProjection, FitKeepsTheAspectAndCentres) {
    const Bounds b{0, 0, 200, 100};
    const PageTransform t = fit(b, 10, 20, 100, 100);
    EXPECT_DOUBLE_EQ(t.scale, 0.5);
    EXPECT_DOUBLE_EQ(t.px(0), 10);
    EXPECT_DOUBLE_EQ(t.px(200), 110);
    EXPECT_DOUBLE_EQ(t.py(100), 45); // 50 points tall, centred in 100
    EXPECT_DOUBLE_EQ(t.py(0), 95);
}

TEST(MapStyle, DivergingClassesAreSymmetricAroundZero) {
    MapStyle s;
    s.diverging = true;
    s.classes = 6;
    const MapClasses c = classify_panels({{-0.031, 0.01}, {0.02, NAN}}, s);
    const auto& b = c.classification.breaks;
    ASSERT_EQ(b.size(), 7u);
    // 0.031 over three classes a side: a round step of 0.02 (not 0.0103), so the ends are +-0.06.
    EXPECT_DOUBLE_EQ(b.front(), -0.06);
    EXPECT_DOUBLE_EQ(b.back(), 0.06);
    EXPECT_NEAR(b[4], 0.02, 1e-15);
    EXPECT_EQ(b[3], 0.0);
    EXPECT_EQ(c.colours.size(), 6u);
    std::size_t no_data = 0;
    EXPECT_EQ(count_classes(c.classification, {-0.031, 0.01, 0.02, NAN}, no_data),
              (std::vector<std::size_t>{0, 1, 0, 2, 0, 0}));
    EXPECT_EQ(no_data, 1u);
    EXPECT_DOUBLE_EQ(round_up_nice(0.031), 0.05);
    EXPECT_DOUBLE_EQ(round_up_nice(0.2), 0.2);
    EXPECT_DOUBLE_EQ(round_up_nice(2.1), 2.5);
    EXPECT_DOUBLE_EQ(round_up_nice(700), 1000);
}

TEST(MapStyle, ReversedPaletteAndFixedBreaks) {
    MapStyle s;
    s.fixed = {0, 0.1, 0.5, 0.9, 1};
    const MapClasses a = classify_panels({{0.05, 0.95}}, s);
    s.reverse = true;
    const MapClasses r = classify_panels({{0.05, 0.95}}, s);
    ASSERT_EQ(a.colours.size(), 4u);
    EXPECT_EQ(a.colours.front(), r.colours.back());
    EXPECT_EQ(a.classification.counts, (std::vector<std::size_t>{1, 0, 0, 1}));
}

TEST(MapText, NumbersFollowTheLanguage) {
    EXPECT_EQ(format_value(ValueFormat::percent, Lang::id, 0.2724, 2), "27,24%");
    EXPECT_EQ(format_value(ValueFormat::percent, Lang::en, 0.2724, 2), "27.24%");
    EXPECT_EQ(format_value(ValueFormat::points, Lang::id, 0.031, 1), "+3,1 poin");
    EXPECT_EQ(format_value(ValueFormat::points, Lang::en, -0.031, 1), "-3.1 pp");
    EXPECT_EQ(format_value(ValueFormat::points, Lang::en, 0.0, 1), "0.0 pp");
    EXPECT_EQ(format_value(ValueFormat::number, Lang::id, 12345.5, 1), "12.345,5");
}

TEST(MapText, LanguageChangesEveryFixedText) {
    const MapLayer layer = grid();
    const MapSpec spec = grid_spec(layer);
    const PlanarShapes planar = project(layer.shapes, "");
    const MapLayout id = layout_map(spec, planar, {800, 800, 144}, Lang::id);
    const MapLayout en = layout_map(spec, planar, {800, 800, 144}, Lang::en);
    ASSERT_EQ(id.legend.size(), en.legend.size());
    for (std::size_t i = 0; i < id.legend.size(); ++i) EXPECT_NE(id.legend[i].label, en.legend[i].label) << i;
    EXPECT_EQ(id.legend[0].label, "10,0% \u2013 12,5%  (1)");
    EXPECT_EQ(en.legend[0].label, "10.0% \u2013 12.5%  (1)");
    EXPECT_EQ(en.legend.back().label, "No data  (1)");
    EXPECT_EQ(id.north_letter.text, "U");
    EXPECT_EQ(en.north_letter.text, "N");
    EXPECT_NE(id.scale_label.text.find(" km"), std::string::npos);

    // A run map: title, subtitle, legend, source all change.
    RunMapOptions oid, oen;
    oen.lang = Lang::en;
    for (MapKind kind : {MapKind::coverage, MapKind::gap, MapKind::probability, MapKind::change, MapKind::uncertainty}) {
        const RunMapRequest req{kind, "agents"};
        const auto a = run_map_texts(run_dir(), req, oid), b = run_map_texts(run_dir(), req, oen);
        ASSERT_EQ(a.size(), b.size()) << to_string(kind);
        std::size_t same = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            // Region names, the scale bar ("5 km") and whole-number ranges ("45% – 56%  (2)")
            // read the same in both languages; every text with a word in it must change.
            const bool name = std::find(layer.names.begin(), layer.names.end(), a[i]) != layer.names.end();
            const bool words = std::any_of(a[i].begin(), a[i].end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
            if (!name && words && a[i].find(" km") == std::string::npos && a[i] == b[i]) ++same, ADD_FAILURE() << a[i];
        }
        EXPECT_EQ(same, 0u) << to_string(kind);
    }
    const auto texts = run_map_texts(run_dir(), {MapKind::coverage, "agents"}, oid);
    EXPECT_EQ(texts[0], "Cakupan kepesertaan pada 31 Desember 2025");
    EXPECT_EQ(texts[1], "Grid test scenario \u2014 varian agents \u2014 target 57,17%");
}

TEST(MapLabels, PlacedInsideTheirRegionWithoutOverlaps) {
    const MapLayer layer = grid();
    const PlanarShapes planar = project(layer.shapes, "");
    MapSpec spec = grid_spec(layer);
    const MapLayout big = layout_map(spec, planar, {2000, 2000, 300}, Lang::id);
    const auto& labels = big.panels[0].labels;
    ASSERT_EQ(labels.size(), 6u);
    const Bounds b = bounds_of(planar.shapes);
    const auto& t = big.panels[0].transform;
    for (const auto& l : labels) {
        // Centre of the label box back to lon/lat must lie in the region's square.
        const double cx = l.box.x + l.box.w / 2, cy = l.box.y + l.box.h / 2;
        const double x = (cx - t.x0) / t.scale, y = (t.y0 - cy) / t.scale;
        EXPECT_TRUE(inside_region(planar.shapes, l.region, x, y)) << l.text;
        EXPECT_EQ(l.text, layer.names[l.region]);
        (void)b;
    }
    // In a font as big as the squares the names collide: fewer are placed, never overlapping.
    TextMeasure measure;
    const auto few = place_labels(planar.shapes, layer.names, t, big.panels[0].frame, 40, measure);
    EXPECT_GE(few.size(), 1u);
    EXPECT_LT(few.size(), 6u);
    for (std::size_t i = 0; i < few.size(); ++i)
        for (std::size_t j = i + 1; j < few.size(); ++j) EXPECT_FALSE(few[i].box.overlaps(few[j].box));
}

TEST(MapLabels, InteriorPointAvoidsTheHole) {
    MapLayerRequest r;
    r.path = fixture("donut.geojson");
    const MapLayer layer = read_map_layer(r);
    const auto p = interior_point(layer.shapes, 0);
    ASSERT_TRUE(p.has_value());
    EXPECT_TRUE(inside_region(layer.shapes, 0, p->first, p->second));
    EXPECT_FALSE(inside_region(layer.shapes, 0, 2.0, 2.0)); // the hole
    EXPECT_TRUE(inside_region(layer.shapes, 0, 0.5, 0.5));
}

TEST(MapLayer, FieldErrorsNameTheFieldAndSuggest) {
    try {
        grid("shrae");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no field 'shrae' (did you mean 'share'?)"), std::string::npos) << e.what();
    }
    try {
        grid("nama");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("field 'nama' is String, not a number; numeric fields: share, workers"),
                  std::string::npos)
            << e.what();
    }
    const MapLayer l = grid("workers");
    EXPECT_EQ(l.values[0], (std::vector<double>{1000, 2000, 3000, 4000, 5000, 6000}));
    EXPECT_TRUE(std::isnan(grid().values[0][4]));
}

TEST(RunMaps, DefaultMapsNamesAndKinds) {
    const auto maps = default_run_maps(run_dir());
    std::vector<std::string> names;
    for (const auto& m : maps) names.push_back(run_map_file_name(m));
    EXPECT_EQ(names, (std::vector<std::string>{"coverage-baseline", "coverage-agents", "coverage-all", "gap-baseline",
                                               "gap-agents", "probability-baseline", "probability-agents",
                                               "change-agents", "uncertainty-agents"}));
    EXPECT_EQ(parse_map_kind("gap"), MapKind::gap);
    try {
        parse_map_kind("coverag");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "--kind: 'coverag' is not a map kind (did you mean 'coverage'?) (expected coverage, gap, probability, "
                  "change, uncertainty)");
    }
    EXPECT_EQ(run_map_file_name({MapKind::change, "1 desa/100"}), "change-1_desa_100");
}

TEST(RunMaps, RenderedMapsHoldEveryRegion) {
    RunMapOptions o;
    o.size = {600, 600, 144};
    const auto count = [](const std::string& svg) {
        int n = 0;
        for (const auto& [c, k] : region_paths_by_fill(svg)) n += k;
        return n;
    };
    EXPECT_EQ(count(render_run_map(run_dir(), {MapKind::coverage, "baseline"}, o)), 6);
    EXPECT_EQ(count(render_run_map(run_dir(), {MapKind::coverage, ""}, o)), 12);
    EXPECT_EQ(count(render_run_map(run_dir(), {MapKind::change, ""}, o)), 6); // all but the baseline
    EXPECT_THROW(render_run_map(run_dir(), {MapKind::change, "baseline"}, o), InputError);
    try {
        render_run_map(run_dir(), {MapKind::gap, "agent"}, o);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no variant 'agent' (did you mean 'agents'?)"), std::string::npos) << e.what();
    }
    o.format = Format::png;
    const Image img = decode_png(render_run_map(run_dir(), {MapKind::probability, "agents"}, o));
    EXPECT_EQ(img.width, 600);
}

namespace {
// Legend ranges (text before the count) and their counts.
std::vector<std::string> legend_ranges(const std::vector<std::string>& t) {
    std::vector<std::string> out;
    for (const auto& s : t)
        if (s.find('%') != std::string::npos && s.find("  (") != std::string::npos) out.push_back(s.substr(0, s.find("  (")));
    return out;
}
std::vector<std::string> legend_counts(const std::vector<std::string>& t) {
    std::vector<std::string> out;
    for (const auto& s : t)
        if (s.find('%') != std::string::npos && s.find("  (") != std::string::npos) out.push_back(s.substr(s.find("  (")));
    return out;
}
bool has_text(const std::vector<std::string>& t, const std::string& s) { return std::find(t.begin(), t.end(), s) != t.end(); }
} // namespace

TEST(RunMaps, SharedBreaksGiveTheVariantsOneSetOfClassesAndSaySo) {
    RunMapOptions o;
    o.lang = Lang::en;
    o.shared_breaks = true;
    const auto a = run_map_texts(run_dir(), {MapKind::coverage, "baseline"}, o);
    const auto b = run_map_texts(run_dir(), {MapKind::coverage, "agents"}, o);
    EXPECT_FALSE(legend_ranges(a).empty());
    EXPECT_EQ(legend_ranges(a), legend_ranges(b));
    EXPECT_TRUE(has_text(a, "classes shared by every variant"));
    o.lang = Lang::id;
    EXPECT_TRUE(has_text(run_map_texts(run_dir(), {MapKind::coverage, "agents"}, o), "kelas sama untuk semua varian"));
    EXPECT_TRUE(has_text(run_map_texts(run_dir(), {MapKind::change, ""}, o), "kelas sama untuk semua varian selain baseline"));
}

TEST(RunMaps, ASingleMapGetsItsOwnClassesWithoutEmptyOnes) {
    RunMapOptions o;
    o.lang = Lang::en;
    for (const char* variant : {"baseline", "agents"}) {
        const auto own = run_map_texts(run_dir(), {MapKind::coverage, variant}, o);
        EXPECT_FALSE(has_text(own, "classes shared by every variant")) << variant;
        const auto counts = legend_counts(own);
        ASSERT_FALSE(counts.empty()) << variant;
        for (const auto& c : counts) EXPECT_NE(c, "  (0)") << variant;
    }
    // Small multiples share their classes and say so.
    EXPECT_TRUE(has_text(run_map_texts(run_dir(), {MapKind::coverage, ""}, o), "classes shared by every variant"));
}

TEST(RunMaps, OneOpenedRunDrawsEveryMapAsAFreshOpeningDoes) {
    // RunMaps keeps summary.json and the variant layers between maps; each map must still be
    // the one a fresh opening of the run draws, in any order and whatever was drawn before.
    const RunMaps maps(run_dir());
    const auto requests = maps.defaults();
    const auto fresh = default_run_maps(run_dir());
    ASSERT_EQ(requests.size(), fresh.size());
    RunMapOptions o;
    o.lang = Lang::en;
    o.size = {600, 600, 144};
    for (std::size_t i = 0; i < requests.size(); ++i) {
        EXPECT_EQ(run_map_file_name(requests[i]), run_map_file_name(fresh[i]));
        EXPECT_EQ(maps.texts(requests[i], o), run_map_texts(run_dir(), requests[i], o)) << run_map_file_name(requests[i]);
    }
    o.format = Format::png; // Cairo numbers SVG surfaces per process, so compare pixels
    for (auto it = requests.rbegin(); it != requests.rend(); ++it)
        EXPECT_EQ(maps.render(*it, o), render_run_map(run_dir(), *it, o)) << run_map_file_name(*it);
    EXPECT_THROW(maps.render({MapKind::change, "baseline"}, o), InputError);
    EXPECT_THROW(RunMaps(run_dir() + "/no-such-run"), InputError);
}
