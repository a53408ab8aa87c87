// A scenario loaded and checked once, then evaluated any number of times in process: the unit
// that `cakupan run`, sensitivity studies, calibration and planning share. An evaluation is a
// pure function of (settings, seed): no state changes, so several threads may evaluate at once.
#pragma once

#include "cakupan/engine/engine.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cakupan {

class Diagnostics;

// A number of an intervention, as [sweep] and studies name it: intervention.<name>.<field>.
struct InterventionValue {
    std::string intervention, field;
    double value = 0;
};

// What one evaluation changes, and how it runs. Default: the first variant as the file has it,
// in expected mode.
// A model parameter's value from a date on, checked against the model and the period: `key` must
// be changeable_parameter, `date` YYYY-MM-DD or YYYY-MM (its first day), after the start.
ParameterChange parameter_change(const Model& model, const Period& period, const std::string& key, const std::string& date,
                                 double value, const std::string& where);

// A regional multiplier (scenario.hpp, RegionFactor), checked against the model and the regions.
RegionFactor region_factor(const Model& model, const RegionTable& regions, const std::string& key, const std::string& code,
                           double factor, const std::string& where);

struct Settings {
    std::string variant;                                     // "" = the first variant
    // model key ("lapse.informal") -> value; "KEY@DATE": from that date on; "KEY#CODE": a multiplier
    // on KEY in the regions of CODE (replacement.<segment> only)
    std::vector<std::pair<std::string, double>> parameters;
    std::vector<InterventionValue> interventions;
    Mode mode = Mode::expected;
    int draws = 1;                // stochastic mode
    bool vary_parameters = false; // stochastic mode: draw uncertain parameters from their ranges
    bool region_series = false;   // per-region percentiles at every step (else at the end only)
};

class Simulation {
public:
    // Reads the scenario and everything it names and runs every check (errors as
    // load_scenario_inputs); warnings go to `notes`.
    static Simulation load(const std::string& scenario_path, Diagnostics& notes);
    explicit Simulation(LoadedScenario inputs);

    const LoadedScenario& inputs() const { return *inputs_; }
    const Calendar& calendar() const { return engine_->calendar(); }

    // One variant with `settings` applied. ScenarioError for an unknown variant, parameter,
    // intervention or field (with the nearest name) or a value outside its limits.
    RunResult evaluate(const Settings& settings, std::uint64_t seed, int threads = 1) const;

    // The whole state of one draw (draw 0, parameters as set, none drawn) of the variant with
    // `settings` applied, in settings.mode: per segment, where evaluate() gives coverage only.
    Trajectory trace(const Settings& settings, std::uint64_t seed) const;

    // Workers per region and model segment, as the statistics give them (regions x segments).
    const Eigen::ArrayXXd& workers() const { return data_->workers; }

    // Every variant as the scenario file has them: what `cakupan run` projects.
    RunResult run(const RunOptions& options) const { return engine_->run(options); }

private:
    Engine one_variant(const Settings& settings) const;

    std::shared_ptr<const LoadedScenario> inputs_;
    std::shared_ptr<const EngineData> data_;
    std::shared_ptr<const Engine> engine_; // every variant, built once
};

} // namespace cakupan
