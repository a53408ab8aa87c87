// The `plan` job as one library call, like run_scenario: read and check a plan, solve it, write
// the plan directory (scenario.toml of the chosen plan, plan.json, frontier.csv, charts, maps,
// report.html) and return the answer with its printed summary.
#pragma once

#include "cakupan/plan/plan_solve.hpp"
#include "cakupan/render/lang.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cakupan {

struct PlanConfig {
    std::string plan;        // the plan file
    std::string out;         // the plan directory to write
    bool force = false;      // replace files of an earlier plan there
    std::optional<int> draws; // overrides plan.draws
    int threads = 0;         // 0 = OpenMP's default
    render::Lang lang = render::Lang::id;
    bool figures = true;     // charts, maps and report.html beside the data
    std::string command_line;
    std::function<void(const std::string&)> notice; // warnings, one line each
};

struct PlanOutcome {
    std::shared_ptr<const PlanProblem> problem;
    PlanAnswer answer;
    std::string summary;              // the printed answer, in config.lang
    std::vector<std::string> written; // file names in `out`
    double seconds = 0;
};

// Under mpirun every process calls it; process 0 alone writes. Errors as run_scenario; on any
// error nothing is left in `out`.
PlanOutcome run_plan(const PlanConfig& config, const ProcessGroup& group);

// The answer in words: the plan per lever and region (amount, members added, spend by funder and
// year), P(target) with its interval and the median, which constraint binds, which levers buy
// nothing more and from what amount, and what the next step of each lever would buy.
std::string plan_summary(const PlanProblem& problem, const PlanAnswer& answer, render::Lang lang);

std::string plan_json(const PlanProblem& problem, const PlanAnswer& answer);
std::string frontier_csv(const PlanProblem& problem, const PlanAnswer& answer);

} // namespace cakupan
