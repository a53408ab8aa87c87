// read_statistics: values and segments of the Babel kab/kota table in CSV, XLSX and ODS, and one
// exact "file:row:column: what" diagnostic for each broken copy.
#include "cakupan/common/error.hpp"
#include "cakupan/io/statistics.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::data;

StatisticsTable read_stats(const std::string& path, Diagnostics& diag, const std::string& code_field = "") {
    return read_statistics(StatisticsOptions{path, "", code_field}, diag);
}

TEST(Statistics, GoodCsvValuesAndSegments) {
    Diagnostics diag;
    const auto t = read_stats(data("stats_good.csv"), diag);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    EXPECT_EQ(t.code_field, "code");
    EXPECT_THAT(t.segments, ElementsAre("formal", "informal", "vulnerable", "officials"));
    EXPECT_THAT(t.codes, ElementsAre("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"));
    EXPECT_THAT(t.rows, ElementsAre(2u, 3u, 4u, 5u, 6u, 7u, 8u)); // the header is row 1
    ASSERT_EQ(t.workers.rows(), 7);
    ASSERT_EQ(t.workers.cols(), 4);
    // Row 19.01 of the CSV: workers 52921,40033,18839,3484; active 22848,4239,1995,2261.
    EXPECT_EQ(t.workers(0, 0), 52921);
    EXPECT_EQ(t.workers(0, 3), 3484);
    EXPECT_EQ(t.active(0, 0), 22848);
    EXPECT_EQ(t.active(0, 3), 2261);
    EXPECT_EQ(t.workers(6, 1), 28717); // 19.71 workers_informal
    // Province totals of the seed: 528,873 workers, 144,070 active (27.24 %).
    EXPECT_EQ(t.workers.sum(), 528873);
    EXPECT_EQ(t.active.sum(), 144070);
}

// Spreadsheets must give the very same table: same codes, rows and values.
class SpreadsheetStatistics : public ::testing::TestWithParam<const char*> {};

TEST_P(SpreadsheetStatistics, EqualsTheCsv) {
    Diagnostics csv_diag, diag;
    const auto csv = read_stats(data("stats_good.csv"), csv_diag);
    const auto t = read_stats(data(GetParam()), diag);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    EXPECT_EQ(t.segments, csv.segments);
    EXPECT_EQ(t.codes, csv.codes);
    EXPECT_EQ(t.rows, csv.rows);
    ASSERT_EQ(t.workers.rows(), csv.workers.rows());
    ASSERT_EQ(t.workers.cols(), csv.workers.cols());
    EXPECT_TRUE((t.workers == csv.workers).all());
    EXPECT_TRUE((t.active == csv.active).all());
}

INSTANTIATE_TEST_SUITE_P(Formats, SpreadsheetStatistics, ::testing::Values("stats_good.xlsx", "stats_good.ods"),
                         [](const auto& p) { return std::string(p.param).substr(11); });

struct BrokenStats {
    const char* file;
    std::vector<std::string> lines; // each after "error: <path>"
};

void PrintTo(const BrokenStats& b, std::ostream* os) { *os << b.file; }

class BrokenStatistics : public ::testing::TestWithParam<BrokenStats> {};

// Every problem is one diagnostic naming file:row:column (the header is row 1, columns from 1),
// and nothing else is reported: one mistake, one line.
TEST_P(BrokenStatistics, ExactDiagnostics) {
    const std::string path = data(GetParam().file);
    Diagnostics diag;
    read_stats(path, diag);
    std::vector<std::string> expected;
    for (const auto& l : GetParam().lines) expected.push_back("error: " + path + l);
    EXPECT_EQ(test::lines(diag), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenStatistics,
    ::testing::Values(
        BrokenStats{"stats_text.csv", {":3:6: 'workers_formal' value 'banyak' is not a number (expected a count of persons)"}},
        BrokenStats{"stats_negative.csv", {":4:11: 'active_informal' value -2712 is negative (expected a count >= 0)"}},
        BrokenStats{"stats_over_100.csv",
                    {":5:10: region 19.04: active_formal 40000 exceeds workers_formal 32343 (coverage above 100%)"}},
        BrokenStats{"stats_duplicate.csv", {":9:1: duplicate region code 19.01 (rows 2, 9)"}},
        BrokenStats{"stats_thousands.csv",
                    {":2:5: 'workers' value '115,277' is ambiguous: 115277 if ',' groups thousands, 115.277 if it is the "
                     "decimal mark (the column and file do not show one decimal mark); write counts without thousands "
                     "separators"}},
        // The unpaired column drops a segment; the 'workers' total must not then fail in every row.
        BrokenStats{"stats_no_partner.csv", {":1:9: column 'workers_officials' has no partner column 'active_officials'"}}),
    [](const auto& p) {
        std::string n = p.param.file;
        return n.substr(6, n.size() - 10); // stats_<name>.csv
    });

// "22.848" is 22,848 written with the Indonesian thousands separator, not 22.848 persons: a count
// of persons with a fractional part must be refused, not silently shrink coverage by 23,000.
TEST(Statistics, IndonesianThousandsSeparatorIsRefused) {
    const std::string path = data("stats_thousands_dot.csv");
    Diagnostics diag;
    read_stats(path, diag);
    ASSERT_EQ(diag.error_count(), 1u) << ::testing::PrintToString(test::lines(diag));
    EXPECT_EQ(diag.items()[0].where, path + ":2:10");
    EXPECT_THAT(diag.items()[0].what, HasSubstr("'22.848'"));
    EXPECT_THAT(diag.items()[0].what, HasSubstr("thousands separators"));
}

TEST(Statistics, MisspeltCodeFieldSuggestsTheRightOne) {
    const std::string path = data("stats_good.csv");
    Diagnostics diag;
    try {
        read_stats(path, diag, "kode");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": no code field 'kode' (did you mean 'code'?); fields: code, name, date, villages, workers, workers_formal, "
                         "workers_informal, workers_vulnerable, workers_officials, active_formal, active_informal, "
                         "active_vulnerable, active_officials, estimate, basis");
    }
}

TEST(Statistics, MissingFileIsAnInputError) {
    Diagnostics diag;
    const std::string path = data("no_such_stats.csv");
    try {
        read_stats(path, diag);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), path + ": file not found");
    }
}

} // namespace
} // namespace cakupan
