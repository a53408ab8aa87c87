// read_observations: the bundled observed series as published, and one exact "file:row:column: what"
// diagnostic for each kind of broken row.
#include "cakupan/common/error.hpp"
#include "cakupan/io/observations.hpp"
#include "scenario_support.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::geodata;

constexpr const char* kHeader = "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n";

ObservationTable read_obs(const std::string& path, Diagnostics& diag) {
    return read_observations(ObservationOptions{path, "", "", "--encoding"}, diag);
}

TEST(Observations, NationalSeriesAsPublished) {
    Diagnostics diag;
    const auto t = read_obs(geodata("observations/bpjs_active_series.csv"), diag);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    ASSERT_EQ(t.rows.size(), 26u);
    const Observation& first = t.rows.front();
    EXPECT_EQ(first.row, 2u);
    EXPECT_EQ(first.level, RegionLevel::national);
    EXPECT_EQ(first.code, "");
    EXPECT_EQ(first.period, std::chrono::year{2018} / std::chrono::December);
    EXPECT_EQ(first.indicator, "bpjstk_participants_active");
    EXPECT_EQ(first.value, 30460000);
    EXPECT_EQ(first.unit, ObservationUnit::persons);
    EXPECT_EQ(first.rounding, 10000); // "0.01 million"
    EXPECT_NEAR(first.rounding_sd(), 10000 / std::sqrt(12.0), 1e-9);
    // The Dec 2024 peak and the Apr 2025 fall it is calibrated against.
    double dec2024 = 0, apr2025 = 0;
    int dki = 0;
    for (const auto& o : t.rows) {
        if (o.level == RegionLevel::province) {
            EXPECT_EQ(o.code, "31");
            ++dki;
        }
        if (o.level != RegionLevel::national || o.indicator != "bpjstk_participants_active") continue;
        if (o.period == std::chrono::year{2024} / std::chrono::December) dec2024 = o.value;
        if (o.period == std::chrono::year{2025} / std::chrono::April) apr2025 = o.value;
    }
    EXPECT_EQ(dki, 3);
    EXPECT_EQ(dec2024, 45220000);
    EXPECT_EQ(apr2025, 39700000);
}

TEST(Observations, ProvincialTableKeepsCodesAndExactCounts) {
    Diagnostics diag;
    const auto t = read_obs(geodata("observations/bpjs_ketenagakerjaan_participants.csv"), diag);
    EXPECT_TRUE(diag.items().empty()) << ::testing::PrintToString(test::lines(diag));
    EXPECT_EQ(t.rows.size(), 90u);
    std::size_t provinces_dec2023 = 0;
    for (const auto& o : t.rows)
        if (o.level == RegionLevel::province && o.indicator == "bpjstk_participants_active" &&
            o.period == std::chrono::year{2023} / std::chrono::December) {
            ++provinces_dec2023;
            EXPECT_EQ(o.rounding, 0) << o.code;
            EXPECT_EQ(o.code.size(), 2u) << o.code;
        }
    EXPECT_EQ(provinces_dec2023, 28u); // the source table stops after Sulawesi Tenggara
}

TEST(Observations, Precision) {
    double r = -1;
    EXPECT_TRUE(parse_precision("exact", r));
    EXPECT_EQ(r, 0);
    EXPECT_TRUE(parse_precision("0.01 million", r));
    EXPECT_EQ(r, 10000);
    EXPECT_TRUE(parse_precision("1 thousand", r));
    EXPECT_EQ(r, 1000);
    EXPECT_TRUE(parse_precision("0.01 pct", r));
    EXPECT_EQ(r, 0.01);
    EXPECT_FALSE(parse_precision("0.01 millions", r));
    EXPECT_FALSE(parse_precision("about 1%", r));
    EXPECT_FALSE(parse_precision("-1 thousand", r));
    EXPECT_FALSE(parse_precision("", r));
}

struct BadRow {
    const char* name;
    const char* row;
    const char* line;
};

class ObservationsBadRow : public ::testing::TestWithParam<BadRow> {};

TEST_P(ObservationsBadRow, OneExactError) {
    test::TempDir dir;
    const std::string file = dir / "obs.csv";
    std::ofstream(file) << kHeader << "national,,Indonesia,2024-12,bpjstk_participants_active,45220000,persons,0.01 million,s,u\n"
                        << GetParam().row << "\n";
    Diagnostics diag;
    const auto t = read_obs(file, diag);
    EXPECT_THAT(test::lines(diag), ElementsAre(std::string("error: ") + file + GetParam().line));
    EXPECT_EQ(t.rows.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ObservationsBadRow,
    ::testing::Values(
        BadRow{"level", "provinse,19,Babel,2023-12,a,1,persons,exact,s,u",
               ":3:1: unknown region_level 'provinse' (did you mean 'province'?) (one of national, province, kabkota, "
               "kecamatan, desa)"},
        BadRow{"national_code", "national,19,Indonesia,2023-12,a,1,persons,exact,s,u",
               ":3:2: a national observation has no region code (found '19')"},
        BadRow{"missing_code", "province,,Babel,2023-12,a,1,persons,exact,s,u",
               ":3:2: empty region code for a province observation"},
        BadRow{"period", "province,19,Babel,Dec 2023,a,1,persons,exact,s,u",
               ":3:4: period 'Dec 2023' is not a month written YYYY-MM"},
        BadRow{"month", "province,19,Babel,2023-13,a,1,persons,exact,s,u",
               ":3:4: period '2023-13' is not a month written YYYY-MM"},
        BadRow{"negative", "province,19,Babel,2023-12,a,-5,persons,exact,s,u", ":3:6: value -5 is negative"},
        BadRow{"percent", "province,19,Babel,2023-12,a,127.2,percent,0.01 pct,s,u",
               ":3:6: value 127.2 is a percentage above 100"},
        BadRow{"unit", "province,19,Babel,2023-12,a,5,orang,exact,s,u", ":3:7: unit 'orang' is not 'persons' or 'percent'"},
        BadRow{"no_precision", "province,19,Babel,2023-12,a,5,persons,,s,u",
               ":3:8: precision is missing (write 'exact' or the rounding step, such as '0.01 million')"},
        BadRow{"precision", "province,19,Babel,2023-12,a,5,persons,roughly,s,u",
               ":3:8: precision 'roughly' is not understood (write 'exact' or the rounding step, such as '0.01 million', "
               "'1 thousand' or '0.01 pct')"},
        BadRow{"duplicate", "national,,Indonesia,2024-12,bpjstk_participants_active,45200000,persons,0.1 million,s,u",
               ":3:5: the same observation twice: national, 2024-12, bpjstk_participants_active (rows 2 and 3)"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(Observations, MissingColumnsNamed) {
    test::TempDir dir;
    const std::string file = dir / "obs.csv";
    std::ofstream(file) << "region_level,kode,period,indicator,value\nnational,,2024-12,a,1\n";
    Diagnostics diag;
    try {
        read_obs(file, diag);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_THAT(e.what(), HasSubstr(file + ":1: missing columns unit, precision (an observation table has"));
    }
}

} // namespace
} // namespace cakupan
