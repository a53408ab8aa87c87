// read_boundaries: the Babel kab/kota layer in every format, repairs, NULL geometries, and the
// one-line errors for files that cannot be used.
#include "cakupan/geo/boundaries.hpp"
#include "cakupan/common/error.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <ostream>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using test::data;

// The GeoPackage is the reference; every copy is compared with it region by region (by id,
// since the FlatGeobuf writer reorders features along its spatial index).
class BabelKabkota : public ::testing::Test {
protected:
    static const RegionTable& ref() { return test::babel("kabkota").table; }
};

TEST_F(BabelKabkota, IdsNamesAndFields) {
    EXPECT_THAT(ref().ids, ElementsAre("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"));
    EXPECT_EQ(ref().names[0], "Kabupaten Bangka");
    EXPECT_EQ(ref().names[6], "Kota Pangkal Pinang");
    EXPECT_EQ(ref().layer, "kabkota");
    EXPECT_EQ(ref().id_field, "kode");
    EXPECT_EQ(ref().name_field, "nama");
    EXPECT_EQ(ref().crs, "WGS 84 (EPSG:4326)");
    EXPECT_EQ(ref().shapes.region_count(), 7u);
    ASSERT_TRUE(ref().find("19.71"));
    EXPECT_EQ(*ref().find("19.71"), 6u);
    EXPECT_FALSE(ref().find("19.7"));
}

// Four kab/kota polygons are invalid under GEOS (README of geodata): each repair is named once.
TEST_F(BabelKabkota, RepairsAreCountedInOneWarning) {
    const Diagnostics& notes = test::babel("kabkota").notes;
    EXPECT_EQ(notes.error_count(), 0u);
    EXPECT_THAT(test::lines(notes),
                ElementsAre("warning: " + test::babel_gpkg() +
                            ": layer kabkota: 4 invalid geometries repaired with MakeValid: 19.02, 19.03, 19.05, 19.06"));
}

TEST_F(BabelKabkota, AreasMatchAnIndependentComputation) {
    double total = 0;
    for (std::size_t r = 0; r < ref().size(); ++r) {
        const double expected = test::region_area_km2(ref().shapes, r);
        // Edges are straight lines in different projections (azimuthal there, cylindrical here);
        // over the km-long edges of these simplified polygons that makes up to 2e-5 (19.04).
        EXPECT_NEAR(ref().area_km2[static_cast<Eigen::Index>(r)], expected, 1e-4 * expected) << ref().ids[r];
        total += expected;
    }
    EXPECT_NEAR(ref().area_km2.sum(), total, 1e-4 * total);
    // Babel is about 16,700 km² in this layer; a bound against unit mix-ups (m², degrees²).
    EXPECT_GT(total, 16000.0);
    EXPECT_LT(total, 17500.0);
}

TEST_F(BabelKabkota, CentroidsLieInsideTheProvinceExtent) {
    for (std::size_t r = 0; r < ref().size(); ++r) {
        const auto k = static_cast<Eigen::Index>(r);
        EXPECT_GT(ref().centroid_lon[k], 105.1) << ref().ids[r];
        EXPECT_LT(ref().centroid_lon[k], 108.9) << ref().ids[r];
        EXPECT_GT(ref().centroid_lat[k], -3.9) << ref().ids[r];
        EXPECT_LT(ref().centroid_lat[k], -1.4) << ref().ids[r];
    }
}

struct Copy {
    const char* file;
    double relative_tolerance; // same vertices: rounding only; UTM: reprojected vertices
};

void PrintTo(const Copy& c, std::ostream* os) { *os << c.file; }

class BabelKabkotaCopy : public BabelKabkota, public ::testing::WithParamInterface<Copy> {};

TEST_P(BabelKabkotaCopy, SameRegionsAndAreasAsTheGeoPackage) {
    Diagnostics notes;
    BoundaryOptions o;
    o.path = data(GetParam().file);
    const RegionTable t = read_boundaries(o, notes);
    EXPECT_EQ(notes.error_count(), 0u);
    ASSERT_EQ(t.size(), ref().size());
    const double tol = GetParam().relative_tolerance;
    for (std::size_t r = 0; r < ref().size(); ++r) {
        const auto i = t.find(ref().ids[r]);
        ASSERT_TRUE(i) << ref().ids[r];
        EXPECT_EQ(t.names[*i], ref().names[r]);
        const double a = ref().area_km2[static_cast<Eigen::Index>(r)];
        EXPECT_NEAR(t.area_km2[static_cast<Eigen::Index>(*i)], a, tol * a) << ref().ids[r];
    }
    EXPECT_NEAR(t.area_km2.sum(), ref().area_km2.sum(), tol * ref().area_km2.sum());
}

INSTANTIATE_TEST_SUITE_P(Formats, BabelKabkotaCopy,
                         ::testing::Values(Copy{"babel_kabkota.shp", 1e-9}, Copy{"babel_kabkota.geojson", 1e-9},
                                           Copy{"babel_kabkota.fgb", 1e-9},
                                           Copy{"babel_kabkota_utm48s.shp", 1e-3}),
                         [](const auto& p) {
                             std::string n = p.param.file;
                             for (auto& c : n) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

// Any program that reads two layers (a run with villages and kab/kota, these tests) reads more
// than once per process; every read must give the same table, and none may crash. A hundred reads
// of a tiny layer, because a data race between the reader's threads shows only now and then.
TEST(Boundaries, ReadingAgainInOneProcessGivesTheSameTable) {
    Diagnostics first_notes;
    const RegionTable first = test::read(data("squares.geojson"), "", first_notes);
    for (int i = 0; i < 100; ++i) {
        Diagnostics notes;
        const RegionTable again = test::read(data("squares.geojson"), "", notes);
        ASSERT_EQ(again.ids, first.ids);
        ASSERT_TRUE((again.area_km2 == first.area_km2).all());
        ASSERT_EQ(again.shapes.x, first.shapes.x);
        ASSERT_EQ(test::lines(notes), test::lines(first_notes));
    }
}

TEST(Boundaries, WithinKeepsTheRegionsOfOneProvince) {
    Diagnostics notes;
    BoundaryOptions o;
    o.path = test::geodata("boundaries/idn_kabkota.gpkg");
    o.within = "19";
    const RegionTable t = read_boundaries(o, notes);
    EXPECT_THAT(t.ids, ElementsAre("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"));
    EXPECT_EQ(t.shapes.region_count(), 7u);
}

TEST(Boundaries, ProjectedCopyDeclaresItsCrs) {
    Diagnostics notes;
    const RegionTable t = test::read(data("babel_kabkota_utm48s.shp"), "", notes);
    EXPECT_EQ(t.crs, "WGS 84 / UTM zone 48S (EPSG:32748)");
    // Shapes are always lon/lat, whatever the source CRS.
    EXPECT_GT(t.shapes.x.front(), 100.0);
    EXPECT_LT(t.shapes.x.front(), 110.0);
}

TEST(Boundaries, TopoJsonSquaresHaveTheirExactArea) {
    Diagnostics notes;
    const RegionTable t = test::read(data("two_squares.topojson"), "", notes);
    EXPECT_THAT(t.ids, ElementsAre("19.01", "19.02"));
    EXPECT_THAT(t.names, ElementsAre("Barat", "Timur"));
    const double west = test::rectangle_area_km2(106.0, -2.1, 106.1, -2.0);
    const double east = test::rectangle_area_km2(106.1, -2.1, 106.2, -2.0);
    EXPECT_NEAR(t.area_km2[0], west, 1e-6 * west);
    EXPECT_NEAR(t.area_km2[1], east, 1e-6 * east);
    // TopoJSON declares no CRS: the assumption is said, not silent.
    EXPECT_THAT(test::lines(notes),
                ElementsAre("warning: " + data("two_squares.topojson") +
                            ": layer kabkota: declares no CRS; assuming longitude/latitude on WGS 84 (EPSG:4326)"));
}

TEST(Boundaries, BowTieIsRepairedIntoTwoTriangles) {
    Diagnostics notes;
    const RegionTable t = test::read(data("bowtie.geojson"), "", notes);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_THAT(test::lines(notes), ElementsAre("warning: " + data("bowtie.geojson") +
                                                ": layer bowtie: 1 invalid geometry repaired with MakeValid: 19.02"));
    // The two triangles of the bow-tie each cover a quarter of its bounding square.
    const double square = test::rectangle_area_km2(106.1, -2.1, 106.2, -2.0);
    EXPECT_NEAR(t.area_km2[1], square / 2, 1e-4 * square);
    EXPECT_EQ(t.shapes.region_start[2] - t.shapes.region_start[1], 2u) << "two parts";
    EXPECT_NEAR(t.area_km2[0], test::rectangle_area_km2(106.0, -2.1, 106.1, -2.0), 1e-4 * square);
}

TEST(Boundaries, NullGeometryIsKeptWithoutShapeAndReported) {
    Diagnostics notes;
    const RegionTable t = test::read(data("null_geometry.geojson"), "", notes);
    EXPECT_THAT(t.ids, ElementsAre("19.01", "19.02", "19.03"));
    EXPECT_EQ(t.shapes.region_count(), 3u);
    EXPECT_FALSE(t.shapes.empty_region(0));
    EXPECT_TRUE(t.shapes.empty_region(1));
    EXPECT_FALSE(t.shapes.empty_region(2));
    EXPECT_EQ(t.area_km2[1], 0.0);
    EXPECT_TRUE(std::isnan(t.centroid_lon[1]));
    EXPECT_TRUE(std::isnan(t.centroid_lat[1]));
    EXPECT_THAT(test::lines(notes),
                ElementsAre("warning: " + data("null_geometry.geojson") +
                            ": layer null_geometry: 1 region(s) with NULL or empty geometry, kept without a shape: 19.02"));
}

TEST(Boundaries, LayerIsChosenByName) {
    Diagnostics notes;
    const RegionTable t = test::read(data("two_layers.gpkg"), "provinsi", notes);
    EXPECT_THAT(t.ids, ElementsAre("19"));
    const double both = test::rectangle_area_km2(106.0, -2.1, 106.2, -2.0);
    EXPECT_NEAR(t.area_km2[0], both, 1e-6 * both);
}

TEST(Boundaries, FieldsCanBeNamedWhenNotDetected) {
    Diagnostics notes;
    BoundaryOptions o;
    o.path = data("wrong_field.geojson");
    o.id_field = "nomor";
    o.name_field = "label";
    const RegionTable t = read_boundaries(o, notes);
    EXPECT_THAT(t.ids, ElementsAre("1", "2"));
    EXPECT_THAT(t.names, ElementsAre("Barat", "Timur"));
}

TEST(Boundaries, AssumedCrsMakesProjectedCoordinatesUsable) {
    Diagnostics notes;
    BoundaryOptions o;
    o.path = data("utm_no_crs.shp");
    o.assume_crs = "EPSG:32748";
    const RegionTable t = read_boundaries(o, notes);
    ASSERT_EQ(t.size(), 2u);
    const double west = test::rectangle_area_km2(106.0, -2.1, 106.1, -2.0);
    EXPECT_NEAR(t.area_km2[0], west, 1e-3 * west);
}

// Each unusable input: exactly one InputError whose text names the file, the problem and the way out.
struct Broken {
    const char* name;
    const char* file;
    const char* layer;
    const char* id_field;
    const char* message; // after "<path>: "
};

void PrintTo(const Broken& b, std::ostream* os) { *os << b.file; }

class BrokenBoundaries : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenBoundaries, ThrowsOneClearInputError) {
    const Broken& b = GetParam();
    BoundaryOptions o;
    o.path = data(b.file);
    o.layer = b.layer;
    o.id_field = b.id_field;
    Diagnostics notes;
    try {
        read_boundaries(o, notes);
        FAIL() << "no error for " << b.file;
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), o.path + ": " + b.message);
        EXPECT_EQ(e.exit_code(), ExitCode::input_data);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenBoundaries,
    ::testing::Values(
        Broken{"missing_file", "no_such_file.gpkg", "", "", "file not found"},
        Broken{"missing_dbf", "no_dbf.shp", "", "",
               "shapefile is missing its attribute table no_dbf.dbf (a shapefile needs .shp, .shx and .dbf side by side)"},
        Broken{"layer_not_chosen", "two_layers.gpkg", "", "", "holds 2 layers, choose one with --layer: kabkota, provinsi"},
        Broken{"unknown_layer", "two_layers.gpkg", "kabkot", "",
               "no layer 'kabkot' (did you mean 'kabkota'?); layers: kabkota, provinsi"},
        Broken{"no_id_field", "wrong_field.geojson", "", "",
               "layer wrong_field: cannot tell which field holds the id; choose one with --id-field; fields: nomor, label"},
        Broken{"unknown_id_field", "wrong_field.geojson", "", "nomer",
               "layer wrong_field: no id field 'nomer' (did you mean 'nomor'?); fields: nomor, label"},
        Broken{"duplicate_ids", "duplicate_ids.geojson", "", "",
               "layer duplicate_ids: 1 duplicate id(s) in field 'kode': 19.01 (feature ids 0, 2)"},
        Broken{"points", "points.geojson", "", "",
               "layer points: feature 0 (id 19.01): geometry is Point; boundaries must be polygons"},
        Broken{"projected_without_crs", "utm_no_crs.shp", "", "",
               "layer utm_no_crs: declares no CRS and its coordinates are not longitude/latitude; "
               "name the CRS with --crs (e.g. --crs EPSG:32748)"},
        Broken{"table_without_geometry", "stats_good.csv", "", "",
               "layer stats_good: has no geometry column; boundaries need polygons"}),
    [](const auto& p) { return std::string(p.param.name); });

} // namespace
} // namespace cakupan
