// "What it would take": plan.json read back through its one reader, the report section and the
// printed answer drawn from it, and `cakupan report RUN_DIR --plan DIR` end to end.
#include "cakupan/common/error.hpp"
#include "cakupan/report/plan_section.hpp"
#include "cakupan/report/report.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace cakupan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

const char* kPlanJson = R"({
  "schema": "cakupan.plan/1",
  "plan": "babel-min",
  "goal": "minimum_spend",
  "requirement": "overall",
  "probability_level": 0.8,
  "target": 0.5717,
  "deadline": "2025-12-31",
  "draws": 500,
  "seed": 1,
  "feasible": true,
  "binding": "P(target) >= 0.80",
  "chosen": {
    "total_spend": 1234000000,
    "probability": 0.812,
    "median": 0.5731,
    "regions_at_target": 1,
    "lowest_region_median": 0.5,
    "probability_se": 0.01,
    "variables": [
      {"intervention": "vulnerable", "lever": "vulnerable", "regions": ["19"], "amount": "budget", "value": 1000000000,
       "spend": 1000000000, "funder": "apbd_province", "year": 2025, "month": "2025-07"},
      {"intervention": "agen", "lever": "agen", "regions": ["19"], "amount": "agents", "value": 13, "spend": 234000000,
       "funder": "apbd_province", "year": 2025, "month": "2025-07"}
    ],
    "funders": [{"funder": "apbd_province", "year": 2025, "spend": 1234000000, "ceiling": 2000000000}]
  }
}
)";

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string error_of(const std::string& dir) {
    try {
        read_plan_result(dir);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

RunData run_ending(const std::string& end) {
    RunData run;
    run.summary.end = end;
    return run;
}

TEST(PlanSection, ReadsThePlanAndShowsTotalAndProbabilityWithItsInterval) {
    test::TempDir tmp;
    write(tmp / "plan/plan.json", kPlanJson);
    write(tmp / "plan/report.html", "<html></html>");
    const PlanResult p = read_plan_result(tmp / "plan");
    ASSERT_EQ(p.variables.size(), 2U);
    EXPECT_EQ(p.variables[1].amount, "agents");
    EXPECT_DOUBLE_EQ(p.total_spend, 1234000000.0);
    EXPECT_TRUE(p.has_report);
    // 0.812 +- 1.96 * 0.01 = [0.7924, 0.8316]
    EXPECT_EQ(plan_probability_text(p, render::Lang::en), "81.20% (95%: 79.24%-83.16%)");

    const ReportSection s = plan_report_section(p, run_ending("2025-12-31"), tmp / "run/report.html", render::Lang::id);
    EXPECT_EQ(s.id, "plan");
    EXPECT_EQ(s.title, "Apa yang dibutuhkan");
    EXPECT_THAT(s.html, HasSubstr("Rp1.234.000.000"));
    EXPECT_THAT(s.html, HasSubstr("81,20% (95%: 79,24%-83,16%)"));
    EXPECT_THAT(s.html, HasSubstr("anggaran Rp1.000.000.000"));
    EXPECT_THAT(s.html, HasSubstr("13 agen"));
    EXPECT_THAT(s.html, HasSubstr("Rp1.234.000.000 dari Rp2.000.000.000"));
    EXPECT_THAT(s.html, HasSubstr("href=\"../plan/report.html\""));
    EXPECT_EQ(plan_report_section(p, run_ending("2025-12-31"), tmp / "run/report.html", render::Lang::en).title, "What it would take");

    const std::string text = plan_answer_text(p, render::Lang::en);
    EXPECT_THAT(text, HasSubstr("  vulnerable: budget Rp1,000,000,000; spend Rp1,000,000,000\n"));
    EXPECT_THAT(text, HasSubstr("  total spend Rp1,234,000,000\n"));
    EXPECT_THAT(text, HasSubstr("  P(target) 81.20% (95%: 79.24%-83.16%), median coverage 57.31%\n"));
}

TEST(PlanSection, NoLinkWithoutThePlansReport) {
    test::TempDir tmp;
    write(tmp / "plan/plan.json", kPlanJson);
    const ReportSection s = plan_report_section(read_plan_result(tmp / "plan"), run_ending("2025-12-31"), tmp / "r.html", render::Lang::en);
    EXPECT_THAT(s.html, Not(HasSubstr("<a href")));
}

TEST(PlanSection, BadPlanDirectoriesFailInOneLineNamingPlanJson) {
    test::TempDir tmp;
    const std::string file = tmp / "p/plan.json";
    EXPECT_EQ(error_of(tmp / "p"), file + ": cannot read (is this a plan directory written by `cakupan plan --out`?)");
    write(file, "{\"plan\": 1}");
    EXPECT_EQ(error_of(tmp / "p"), file + ": no \"schema\" (written by an earlier Cakupan; run the plan again)");
    write(file, "{\"schema\": \"cakupan.plan/9\"}");
    EXPECT_EQ(error_of(tmp / "p"), file + ": schema 'cakupan.plan/9' is not cakupan.plan/1 (written by another version of Cakupan; run the plan again)");
    write(file, "{\n\"schema\": \"cakupan.plan/1\",\n\"plan\" 1}");
    EXPECT_EQ(error_of(tmp / "p"), file + ":3: not valid JSON");
    std::string missing = kPlanJson;
    missing.replace(missing.find("\"total_spend\""), 13, "\"total_spent\"");
    write(file, missing);
    EXPECT_EQ(error_of(tmp / "p"), file + ": chosen.total_spend: missing");
    std::string wrong = kPlanJson;
    wrong.replace(wrong.find("\"value\": 13"), 11, "\"value\": \"13\"");
    write(file, wrong);
    EXPECT_EQ(error_of(tmp / "p"), file + ": chosen.variables[1].value: expected a number");
    write(file, kPlanJson);
    try {
        plan_report_section(read_plan_result(tmp / "p"), run_ending("2026-06-30"), tmp / "r.html", render::Lang::en);
        ADD_FAILURE() << "a plan of another period was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), file + ": deadline: the plan ends on 2025-12-31 but the run on 2026-06-30 (a plan of another scenario?)");
    }
}

// The real thing: a run and a plan of the same scenario, then the report with --plan.
TEST(PlanSection, ReportWithPlanEndsItsAnswerWithWhatItWouldTake) {
    test::TempDir tmp;
    const auto run = test::run_process({CAKUPAN_CLI, "run", test::source("scenarios/babel-2025.toml"), "--out", tmp / "run", "--draws", "20",
                                        "--quiet", "--no-maps", "--figure-format", "svg"});
    ASSERT_EQ(run.exit, 0) << run.err;
    const auto plan = test::run_process({CAKUPAN_CLI, "plan", test::data("plans/babel-two-levers.toml"), "--out", tmp / "plan", "--draws", "20",
                                         "--lang", "en"});
    ASSERT_EQ(plan.exit, 0) << plan.err;
    const PlanResult p = read_plan_result(tmp / "plan");
    const auto report = test::run_process({CAKUPAN_CLI, "report", tmp / "run", "--plan", tmp / "plan", "--lang", "en", "--no-maps"});
    ASSERT_EQ(report.exit, 0) << report.err;
    const std::string total = "  total spend " + render::format_rupiah(render::Lang::en, std::round(p.total_spend)) + "\n";
    const std::string probability = "  P(target) " + plan_probability_text(p, render::Lang::en);
    EXPECT_THAT(report.out, HasSubstr(total));
    EXPECT_THAT(report.out, HasSubstr(probability));
    std::ifstream in(tmp / "run/report-en.html");
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_THAT(html, HasSubstr("<section id=\"plan\"><h2>What it would take</h2>"));
    EXPECT_THAT(html, HasSubstr(render::format_rupiah(render::Lang::en, std::round(p.total_spend))));
    EXPECT_THAT(html, HasSubstr(plan_probability_text(p, render::Lang::en)));
    EXPECT_THAT(html, HasSubstr("href=\"../plan/report.html\""));

    // A bad plan directory: one line naming the file, nothing written.
    const auto bad = test::run_process({CAKUPAN_CLI, "report", tmp / "run", "--plan", tmp / "nowhere", "--out", tmp / "x.html"});
    EXPECT_NE(bad.exit, 0);
    EXPECT_EQ(bad.err, "cakupan: error: " + (tmp / "nowhere/plan.json") + ": cannot read (is this a plan directory written by `cakupan plan --out`?)\n");
    EXPECT_FALSE(fs::exists(tmp / "x.html"));
}

} // namespace
} // namespace cakupan
