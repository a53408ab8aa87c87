// Contiguity: known neighbours in Babel, the queen/rook rules on a hand-built grid, snapping across
// a gap, symmetry, row-standardised weights and the GAL text.
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/error.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

#include <array>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Rect = std::array<double, 4>; // lon0, lat0, lon1, lat1

ShapeSet rectangles(const std::vector<Rect>& rects) {
    ShapeSet s;
    for (const auto& [x0, y0, x1, y1] : rects) {
        s.begin_region();
        s.begin_part();
        const double xs[] = {x0, x1, x1, x0, x0}, ys[] = {y0, y0, y1, y1, y0};
        s.add_ring(xs, ys);
    }
    s.finish();
    return s;
}

// 3 x 3 squares of 0.125° (exact in binary, so shared corners are bit-identical), row by row
// from the south-west: 0 1 2 / 3 4 5 / 6 7 8; 4 is the centre.
ShapeSet grid3x3() {
    std::vector<Rect> rects;
    for (int row = 0; row < 3; ++row)
        for (int col = 0; col < 3; ++col)
            rects.push_back({106.0 + 0.125 * col, -2.0 + 0.125 * row, 106.125 + 0.125 * col, -1.875 + 0.125 * row});
    return rectangles(rects);
}

std::vector<std::uint32_t> of(const Adjacency& a, std::size_t i) { return {a.of(i).begin(), a.of(i).end()}; }

Adjacency build(const ShapeSet& s, ContiguityRule rule, double snap = 0.0) { return build_contiguity(s, {rule, snap}); }

TEST(Contiguity, QueenGridCountsCornersAsNeighbours) {
    const Adjacency a = build(grid3x3(), ContiguityRule::queen);
    ASSERT_EQ(a.size(), 9u);
    EXPECT_THAT(of(a, 4), ElementsAre(0, 1, 2, 3, 5, 6, 7, 8));
    EXPECT_THAT(of(a, 0), ElementsAre(1, 3, 4));
    EXPECT_THAT(of(a, 8), ElementsAre(4, 5, 7));
    EXPECT_EQ(of(a, 1).size(), 5u);
    EXPECT_EQ(a.link_count(), 2u * 20); // 12 edges + 8 diagonal corners
}

TEST(Contiguity, RookGridNeedsASharedEdge) {
    const Adjacency a = build(grid3x3(), ContiguityRule::rook);
    EXPECT_THAT(of(a, 4), ElementsAre(1, 3, 5, 7));
    EXPECT_THAT(of(a, 0), ElementsAre(1, 3));
    EXPECT_THAT(of(a, 2), ElementsAre(1, 5));
    EXPECT_THAT(of(a, 6), ElementsAre(3, 7));
    EXPECT_THAT(of(a, 8), ElementsAre(5, 7));
    EXPECT_EQ(a.link_count(), 2u * 12);
}

// Bricks: the lower one spans [0, 2], the upper [1, 3] (in 0.125° units), so they share the
// stretch [1, 2] of boundary but neither has a vertex at both ends of it. That is still an edge.
TEST(Contiguity, RookFindsAnEdgeSharedWithoutCommonVertices) {
    const double u = 0.125;
    const ShapeSet bricks = rectangles({{106.0, -2.0, 106.0 + 2 * u, -2.0 + u}, {106.0 + u, -2.0 + u, 106.0 + 3 * u, -2.0 + 2 * u}});
    EXPECT_THAT(of(build(bricks, ContiguityRule::queen), 0), ElementsAre(1));
    EXPECT_THAT(of(build(bricks, ContiguityRule::rook), 0), ElementsAre(1));
}

// Two squares about 1.1 km wide, 100 m apart: boundaries within the snap distance touch.
struct Gap {
    const char* name;
    double lat;       // latitude of the pair
    bool east_west;   // gap along a parallel (degrees of longitude shrink with latitude)
};

void PrintTo(const Gap& g, std::ostream* os) { *os << g.name; }

class SnapAcrossGap : public ::testing::TestWithParam<Gap> {};

TEST_P(SnapAcrossGap, NeighboursOnlyWhenTheSnapBridgesTheGap) {
    constexpr double metres_per_degree = 6371008.8 * M_PI / 180.0; // mean Earth radius
    const double side = 0.01, lat = GetParam().lat;
    ShapeSet pair;
    if (GetParam().east_west) {
        const double gap = 100.0 / (metres_per_degree * std::cos(lat * M_PI / 180.0));
        pair = rectangles({{106.0, lat, 106.0 + side, lat + side}, {106.0 + side + gap, lat, 106.0 + 2 * side + gap, lat + side}});
    } else {
        const double gap = 100.0 / metres_per_degree;
        pair = rectangles({{106.0, lat, 106.0 + side, lat + side}, {106.0, lat + side + gap, 106.0 + side, lat + 2 * side + gap}});
    }
    for (auto rule : {ContiguityRule::queen, ContiguityRule::rook}) {
        EXPECT_THAT(of(build(pair, rule, 0.0), 0), IsEmpty());
        EXPECT_THAT(of(build(pair, rule, 50.0), 0), IsEmpty());
        EXPECT_THAT(of(build(pair, rule, 150.0), 0), ElementsAre(1));
        EXPECT_THAT(of(build(pair, rule, 150.0), 1), ElementsAre(0));
    }
}

INSTANTIATE_TEST_SUITE_P(Directions, SnapAcrossGap,
                         ::testing::Values(Gap{"north_south_babel", -2.0, false}, Gap{"east_west_babel", -2.0, true},
                                           Gap{"east_west_60_north", 60.0, true}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Contiguity, SnapMustBeAFiniteNonNegativeDistance) {
    EXPECT_THROW(build(grid3x3(), ContiguityRule::queen, -1.0), UsageError);
    EXPECT_THROW(build(grid3x3(), ContiguityRule::queen, std::nan("")), UsageError);
    EXPECT_THROW(build(grid3x3(), ContiguityRule::queen, INFINITY), UsageError);
}

TEST(Contiguity, EmptyShapeSetHasNoRegions) {
    ShapeSet none;
    none.finish();
    EXPECT_EQ(build(none, ContiguityRule::queen).size(), 0u);
}

class BabelContiguity : public ::testing::Test {
protected:
    static const RegionTable& kabkota() { return test::babel("kabkota").table; }
    static const RegionTable& desa() { return test::babel("desa").table; }
    static std::set<std::string> neighbour_ids(const RegionTable& t, const Adjacency& a, const std::string& id) {
        std::set<std::string> out;
        for (auto j : a.of(*t.find(id))) out.insert(t.ids[j]);
        return out;
    }
};

// Kota Pangkal Pinang lies on the east coast of Bangka, between Kab. Bangka and Bangka Tengah.
TEST_F(BabelContiguity, PangkalPinangTouchesBangkaAndBangkaTengahOnly) {
    for (auto rule : {ContiguityRule::queen, ContiguityRule::rook}) {
        const Adjacency a = build(kabkota().shapes, rule);
        EXPECT_EQ(neighbour_ids(kabkota(), a, "19.71"), (std::set<std::string>{"19.01", "19.04"}));
    }
}

void expect_symmetric_sorted_without_self_links(const Adjacency& a) {
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto row = a.of(i);
        EXPECT_TRUE(std::is_sorted(row.begin(), row.end())) << i;
        EXPECT_TRUE(std::adjacent_find(row.begin(), row.end()) == row.end()) << i;
        for (auto j : row) {
            EXPECT_NE(j, i);
            const auto back = a.of(j);
            EXPECT_TRUE(std::binary_search(back.begin(), back.end(), static_cast<std::uint32_t>(i))) << i << " -> " << j;
        }
    }
}

TEST_F(BabelContiguity, VillageAdjacencyIsSymmetricAndQueenContainsRook) {
    for (double snap : {0.0, 200.0}) {
        SCOPED_TRACE(snap);
        const Adjacency queen = build(desa().shapes, ContiguityRule::queen, snap);
        const Adjacency rook = build(desa().shapes, ContiguityRule::rook, snap);
        ASSERT_EQ(queen.size(), 391u);
        expect_symmetric_sorted_without_self_links(queen);
        expect_symmetric_sorted_without_self_links(rook);
        for (std::size_t i = 0; i < rook.size(); ++i) {
            const auto q = queen.of(i), r = rook.of(i);
            EXPECT_TRUE(std::includes(q.begin(), q.end(), r.begin(), r.end())) << desa().ids[i];
        }
        EXPECT_GT(queen.link_count(), 391u); // villages of one island do touch
    }
}

// A larger snap can only add links.
TEST_F(BabelContiguity, SnappingOnlyAddsNeighbours) {
    const Adjacency exact = build(desa().shapes, ContiguityRule::queen, 0.0);
    const Adjacency snapped = build(desa().shapes, ContiguityRule::queen, 200.0);
    for (std::size_t i = 0; i < exact.size(); ++i) {
        const auto e = exact.of(i), s = snapped.of(i);
        EXPECT_TRUE(std::includes(s.begin(), s.end(), e.begin(), e.end())) << desa().ids[i];
    }
}

TEST_F(BabelContiguity, RowStandardisedRowsSumToOne) {
    const Adjacency a = build(desa().shapes, ContiguityRule::queen);
    const auto w = a.row_standardised();
    ASSERT_EQ(w.rows(), 391);
    ASSERT_EQ(w.cols(), 391);
    const Eigen::VectorXd sums = w * Eigen::VectorXd::Ones(391);
    const auto islands = a.islands();
    for (Eigen::Index i = 0; i < 391; ++i) {
        const bool island = std::binary_search(islands.begin(), islands.end(), static_cast<std::size_t>(i));
        EXPECT_NEAR(sums[i], island ? 0.0 : 1.0, 1e-12) << desa().ids[static_cast<std::size_t>(i)];
    }
}

// A region without geometry is an island: no neighbours, an empty row of weights.
TEST(Contiguity, NullGeometryIsAnIslandWithAnEmptyRow) {
    Diagnostics notes;
    const RegionTable t = test::read(test::data("null_geometry.geojson"), "", notes);
    const Adjacency a = build(t.shapes, ContiguityRule::queen);
    EXPECT_THAT(a.islands(), ElementsAre(1u));
    EXPECT_THAT(of(a, 0), ElementsAre(2));
    const auto w = a.row_standardised();
    EXPECT_EQ(w.row(1).nonZeros(), 0);
    EXPECT_EQ(w.coeff(0, 2), 1.0);
    EXPECT_EQ(w.coeff(2, 0), 1.0);
}

// Parses GAL text back into id -> neighbour ids, checking the counts it declares.
std::map<std::string, std::set<std::string>> gal_neighbours(const std::string& text, std::string& header) {
    std::istringstream in(text);
    std::getline(in, header);
    std::map<std::string, std::set<std::string>> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream head(line);
        std::string id;
        std::size_t k = 0;
        head >> id >> k;
        std::string list;
        std::getline(in, list);
        std::istringstream ids(list);
        auto& set = out[id];
        for (std::string n; ids >> n;) set.insert(n);
        EXPECT_EQ(set.size(), k) << id;
    }
    return out;
}

TEST_F(BabelContiguity, GalRoundTrips) {
    const Adjacency a = build(desa().shapes, ContiguityRule::queen, 200.0);
    const std::string gal = to_gal(a, desa().ids, desa().layer, desa().id_field);
    std::string header;
    const auto parsed = gal_neighbours(gal, header);
    EXPECT_EQ(header, "0 391 desa kode");
    ASSERT_EQ(parsed.size(), 391u);
    for (std::size_t i = 0; i < a.size(); ++i) {
        std::set<std::string> expected;
        for (auto j : a.of(i)) expected.insert(desa().ids[j]);
        EXPECT_EQ(parsed.at(desa().ids[i]), expected) << desa().ids[i];
    }
    EXPECT_EQ(std::count(gal.begin(), gal.end(), '\n'), 1 + 2 * 391);
}

TEST(Contiguity, GalOfTheGridIsExact) {
    const Adjacency a = build(grid3x3(), ContiguityRule::rook);
    const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    EXPECT_EQ(to_gal(a, ids, "grid", "kode"),
              "0 9 grid kode\n"
              "a 2\nb d\n"
              "b 3\na c e\n"
              "c 2\nb f\n"
              "d 3\na e g\n"
              "e 4\nb d f h\n"
              "f 3\nc e i\n"
              "g 2\nd h\n"
              "h 3\ne g i\n"
              "i 2\nf h\n");
}

} // namespace
} // namespace cakupan
