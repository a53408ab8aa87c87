// Diagnostics: one line per problem, errors thrown together as one InputError.
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace cakupan {
namespace {

TEST(Diagnostics, LineFormat) {
    EXPECT_EQ((Diagnostic{Diagnostic::Severity::error, "a.csv:3:5", "bad"}).line(), "error: a.csv:3:5: bad");
    EXPECT_EQ((Diagnostic{Diagnostic::Severity::warning, "", "odd"}).line(), "warning: odd");
}

TEST(Diagnostics, CountsAndAppend) {
    Diagnostics a, b;
    a.warning("x", "w");
    b.error("y", "e1");
    b.error("z", "e2");
    a.append(b);
    EXPECT_EQ(a.items().size(), 3u);
    EXPECT_EQ(a.error_count(), 2u);
    EXPECT_EQ(a.warning_count(), 1u);
    EXPECT_TRUE(a.has_errors());
}

TEST(Diagnostics, WarningsAloneDoNotThrow) {
    Diagnostics d;
    d.warning("x", "w");
    EXPECT_FALSE(d.has_errors());
    EXPECT_NO_THROW(d.throw_if_errors());
}

TEST(Diagnostics, ErrorsThrowOneInputErrorWithEveryLine) {
    Diagnostics d;
    d.error("a.csv:2:4", "first");
    d.warning("a.csv", "not included");
    d.error("", "second");
    try {
        d.throw_if_errors();
        FAIL() << "no throw";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "a.csv:2:4: first\nsecond");
        EXPECT_EQ(e.exit_code(), ExitCode::input_data);
    }
}

// A flood is cut: the first 20 errors and the first 20 warnings, then one line that counts the rest.
TEST(Diagnostics, FloodsAreCutAfterTwentyWithACountOfTheRest) {
    Diagnostics d;
    for (int i = 1; i <= 3949; ++i) d.error("t.csv:" + std::to_string(i + 1) + ":1", "bad");
    for (int i = 1; i <= 21; ++i) d.warning("t.csv:" + std::to_string(i + 1) + ":2", "odd");
    const auto lines = d.shown_lines();
    ASSERT_EQ(lines.size(), 42u);
    EXPECT_EQ(lines[0], "error: t.csv:2:1: bad");
    EXPECT_EQ(lines[40], "error: 3929 more errors not shown (the first 20 are above)");
    EXPECT_EQ(lines[41], "warning: 1 more warning not shown (the first 20 are above)");
    EXPECT_EQ(d.error_count(), 3949u);
    try {
        d.throw_if_errors();
        FAIL() << "no throw";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 20);
        EXPECT_EQ(what.substr(what.rfind('\n') + 1), "3929 more errors not shown (the first 20 are above)");
    }
    Diagnostics exactly;
    for (int i = 0; i < 20; ++i) exactly.error("", "bad");
    EXPECT_EQ(exactly.shown_lines().size(), 20u);
}

TEST(Errors, ExitCodesFollowTheCommandLineContract) {
    EXPECT_EQ(static_cast<int>(Error("x").exit_code()), 1);
    EXPECT_EQ(static_cast<int>(UsageError("x").exit_code()), 2);
    EXPECT_EQ(static_cast<int>(InputError("x").exit_code()), 3);
    EXPECT_EQ(static_cast<int>(ScenarioError("x").exit_code()), 4);
    EXPECT_EQ(static_cast<int>(OutputError("x").exit_code()), 5);
}

} // namespace
} // namespace cakupan
