// The number rule of docs/data.md, by class of text: what reads one way, what reads two ways and
// must be refused without a mark, and what is not a number at all.
#include "cakupan/io/number_text.hpp"
#include "cakupan/io/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace cakupan;

namespace {

constexpr auto point = DecimalMark::point;
constexpr auto comma = DecimalMark::comma;

std::optional<double> p(const std::string& s) { return parse_number(s, point); }
std::optional<double> c(const std::string& s) { return parse_number(s, comma); }

} // namespace

TEST(NumberText, PlainNumbersReadTheSameWithEitherMark) {
    for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{
             {"0", 0}, {"1234", 1234}, {"-5", -5}, {"+7", 7}, {"007", 7}, {"1e5", 1e5}, {"2E-3", 2e-3},
             {" 42 ", 42}, {"\xC2\xA0" "42\t", 42}}) {
        EXPECT_EQ(p(text), value) << text;
        EXPECT_EQ(c(text), value) << text;
        const auto r = read_number(text, std::nullopt);
        EXPECT_EQ(r.value, value) << text;
        EXPECT_FALSE(r.ambiguous) << text;
    }
}

TEST(NumberText, IndonesianNotationReadsOnlyWithADecimalComma) {
    for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{
             {"1.234.567", 1234567}, {"1.234,5", 1234.5}, {"27,24", 27.24}, {"0,125", 0.125}, {"-12.345.678,9", -12345678.9},
             {"1,5e3", 1500}}) {
        EXPECT_EQ(c(text), value) << text;
        EXPECT_FALSE(p(text)) << text;
        EXPECT_EQ(read_number(text, std::nullopt).value, value) << text;
    }
}

TEST(NumberText, EnglishNotationReadsOnlyWithADecimalPoint) {
    for (const auto& [text, value] : std::vector<std::pair<std::string, double>>{
             {"1,234,567", 1234567}, {"1,234.5", 1234.5}, {"27.24", 27.24}, {"0.125", 0.125}, {"1234.567", 1234.567},
             {"1.5e3", 1500}, {"1.2345", 1.2345}}) {
        EXPECT_EQ(p(text), value) << text;
        EXPECT_FALSE(c(text)) << text;
        EXPECT_EQ(read_number(text, std::nullopt).value, value) << text;
    }
}

// Space, no-break space and narrow no-break space group thousands under either mark; one kind of
// separator throughout.
TEST(NumberText, SpacesGroupThousands) {
    for (const std::string sep : {" ", "\xC2\xA0", "\xE2\x80\xAF"}) {
        const std::string grouped = "1" + sep + "234" + sep + "567";
        EXPECT_EQ(p(grouped), 1234567) << grouped;
        EXPECT_EQ(c(grouped), 1234567) << grouped;
        EXPECT_EQ(c("1" + sep + "234,5"), 1234.5);
        EXPECT_EQ(p("1" + sep + "234.5"), 1234.5);
    }
    EXPECT_FALSE(c("1 234.567")); // a dot groups under a comma mark: not after spaces
    EXPECT_EQ(p("1 234.567"), 1234.567);
    EXPECT_FALSE(p("1 234\xC2\xA0" "567")); // two kinds of separator
    EXPECT_FALSE(p("12 34"));
}

// The whole class: one to three digits (not starting with 0), '.' or ',', exactly three digits,
// optionally more such groups of the same separator, reads as two different numbers.
TEST(NumberText, EveryTextThatReadsTwoWaysIsAmbiguousWithoutAMark) {
    for (const std::string lead : {"1", "2", "22", "115", "999"})
        for (const std::string sep : {".", ","})
            for (const std::string group : {"000", "848", "277"}) {
                const std::string text = lead + sep + group;
                const auto r = read_number(text, std::nullopt);
                EXPECT_TRUE(r.ambiguous) << text;
                EXPECT_FALSE(r.value) << text;
                const double grouped = std::stod(lead + group);
                const double decimal = std::stod(lead + "." + group);
                EXPECT_EQ(read_number(text, sep == "." ? comma : point).value, grouped) << text;
                EXPECT_EQ(read_number(text, sep == "." ? point : comma).value, decimal) << text;
            }
    EXPECT_EQ(read_number("2.000", std::nullopt).problem,
              "is ambiguous: 2000 if '.' groups thousands, 2 if it is the decimal mark (the column and file do not show one "
              "decimal mark)");
    EXPECT_TRUE(read_number("-22.848", std::nullopt).ambiguous);
}

TEST(NumberText, NotNumbers) {
    for (const std::string text : {"", "abc", "1.", ".5", ",5", "1..2", "1,,2", "1,23,456", "1.234.56", "1.234,567.8", "--1",
                                   "1e", "1.234e5x", "12%", "Rp 100", "1_000", "0x10", "inf", "nan", "1.000.000,", "1e999"}) {
        EXPECT_FALSE(p(text)) << text;
        EXPECT_FALSE(c(text)) << text;
        const auto r = read_number(text, std::nullopt);
        EXPECT_FALSE(r.value) << text;
        EXPECT_EQ(r.problem, "is not a number") << text;
    }
    // A leading zero never starts a thousands group: 0.125 is a decimal.
    EXPECT_FALSE(c("0.125"));
    EXPECT_FALSE(c("012.345"));
}

TEST(NumberText, AGivenMarkNamesCellsThatNeedTheOther) {
    EXPECT_EQ(read_number("45.5", comma).problem, "reads only with a decimal point, not with a decimal comma as given");
    EXPECT_EQ(read_number("45,5", point).problem, "reads only with a decimal comma, not with a decimal point as given");
    EXPECT_EQ(read_number("abc", point).problem, "is not a number");
}

TEST(NumberText, ColumnsDecideTheirMarkThenLendIt) {
    DecimalEvidence id, en, none, mixed;
    for (const auto& [row, text] : std::vector<std::pair<std::size_t, std::string>>{{2, "2.000"}, {3, "1.234.567"}, {4, "15"}})
        id.add(text, row);
    en.add("27.5", 2);
    none.add("2.000", 2);
    none.add("100", 3);
    mixed.add("1.234.567", 2);
    mixed.add("1,5", 3);
    mixed.add("1.5", 4);
    EXPECT_EQ(id.mark(), comma);
    EXPECT_EQ(en.mark(), point);
    EXPECT_FALSE(none.mark());
    EXPECT_TRUE(mixed.mixed());
    EXPECT_FALSE(mixed.mark());
    EXPECT_EQ(mixed.mixed_description(), "row 2 '1.234.567' reads only with a decimal comma and row 4 '1.5' only with a decimal point");
    EXPECT_EQ(mixed.conflict_row(), 4u);

    EXPECT_EQ(column_decimal_mark(none, {id, none}, false), comma); // lent by the file
    EXPECT_EQ(column_decimal_mark(none, {en, none}, false), point);
    EXPECT_FALSE(column_decimal_mark(none, {none}, false));           // nothing shows it
    EXPECT_EQ(column_decimal_mark(none, {none}, true), comma);        // ';' separated
    EXPECT_EQ(column_decimal_mark(none, {en, none}, true), point);    // a column beats the separator
    EXPECT_FALSE(column_decimal_mark(none, {id, en, none}, false));   // the file shows both: none
    EXPECT_FALSE(column_decimal_mark(id, {id, en}, false));           // even for a column that decides
    EXPECT_EQ(column_decimal_mark(id, {id, mixed}, false), comma);    // a mixed column is its own error
}

TEST(NumberText, ShortestText) {
    EXPECT_EQ(shortest_text(19.01), "19.01");
    EXPECT_EQ(shortest_text(19.1), "19.1");
    EXPECT_EQ(shortest_text(2000), "2000");
    EXPECT_EQ(shortest_text(0.1), "0.1");
}

// Every byte sequence is either valid UTF-8 or printable as one; nothing is lost from valid text.
TEST(Utf8, ValidAndInvalidSequences) {
    for (const std::string ok : {"", "abc", "P\xC3\xA9rsis", "\xE2\x80\xAF", "\xF0\x9F\x98\x80", "\xEF\xBF\xBF"})
        EXPECT_TRUE(is_utf8(ok)) << printable(ok);
    for (const std::string bad : {"P\xE9rsis", "\xC3", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                  "\xF8\x88\x80\x80\x80", "\x80", "\xFF"})
        EXPECT_FALSE(is_utf8(bad)) << printable(bad);
    EXPECT_EQ(printable("P\xE9rsis"), "P\\xE9rsis");
    EXPECT_EQ(printable("P\xC3\xA9rsis"), "P\xC3\xA9rsis");
    EXPECT_EQ(printable("a\nb"), "a\\x0Ab");
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        EXPECT_TRUE(is_utf8(printable(one))) << b;
        EXPECT_TRUE(is_utf8(printable("\xC3" + one))) << b;
    }
}

TEST(Utf8, KnownEncodings) {
    for (const std::string name : {"latin1", "LATIN1", "ISO-8859-1", "cp1252", "CP1252", "UTF-8"}) EXPECT_TRUE(encoding_known(name)) << name;
    for (const std::string name : {"latin-one", "", "nonsense"}) EXPECT_FALSE(encoding_known(name)) << name;
}
