// A sensitivity study file (studies/*.toml, docs/sensitivity.md): which scenario variant (or which
// analytic test function) to evaluate, the parameters to vary with their distributions, the
// outputs of interest, the method, the sample size and the seed. Checked like scenario files.
#pragma once

#include "cakupan/scenario/scenario.hpp"
#include "cakupan/sensitivity/design.hpp"
#include "cakupan/sensitivity/distribution.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cakupan {

enum class StudyMethod { tornado, lhs, morris, sobol };
const char* to_string(StudyMethod m);

struct StudyParameter {
    // The key path as a [sweep] writes it: "parameters.lapse.informal" or "intervention.apbd.budget";
    // for a test function its input name ("x1").
    std::string key;
    std::string label; // short name for tables and charts; default: the key without "parameters."
    sensitivity::Distribution distribution = sensitivity::Distribution::uniform(0, 1);
    std::string where; // file:line:column of its [[parameter]] table
    std::string key_where; // file:line:column of its key
};

struct Study {
    std::string path;
    std::string name;
    std::string title;
    std::string where; // file:line:column of [study]

    // Either a scenario variant ...
    std::string scenario; // path, resolved relative to the study file
    std::string scenario_where;
    std::string variant;  // "" = the scenario's only variant
    std::string variant_where;
    Mode mode = Mode::expected; // expected path per point (default) or `draws` stochastic draws
    int draws = 0;              // stochastic mode only
    // ... or an analytic test function (sensitivity::make_test_function).
    std::string function;
    std::vector<double> coefficients;

    StudyMethod method = StudyMethod::sobol;
    std::size_t samples = 0;   // LHS points, Morris trajectories, Sobol base rows; unused by tornado
    std::uint64_t seed = 1;
    bool second_order = false; // Sobol S2
    std::size_t bootstrap = 500; // Sobol confidence intervals
    double confidence = 0.95;    // level of every interval
    int levels = 4;              // Morris grid levels

    std::vector<StudyParameter> parameters; // for a test function: its inputs
    std::vector<std::string> outputs;       // coverage_end, coverage_end_by_region, probability, spend, cost_per_added_member
    std::string outputs_where;
};

inline const std::vector<std::string>& study_output_kinds() {
    static const std::vector<std::string> kinds = {"coverage_end", "coverage_end_by_region", "probability", "spend",
                                                   "cost_per_added_member"};
    return kinds;
}

// Reads and checks a study file. Problems throw ScenarioError (exit 4) with file:line:column, the
// key path and, for a misspelt key or name, the nearest valid one. Parameter keys are checked
// against the scenario when the study model is made (make_study_model in study_runner.hpp).
Study load_study(const std::string& path);

// The design of the study's method over its parameters (points in the unit hypercube).
std::unique_ptr<sensitivity::Design> make_design(const Study& study);

} // namespace cakupan
