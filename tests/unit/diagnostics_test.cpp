// Diagnostics: one line per problem, errors thrown together as one InputError.
#include "cakupan/diagnostics.hpp"
#include "cakupan/error.hpp"

#include <gtest/gtest.h>

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

TEST(Errors, ExitCodesFollowTheCommandLineContract) {
    EXPECT_EQ(static_cast<int>(Error("x").exit_code()), 1);
    EXPECT_EQ(static_cast<int>(UsageError("x").exit_code()), 2);
    EXPECT_EQ(static_cast<int>(InputError("x").exit_code()), 3);
    EXPECT_EQ(static_cast<int>(ScenarioError("x").exit_code()), 4);
    EXPECT_EQ(static_cast<int>(OutputError("x").exit_code()), 5);
}

} // namespace
} // namespace cakupan
