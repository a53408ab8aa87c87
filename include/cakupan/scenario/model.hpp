// A model file (models/*.toml): the segments of the population and every parameter of the flows,
// each with its default, plausible range, unit, evidence mark and source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// calibrated = estimated from observed series by `cakupan calibrate` (its range is the posterior's
// 90% interval); like estimates, calibrated parameters are drawn in stochastic runs.
enum class Evidence { sourced, derived, estimate, calibrated };
enum class Payer { employer, self, budget }; // who pays the premium of a segment

struct Segment {
    std::string id;
    std::string label_en;
    std::string label_id; // Bahasa Indonesia
    Payer pays = Payer::self;
};

struct Parameter {
    std::string key; // dotted path below [parameters], e.g. "lapse.informal"
    double value = 0;
    double low = 0, high = 0;       // plausible range; the default lies inside it
    double min = 0, max = 0;        // hard limits; any value used must lie inside them
    std::string unit;
    Evidence evidence = Evidence::estimate;
    std::string source;
    std::string where; // file:line:column of the definition
    bool set_by_scenario = false; // a scenario or variant gave this value: it is not drawn
};

struct Model {
    std::string path;
    std::string name;
    std::string title;
    std::string time_unit; // "month"
    std::vector<Segment> segments;
    std::vector<Parameter> parameters; // sorted by key

    const Parameter* find(std::string_view key) const;
    double value(std::string_view key) const; // throws ScenarioError naming the nearest key
    std::vector<std::string> keys() const;
    std::ptrdiff_t segment_index(std::string_view id) const; // -1 when absent
};

// Reads and checks a model file; throws ScenarioError with file:line:column and key path.
Model load_model(const std::string& path);

// Sets parameter `key` to `value`; throws ScenarioError (prefixed by `where`) for an unknown key
// (with the nearest one) or a value outside the hard limits. Returns false when the value lies
// outside the plausible range, so the caller can warn.
bool set_parameter(Model& model, const std::string& key, double value, const std::string& where);
// The parameter `key` of `model`, after the checks set_parameter makes (ScenarioError naming
// `where`): a parameter of the model, a value within its limits.
const Parameter& checked_parameter(const Model& model, const std::string& key, double value, const std::string& where);

const char* to_string(Evidence e);
const char* to_string(Payer p);

} // namespace cakupan
