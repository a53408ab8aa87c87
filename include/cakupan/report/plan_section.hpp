// "What it would take": the answer of a plan directory (cakupan plan --out DIR) read back from its
// plan.json and shown as a section of a run's report (cakupan report RUN_DIR --plan DIR).
#pragma once

#include "cakupan/render/lang.hpp"
#include "cakupan/report/report.hpp"

#include <string>
#include <vector>

namespace cakupan {

// The layout of plan.json; the writer (plan_json) stamps it and read_plan_result refuses others.
inline constexpr const char* kPlanSchema = "cakupan.plan/1";

// What a run report needs of plan.json: the goal, the chosen amounts and the outcome.
struct PlanResult {
    struct Variable {
        std::string intervention, lever, amount, funder, month; // amount: budget, agents or workers_per_village
        std::vector<std::string> regions;
        double value = 0, spend = 0;
    };
    struct FunderSpend {
        std::string funder;
        int year = 0;
        double spend = 0;
        double ceiling = -1; // -1: none
    };
    std::string dir; // the plan directory as given
    std::string plan, goal, deadline;
    double target = 0, probability_level = 0;
    int draws = 0;
    bool feasible = true;
    double total_spend = 0, probability = 0, probability_se = 0, median = 0;
    std::vector<Variable> variables;
    std::vector<FunderSpend> funders;
    bool has_report = false; // DIR/report.html exists
};

// Reads DIR/plan.json. InputError, one line naming the file (and the field), when it is missing,
// not JSON, of another schema or lacks a field.
PlanResult read_plan_result(const std::string& plan_dir);

// P(target) with its 95% Monte Carlo interval, as the plan prints it: "81,20% (95%: 77,78%-84,62%)".
std::string plan_probability_text(const PlanResult& plan, render::Lang lang);

// The answer in a few plain lines (amount per lever, total spend, P(target) with its interval),
// for the end of the quick start's output.
std::string plan_answer_text(const PlanResult& plan, render::Lang lang);

// The report section: amounts per lever and their spend, spend by funder and year, total, P(target)
// with its interval, and a link to the plan's own report.html relative to `report_path`.
// InputError when the plan's deadline is not the run's end (a plan of another scenario).
ReportSection plan_report_section(const PlanResult& plan, const RunData& run, const std::string& report_path, render::Lang lang);

} // namespace cakupan
