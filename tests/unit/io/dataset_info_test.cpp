// describe_dataset: what `cakupan info` reports about the bundled GeoPackage and small fixtures.
#include "cakupan/io/dataset_info.hpp"
#include "cakupan/common/error.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(DatasetInfo, BabelGeoPackageLayers) {
    const DatasetInfo info = describe_dataset(test::babel_gpkg());
    EXPECT_EQ(info.driver, "GPKG");
    ASSERT_EQ(info.layers.size(), 4u);
    std::vector<std::string> names;
    std::vector<long long> features, invalid, nulls, empties;
    for (const auto& l : info.layers) {
        names.push_back(l.name);
        features.push_back(l.feature_count);
        invalid.push_back(l.invalid_geometries);
        nulls.push_back(l.null_geometries);
        empties.push_back(l.empty_geometries);
        EXPECT_EQ(l.crs, "WGS 84 (EPSG:4326)") << l.name;
        EXPECT_TRUE(l.has_extent) << l.name;
        EXPECT_GT(l.vertex_count, 0) << l.name;
        std::vector<std::string> fields;
        for (const auto& f : l.fields) fields.push_back(f.name + ":" + f.type);
        EXPECT_THAT(fields, ElementsAre("kode:String", "nama:String", "lat:Real", "lng:Real")) << l.name;
    }
    EXPECT_THAT(names, ElementsAre("provinsi", "kabkota", "kecamatan", "desa"));
    EXPECT_THAT(features, ElementsAre(1, 7, 47, 391));
    EXPECT_THAT(invalid, ElementsAre(1, 4, 11, 0)); // as the geodata README records
    EXPECT_THAT(nulls, ElementsAre(0, 0, 0, 0));
    EXPECT_THAT(empties, ElementsAre(0, 0, 0, 0));
    // Babel lies between 105.1 and 108.9 E, 1.5 and 3.8 S.
    const auto& p = info.layers[0];
    EXPECT_NEAR(p.min_x, 105.1085, 1e-3);
    EXPECT_NEAR(p.max_x, 108.8718, 1e-3);
    EXPECT_NEAR(p.min_y, -3.8016, 1e-3);
    EXPECT_NEAR(p.max_y, -1.4936, 1e-3);
}

TEST(DatasetInfo, OneLayerOnRequest) {
    const DatasetInfo info = describe_dataset(test::babel_gpkg(), "desa");
    ASSERT_EQ(info.layers.size(), 1u);
    EXPECT_EQ(info.layers[0].feature_count, 391);
    EXPECT_EQ(info.layers[0].vertex_count, 69909);
}

TEST(DatasetInfo, UnknownLayerSuggestsTheNearest) {
    try {
        describe_dataset(test::babel_gpkg(), "kecamatn");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), test::babel_gpkg() +
                                             ": no layer 'kecamatn' (did you mean 'kecamatan'?); layers: provinsi, "
                                             "kabkota, kecamatan, desa");
    }
}

TEST(DatasetInfo, CountsNullAndInvalidGeometries) {
    EXPECT_EQ(describe_dataset(test::data("null_geometry.geojson")).layers.at(0).null_geometries, 1);
    const auto bowtie = describe_dataset(test::data("bowtie.geojson")).layers.at(0);
    EXPECT_EQ(bowtie.invalid_geometries, 1);
    EXPECT_EQ(bowtie.vertex_count, 10);
}

TEST(DatasetInfo, TableHasNoGeometry) {
    const auto l = describe_dataset(test::data("stats_good.csv")).layers.at(0);
    EXPECT_EQ(l.geometry_type, "None");
    EXPECT_EQ(l.feature_count, 7);
    EXPECT_FALSE(l.has_extent);
    EXPECT_EQ(l.null_geometries, 0);
}

TEST(DatasetInfo, TextReport) {
    const std::string text = to_text(describe_dataset(test::babel_gpkg(), "kabkota"));
    EXPECT_THAT(text, HasSubstr(test::babel_gpkg() + " (GPKG): 1 layer\n"));
    EXPECT_THAT(text, HasSubstr("  features:  7\n"));
    EXPECT_THAT(text, HasSubstr("  geometry problems: 4 invalid, 0 NULL, 0 empty\n"));
    EXPECT_THAT(text, HasSubstr("  fields (4): kode:String nama:String lat:Real lng:Real\n"));
}

TEST(DatasetInfo, JsonReportParses) {
    const auto doc = nlohmann::json::parse(to_json(describe_dataset(test::babel_gpkg())));
    EXPECT_EQ(doc.at("driver"), "GPKG");
    ASSERT_EQ(doc.at("layers").size(), 4u);
    EXPECT_EQ(doc["layers"][2]["name"], "kecamatan");
    EXPECT_EQ(doc["layers"][2]["feature_count"], 47);
    EXPECT_EQ(doc["layers"][2]["invalid_geometries"], 11);
    EXPECT_EQ(doc["layers"][2]["extent"].size(), 4u);
    EXPECT_EQ(doc["layers"][2]["fields"][0]["name"], "kode");
}

} // namespace
} // namespace cakupan
