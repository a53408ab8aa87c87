#include "cakupan/common/error.hpp"
#include "cakupan/render/lang.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace cakupan;
using namespace cakupan::render;

TEST(Lang, ParsesBothLanguagesAndRefusesOthers) {
    EXPECT_EQ(parse_lang("id"), Lang::id);
    EXPECT_EQ(parse_lang("en"), Lang::en);
    try {
        parse_lang("fr");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--lang: 'fr' is not a language (expected id or en)");
    }
}

TEST(Lang, PercentUsesTheLanguagesDecimalMark) {
    EXPECT_EQ(format_percent(Lang::en, 0.2724), "27.24%");
    EXPECT_EQ(format_percent(Lang::id, 0.2724), "27,24%");
    EXPECT_EQ(format_percent(Lang::id, 0.5717, 1), "57,2%");
    EXPECT_EQ(format_percent(Lang::en, NAN), "-");
}

TEST(Lang, ThousandsAreGroupedTheOtherWayRound) {
    EXPECT_EQ(format_rupiah(Lang::en, 2016000000), "Rp2,016,000,000");
    EXPECT_EQ(format_rupiah(Lang::id, 2016000000), "Rp2.016.000.000");
    EXPECT_EQ(format_number(Lang::en, 1234.5, 1), "1,234.5");
    EXPECT_EQ(format_number(Lang::id, 1234.5, 1), "1.234,5");
    EXPECT_EQ(format_number(Lang::en, 999, 0), "999");
    EXPECT_EQ(format_number(Lang::en, 100000, 0), "100,000");
    EXPECT_EQ(format_number(Lang::id, -17321.02, 0), "-17.321");
}

TEST(Lang, NegativeZeroIsWrittenAsZero) {
    EXPECT_EQ(format_number(Lang::en, -0.001, 1), "0.0");
    EXPECT_EQ(format_percent(Lang::id, -0.00001), "0,00%");
}

TEST(Lang, DatesNameTheMonthInTheLanguage) {
    EXPECT_EQ(format_date(Lang::en, "2025-12-31"), "31 December 2025");
    EXPECT_EQ(format_date(Lang::id, "2025-12-31"), "31 Desember 2025");
    EXPECT_EQ(format_date(Lang::id, "2025-06-01"), "1 Juni 2025");
    EXPECT_EQ(format_date(Lang::en, "not a date"), "not a date");
}
