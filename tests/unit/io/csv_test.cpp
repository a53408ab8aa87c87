// CSV as Cakupan writes and reads it: RFC 4180 records, fields quoted exactly when they must be,
// and a round trip that gives back every field, whatever it holds.
#include "cakupan/common/error.hpp"
#include "io/csv.hpp"
#include "support/csv_grammar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cakupan {
namespace {

using Fields = std::vector<std::string>;

const std::vector<std::string> kHostile = {
    "Bangka",          "Kota, Pangkalpinang", "Belitung \"Timur\"", "line\nbreak", "cr\rreturn", "crlf\r\nend",
    "",                " spaced ",            "\"",                 ",",           "\"\"",       "ÁÉ Pulau Ketawai",
    "trailing comma,", "= 1+1",               "tab\tinside"};

TEST(Csv, FieldsAreQuotedOnlyWhenTheyMustBe) {
    EXPECT_EQ(csv::field("Bangka"), "Bangka");
    EXPECT_EQ(csv::field(""), "");
    EXPECT_EQ(csv::field(" spaced "), " spaced ");
    EXPECT_EQ(csv::field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv::field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv::field("cr\r"), "\"cr\r\"");
}

TEST(Csv, RecordsEndWithCrLfAndFollowTheGrammar) {
    std::string out;
    csv::Writer w(out);
    w.record({"a", "b"});
    for (const auto& h : kHostile) w.record({h, h});
    EXPECT_EQ(out.substr(0, 5), "a,b\r\n");
    EXPECT_EQ(test::rfc4180_violation(out), "");
}

TEST(Csv, HostileFieldsRoundTrip) {
    std::string out;
    csv::Writer w(out);
    w.record(kHostile);
    for (const auto& f : kHostile) w.record({f, "x"});
    w.record({""});
    csv::Reader r(out, "t.csv");
    Fields f;
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(f, kHostile);
    for (const auto& h : kHostile) {
        ASSERT_TRUE(r.next(f));
        EXPECT_EQ(f, (Fields{h, "x"}));
    }
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(f, Fields{""});
    EXPECT_FALSE(r.next(f));
}

TEST(Csv, ReaderCountsLinesInsideQuotedFields) {
    csv::Reader r("h\r\n\"two\nlines\",x\r\nlast,y\n", "t.csv");
    Fields f;
    ASSERT_TRUE(r.next(f));
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(r.line(), 2u);
    ASSERT_TRUE(r.next(f));
    EXPECT_EQ(r.line(), 4u);
    EXPECT_EQ(f, (Fields{"last", "y"}));
}

std::string reader_error(const std::string& text) {
    try {
        csv::Reader r(text, "t.csv");
        Fields f;
        while (r.next(f)) {}
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(Csv, MalformedRecordsAreRefusedWithTheirLine) {
    EXPECT_EQ(reader_error("a,b\n\"open,c\n"), "t.csv:2: field 1: a quote that is never closed");
    EXPECT_EQ(reader_error("a,b\nx,y\"z\n"), "t.csv:2: field 2: a quote inside an unquoted field");
    EXPECT_EQ(reader_error("\"a\"b,c\n"), "t.csv:1: field 1: text after a closing quote");
    EXPECT_EQ(reader_error("a,\"b\nc\"\n,\"\"\"\n"), "t.csv:3: field 2: a quote that is never closed");
}

} // namespace
} // namespace cakupan
