// join_statistics: statistics put in region order, and every code missing on either side named
// with the nearest code on the other side.
#include "cakupan/io/statistics.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace cakupan {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::data;

class Join : public ::testing::Test {
protected:
    static RegionStatistics join(const std::string& stats_path, Diagnostics& diag, const RegionTable* regions = nullptr) {
        const auto table = read_statistics(StatisticsOptions{stats_path, "", ""}, diag);
        return join_statistics(regions ? *regions : test::babel("kabkota").table, table, diag);
    }
    static std::string layer() { return test::babel_gpkg() + " (layer kabkota)"; }
};

TEST_F(Join, GoodStatisticsGiveTheSeedCoverage) {
    Diagnostics diag;
    const auto s = join(data("stats_good.csv"), diag);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    EXPECT_EQ(s.total_workers(), 528873);
    EXPECT_EQ(s.total_active(), 144070);
    EXPECT_EQ(std::round(s.total_active() / s.total_workers() * 10000) / 100, 27.24);
    EXPECT_EQ(s.workers(6, 0), 39202); // 19.71 workers_formal, in region order
}

// Joining is by code, not by position: the FlatGeobuf copy lists the regions in another order.
TEST_F(Join, RowsFollowTheRegionsNotTheFile) {
    Diagnostics notes, diag;
    const RegionTable fgb = test::read(data("babel_kabkota.fgb"), "", notes);
    const auto s = join(data("stats_good.csv"), diag, &fgb);
    EXPECT_FALSE(diag.has_errors());
    const auto i = fgb.find("19.71");
    ASSERT_TRUE(i);
    EXPECT_EQ(s.workers(static_cast<Eigen::Index>(*i), 0), 39202);
    EXPECT_EQ(s.total_workers(), 528873);
}

// 19.7 was typed for 19.71: the row names the region it probably meant, and the region names the
// unmatched row, not a code that already has its own region.
TEST_F(Join, NearMissIsReportedBothWaysWithDidYouMean) {
    const std::string path = data("stats_near_miss.csv");
    Diagnostics diag;
    join(path, diag);
    std::vector<std::string> whats;
    for (const auto& d : diag.items()) whats.push_back(d.what);
    EXPECT_THAT(whats, ElementsAre("region code 19.7 is not in " + layer() + " (did you mean '19.71'?)",
                                   "region 19.71 (Kota Pangkal Pinang) has no row in " + path + " (did you mean '19.7'?)"));
}

// Like every other statistics diagnostic, the unknown code is located by row and column.
TEST_F(Join, UnknownCodeIsLocatedByRowAndColumn) {
    const std::string path = data("stats_near_miss.csv");
    Diagnostics diag;
    join(path, diag);
    ASSERT_FALSE(diag.items().empty());
    EXPECT_EQ(diag.items()[0].where, path + ":8:1");
    EXPECT_EQ(diag.items()[1].where, layer());
}

// Every code of the file matches a region, so there is nothing to suggest for 19.06.
TEST_F(Join, RegionMissingFromStatistics) {
    const std::string path = data("stats_missing_region.csv");
    Diagnostics diag;
    const auto s = join(path, diag);
    EXPECT_THAT(test::lines(diag), ElementsAre("error: " + layer() + ": region 19.06 (Kabupaten Belitung Timur) has no row in " +
                                               path));
    EXPECT_TRUE(std::isnan(s.workers(5, 0)));
}

TEST_F(Join, LevelMismatchIsExplained) {
    Diagnostics diag;
    join(test::geodata("statistics/babel_desa_2025-06.csv"), diag);
    std::vector<std::string> whats;
    for (const auto& d : diag.items()) whats.push_back(d.what);
    EXPECT_THAT(whats, Contains(AllOf(HasSubstr("statistics are at village level but the boundaries"),
                                      HasSubstr("at kab/kota level"))));
}

} // namespace
} // namespace cakupan
