// QGIS styles: the QML and SLD documents parse as XML and carry the given classes; a run's
// regions.gpkg holds one default style per variant view in QGIS's layer_styles table, with the
// breaks, labels and colours of the run's coverage map.
#include "cakupan/render/qgis_style.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/run/run_output.hpp"
#include "scenario_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

namespace cakupan::render {
namespace {

struct XmlDoc {
    xmlDocPtr doc = nullptr;
    explicit XmlDoc(const std::string& text)
        : doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "style.xml", nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {}
    ~XmlDoc() { xmlFreeDoc(doc); }
    XmlDoc(const XmlDoc&) = delete;
    XmlDoc& operator=(const XmlDoc&) = delete;
    xmlNodePtr root() const { return xmlDocGetRootElement(doc); }
};

std::string name_of(xmlNodePtr n) { return reinterpret_cast<const char*>(n->name); }
std::string attr(xmlNodePtr n, const char* a) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(a));
    std::string out = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
}
std::string text_of(xmlNodePtr n) {
    xmlChar* v = xmlNodeGetContent(n);
    std::string out = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return out;
}
// Every element named `name` below n, in document order.
void find_all(xmlNodePtr n, const std::string& name, std::vector<xmlNodePtr>& out) {
    for (xmlNodePtr c = n->children; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (name_of(c) == name) out.push_back(c);
        find_all(c, name, out);
    }
}
std::vector<xmlNodePtr> find_all(xmlNodePtr n, const std::string& name) {
    std::vector<xmlNodePtr> out;
    find_all(n, name, out);
    return out;
}

struct Range {
    double lower, upper;
    std::string label, colour; // colour as QGIS writes it: "r,g,b,a"
};

// The graduated renderer's ranges of a QML document with the fill colour of each range's symbol.
std::vector<Range> qml_ranges(const std::string& qml, std::string& attr_name) {
    const XmlDoc d(qml);
    if (d.doc == nullptr) throw std::runtime_error("QML is not well-formed XML");
    EXPECT_EQ(name_of(d.root()), "qgis");
    const auto renderer = find_all(d.root(), "renderer-v2");
    EXPECT_EQ(renderer.size(), 1u);
    EXPECT_EQ(attr(renderer.at(0), "type"), "graduatedSymbol");
    attr_name = attr(renderer.at(0), "attr");
    std::map<std::string, std::string> fill; // symbol name -> colour
    for (xmlNodePtr s : find_all(d.root(), "symbol"))
        for (xmlNodePtr p : find_all(s, "prop"))
            if (attr(p, "k") == "color") fill[attr(s, "name")] = attr(p, "v");
    std::vector<Range> out;
    for (xmlNodePtr r : find_all(d.root(), "range"))
        out.push_back({std::stod(attr(r, "lower")), std::stod(attr(r, "upper")), attr(r, "label"), fill.at(attr(r, "symbol"))});
    return out;
}

LayerStyle three_classes() {
    LayerStyle s;
    s.field = "coverage_p50";
    s.ranges = {{0.1, 0.2, {1, 1, 0.8}, "10% – 20%"}, {0.2, 0.35, {0.5, 0.75, 0.25}, "<20% & \"more\">"}, {0.35, 0.9, {0, 0, 0}, "x"}};
    return s;
}

TEST(QgisStyle, QmlParsesAndCarriesTheRanges) {
    std::string field;
    const auto ranges = qml_ranges(style_qml(three_classes()), field);
    EXPECT_EQ(field, "coverage_p50");
    ASSERT_EQ(ranges.size(), 3u);
    EXPECT_EQ(ranges[0].lower, 0.1);
    EXPECT_EQ(ranges[0].upper, 0.2);
    EXPECT_EQ(ranges[1].upper, 0.35);
    EXPECT_EQ(ranges[2].upper, 0.9);
    EXPECT_EQ(ranges[0].colour, "255,255,204,255");
    EXPECT_EQ(ranges[1].colour, "128,191,64,255");
    EXPECT_EQ(ranges[1].label, "<20% & \"more\">"); // escaped and read back
}

TEST(QgisStyle, SldIsAnSld11DocumentWithOneRulePerClass) {
    const XmlDoc d(style_sld(three_classes(), "baseline"));
    ASSERT_NE(d.doc, nullptr);
    EXPECT_EQ(name_of(d.root()), "StyledLayerDescriptor");
    EXPECT_EQ(attr(d.root(), "version"), "1.1.0");
    const auto rules = find_all(d.root(), "Rule");
    ASSERT_EQ(rules.size(), 3u);
    // Class 0 closed below, later ones open below: a value on a break goes to the lower class.
    EXPECT_EQ(find_all(rules[0], "PropertyIsGreaterThanOrEqualTo").size(), 1u);
    EXPECT_EQ(find_all(rules[1], "PropertyIsGreaterThan").size(), 1u);
    const auto literals = find_all(rules[1], "Literal");
    ASSERT_EQ(literals.size(), 2u);
    EXPECT_EQ(text_of(literals[0]), "0.2");
    EXPECT_EQ(text_of(literals[1]), "0.35");
    const auto params = find_all(rules[1], "SvgParameter");
    ASSERT_FALSE(params.empty());
    EXPECT_EQ(attr(params[0], "name"), "fill");
    EXPECT_EQ(text_of(params[0]), "#80bf40");
    EXPECT_EQ(text_of(find_all(rules[1], "Title").at(0)), "<20% & \"more\">");
}

// The fill colours of an SVG map drawn by cairo ("fill:rgb(100%,100%,80%)") as 0..255 triples.
std::vector<std::array<int, 3>> svg_fills(const std::string& svg) {
    std::vector<std::array<int, 3>> out;
    const std::regex re(R"(fill:rgb\(([0-9.]+)%,([0-9.]+)%,([0-9.]+)%\))");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back({static_cast<int>(std::lround(std::stod((*it)[1]) * 2.55)), static_cast<int>(std::lround(std::stod((*it)[2]) * 2.55)),
                       static_cast<int>(std::lround(std::stod((*it)[3]) * 2.55))});
    return out;
}

TEST(QgisStyle, RunGeoPackageHoldsTheCoverageMapStyleOfEveryVariant) {
    const auto loaded = test::load(test::scenario_file("small.toml"));
    const RunResult result = test::run(*loaded, Mode::stochastic, 20);
    test::TempDir tmp;
    OutputOptions o;
    o.dir = tmp / "run";
    const RunData run = write_run_outputs(loaded->in, result, o);

    GDALAllRegister();
    GDALDataset* ds = GDALDataset::FromHandle(
        GDALOpenEx((tmp / "run/regions.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_NE(styles, nullptr);
    const RunMaps maps(run);
    std::set<std::string> tables;
    std::size_t rows = 0;
    styles->ResetReading();
    for (OGRFeature* f = styles->GetNextFeature(); f != nullptr; f = styles->GetNextFeature(), ++rows) {
        const std::string table = f->GetFieldAsString("f_table_name");
        tables.insert(table);
        EXPECT_EQ(f->GetFieldAsInteger("useAsDefault"), 1) << table;
        EXPECT_STREQ(f->GetFieldAsString("f_geometry_column"), "geom");
        EXPECT_NE(ds->GetLayerByName(table.c_str()), nullptr) << table << " is a layer of the GeoPackage";
        std::string field;
        const auto ranges = qml_ranges(f->GetFieldAsString("styleQML"), field);
        EXPECT_EQ(field, "coverage_p50");
        ASSERT_EQ(ranges.size(), 5u) << "five quantile classes, as the map";
        // A single variant's map has classes of its own: from its lowest to its highest median.
        double lo = INFINITY, hi = -INFINITY;
        for (const auto& v : run.summary.variants)
            if (v.name == table)
                for (const auto& g : v.regions) lo = std::min(lo, g.coverage_end.p50), hi = std::max(hi, g.coverage_end.p50);
        EXPECT_EQ(ranges.front().lower, lo);
        EXPECT_EQ(ranges.back().upper, hi);
        for (std::size_t k = 0; k + 1 < ranges.size(); ++k) EXPECT_EQ(ranges[k].upper, ranges[k + 1].lower);
        // The labels are the map legend's ranges, the colours the map's fills.
        const auto texts = maps.texts({MapKind::coverage, table}, RunMapOptions{});
        RunMapOptions svg;
        svg.format = Format::svg;
        const auto fills = svg_fills(maps.render({MapKind::coverage, table}, svg));
        for (const auto& r : ranges) {
            EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(r.label) != std::string::npos; }))
                << r.label << " is not in the legend of the coverage map of " << table;
            int c[3] = {0, 0, 0};
            ASSERT_EQ(std::sscanf(r.colour.c_str(), "%d,%d,%d", &c[0], &c[1], &c[2]), 3);
            EXPECT_TRUE(std::any_of(fills.begin(), fills.end(), [&](const std::array<int, 3>& s) {
                return std::abs(s[0] - c[0]) <= 1 && std::abs(s[1] - c[1]) <= 1 && std::abs(s[2] - c[2]) <= 1;
            })) << r.colour << " is not a fill of the coverage map of " << table;
        }
        const XmlDoc sld(f->GetFieldAsString("styleSLD"));
        EXPECT_NE(sld.doc, nullptr) << "SLD of " << table << " is well-formed";
        OGRFeature::DestroyFeature(f);
    }
    EXPECT_EQ(rows, run.summary.variants.size());
    EXPECT_EQ(tables, (std::set<std::string>{"baseline", "combined"}));
    GDALClose(ds);
}

// A village run's kecamatan (the `parents` layer) open in QGIS as on the maps: a default style
// without fill, dark outlines and the name field as labels with a halo; the SLD says the same.
TEST(QgisStyle, ParentsLayerOpensOutlinedAndNamed) {
    const auto loaded = test::load(test::source("scenarios/tanah-bumbu-1desa100.toml"));
    const RunResult result = test::run(*loaded, Mode::expected, 1);
    test::TempDir tmp;
    OutputOptions o;
    o.dir = tmp / "run";
    o.parent_regions = true;
    write_run_outputs(loaded->in, result, o);
    GDALAllRegister();
    GDALDataset* ds = GDALDataset::FromHandle(
        GDALOpenEx((tmp / "run/regions.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    ASSERT_NE(ds->GetLayerByName("parents"), nullptr);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_NE(styles, nullptr);
    std::size_t found = 0;
    styles->ResetReading();
    for (OGRFeature* f = styles->GetNextFeature(); f != nullptr; f = styles->GetNextFeature()) {
        if (std::string(f->GetFieldAsString("f_table_name")) == "parents") {
            ++found;
            EXPECT_EQ(f->GetFieldAsInteger("useAsDefault"), 1);
            const XmlDoc qml(f->GetFieldAsString("styleQML"));
            ASSERT_NE(qml.doc, nullptr) << "QML is well-formed";
            const auto renderer = find_all(qml.root(), "renderer-v2");
            ASSERT_EQ(renderer.size(), 1u);
            EXPECT_EQ(attr(renderer[0], "type"), "singleSymbol");
            std::map<std::string, std::string> props;
            for (xmlNodePtr p : find_all(qml.root(), "prop")) props[attr(p, "k")] = attr(p, "v");
            EXPECT_EQ(props["style"], "no") << "no fill: the variant's colours show through";
            EXPECT_EQ(props["outline_width"], "0.78");
            const auto text = find_all(qml.root(), "text-style");
            ASSERT_EQ(text.size(), 1u);
            EXPECT_EQ(attr(text[0], "fieldName"), "name");
            ASSERT_EQ(find_all(qml.root(), "text-buffer").size(), 1u);
            EXPECT_EQ(attr(find_all(qml.root(), "text-buffer")[0], "bufferDraw"), "1");
            const XmlDoc sld(f->GetFieldAsString("styleSLD"));
            ASSERT_NE(sld.doc, nullptr) << "SLD is well-formed";
            EXPECT_EQ(find_all(sld.root(), "TextSymbolizer").size(), 1u);
        }
        OGRFeature::DestroyFeature(f);
    }
    EXPECT_EQ(found, 1u);
    GDALClose(ds);
}

} // namespace
} // namespace cakupan::render
