// Kemendagri codes nest by prefix: levels, parents, ancestors, and sums from one level to the next.
#include "cakupan/common/error.hpp"
#include "cakupan/geo/hierarchy.hpp"
#include "cakupan/io/statistics.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

namespace cakupan {
namespace {

using ::testing::ElementsAre;

TEST(Hierarchy, AdminLevelCountsSegments) {
    EXPECT_EQ(admin_level("19"), 1);
    EXPECT_EQ(admin_level("19.01"), 2);
    EXPECT_EQ(admin_level("19.01.01"), 3);
    EXPECT_EQ(admin_level("19.01.01.2001"), 4);
    EXPECT_EQ(admin_level(""), 0);
    EXPECT_EQ(admin_level_name(1), "province");
    EXPECT_EQ(admin_level_name(2), "kab/kota");
    EXPECT_EQ(admin_level_name(3), "kecamatan");
    EXPECT_EQ(admin_level_name(4), "village");
}

// `within` and region selectors rest on this: a code is within its ancestors, never within itself
// or a code that merely shares its first characters.
TEST(Hierarchy, IsWithinFollowsTheDots) {
    EXPECT_TRUE(is_within("19.05", "19"));
    EXPECT_TRUE(is_within("19.05.01.2001", "19.05"));
    EXPECT_FALSE(is_within("19.05", "19.05"));
    EXPECT_FALSE(is_within("19.71", "19.7"));
    EXPECT_FALSE(is_within("19.05", "19.0"));
    EXPECT_FALSE(is_within("190.01", "19"));
    EXPECT_FALSE(is_within("19.", "19"));
}

TEST(Hierarchy, ParentAndAncestor) {
    EXPECT_EQ(parent_code("19.01.01.2001"), "19.01.01");
    EXPECT_EQ(parent_code("19.01"), "19");
    EXPECT_EQ(parent_code("19"), "");
    EXPECT_EQ(ancestor_code("19.01.01.2001", 2), "19.01");
    EXPECT_EQ(ancestor_code("19.01.01.2001", 1), "19");
    EXPECT_EQ(ancestor_code("19.01.01.2001", 4), "19.01.01.2001");
    EXPECT_EQ(ancestor_code("19.71", 2), "19.71");
}

TEST(Hierarchy, LinkToParentsReportsOrphansAndWrongLevels) {
    Diagnostics diag;
    const auto links = link_to_parents({"19.01.01.2001", "19.71.02.1003", "19.09.01.2001", "19.01"}, {"19.01", "19.71"},
                                       diag, "test.csv");
    EXPECT_THAT(links, ElementsAre(0, 1, -1, -1));
    EXPECT_THAT(test::lines(diag), ElementsAre("error: test.csv: region 19.09.01.2001 has no kab/kota 19.09",
                                               "error: test.csv: region 19.01 is not below kab/kota level"));
}

// Counties to states by prefix lengths, and a level that is not known is named as such.
TEST(Hierarchy, LinkToParentsFollowsTheCodeStructure) {
    CodeStructure fips = CodeStructure::prefix_lengths({2, 5});
    fips.name_levels({"state", "county"});
    Diagnostics diag;
    const auto links = link_to_parents({"06037", "36001", "48001", "06"}, {"06", "36"}, diag, "counties.csv", fips);
    EXPECT_THAT(links, ElementsAre(0, 1, -1, -1));
    EXPECT_THAT(test::lines(diag), ElementsAre("error: counties.csv: region 48001 has no state 48",
                                               "error: counties.csv: region 06 is not below state level"));
    Diagnostics flat_diag;
    EXPECT_THAT(link_to_parents({"1"}, {"2"}, flat_diag, "x.csv", CodeStructure::flat()), ElementsAre(-1));
    EXPECT_THAT(test::lines(flat_diag),
                ElementsAre("error: x.csv: parent codes such as 2 have no level (codes do not nest (flat codes such as 2)), so no "
                            "region can be linked to them"));
}

TEST(Hierarchy, AggregateSkipsUnlinkedRowsAndChecksShapes) {
    Eigen::ArrayXXd v(3, 2);
    v << 1, 10, 2, 20, 4, 40;
    const Eigen::ArrayXXd sum = aggregate(v, {1, -1, 1}, 2);
    ASSERT_EQ(sum.rows(), 2);
    EXPECT_EQ(sum(0, 0), 0);
    EXPECT_EQ(sum(1, 0), 5);
    EXPECT_EQ(sum(1, 1), 50);
    EXPECT_THROW(aggregate(v, {0, 0}, 1), Error);
}

StatisticsTable read_geodata_stats(const std::string& name) {
    Diagnostics diag;
    auto t = read_statistics(StatisticsOptions{test::geodata("statistics/" + name), "", ""}, diag);
    EXPECT_TRUE(diag.items().empty()) << name << ": " << ::testing::PrintToString(test::lines(diag));
    return t;
}

// The bundled files are built so that each level sums exactly to the next: the 391 villages to
// the 47 kecamatan and the 7 kab/kota, the kab/kota to the province.
struct Levels {
    const char* children;
    const char* parents;
};

void PrintTo(const Levels& l, std::ostream* os) { *os << l.children << " -> " << l.parents; }

class BabelSums : public ::testing::TestWithParam<Levels> {};

TEST_P(BabelSums, ChildrenAddUpExactlyToParents) {
    const auto children = read_geodata_stats(GetParam().children);
    const auto parents = read_geodata_stats(GetParam().parents);
    Diagnostics diag;
    const auto links = link_to_parents(children.codes, parents.codes, diag, GetParam().children);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    const auto p = parents.size();
    EXPECT_TRUE((aggregate(children.workers, links, p) == parents.workers).all());
    EXPECT_TRUE((aggregate(children.active, links, p) == parents.active).all());
}

INSTANTIATE_TEST_SUITE_P(Geodata, BabelSums,
                         ::testing::Values(Levels{"babel_desa_2025-06.csv", "babel_kabkota_2025-06.csv"},
                                           Levels{"babel_desa_2025-06.csv", "babel_kecamatan_2025-06.csv"},
                                           Levels{"babel_kecamatan_2025-06.csv", "babel_kabkota_2025-06.csv"},
                                           Levels{"babel_kabkota_2025-06.csv", "babel_provinsi_2025-06.csv"}),
                         [](const auto& p) {
                             auto level = [](std::string s) { return s.substr(6, s.find('_', 6) - 6); };
                             return level(p.param.children) + "_to_" + level(p.param.parents);
                         });

TEST(Hierarchy, BabelHas391Villages) {
    const auto desa = read_geodata_stats("babel_desa_2025-06.csv");
    EXPECT_EQ(desa.size(), 391u);
}

} // namespace
} // namespace cakupan
