#include "cakupan/engine/simulation.hpp"

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan {

namespace {

const Variant& find_variant(const Scenario& sc, const std::string& name) {
    if (name.empty()) return sc.variants.front();
    for (const auto& v : sc.variants)
        if (v.name == name) return v;
    std::vector<std::string> names;
    for (const auto& v : sc.variants) names.push_back(v.name);
    throw ScenarioError(sc.path + ": settings: '" + name + "' is not a variant" + did_you_mean(name, names) +
                        "; variants: " + join_list(names));
}

void set_intervention_value(Variant& v, const InterventionValue& x, const std::string& path) {
    const std::string key = "intervention." + x.intervention + "." + x.field;
    auto iv = std::find_if(v.interventions.begin(), v.interventions.end(), [&](const Intervention& i) { return i.name == x.intervention; });
    if (iv == v.interventions.end()) {
        std::vector<std::string> names;
        for (const auto& i : v.interventions) names.push_back(i.name);
        throw ScenarioError(path + ": settings: " + key + ": variant " + v.name + " runs no intervention '" + x.intervention + "'" +
                            did_you_mean(x.intervention, names));
    }
    std::vector<std::string> fields;
    for (const auto& f : intervention_numbers()) {
        if (!f.applies_to(iv->kind)) continue;
        fields.emplace_back(f.name);
        if (x.field != f.name) continue;
        if (!std::isfinite(x.value) || x.value < f.min || x.value > f.max)
            throw ScenarioError(path + ": settings: " + key + " = " + std::to_string(x.value) + ": expected " + f.expected);
        (*iv).*f.member = x.value;
        return;
    }
    throw ScenarioError(path + ": settings: " + key + ": no such number of a " + to_string(iv->kind) + " intervention" +
                        did_you_mean(x.field, fields) + "; numbers: " + join_list(fields));
}

} // namespace

Simulation Simulation::load(const std::string& scenario_path, Diagnostics& notes) {
    return Simulation(load_scenario_inputs(scenario_path, notes));
}

Simulation::Simulation(LoadedScenario inputs)
    : inputs_(std::make_shared<const LoadedScenario>(std::move(inputs))),
      data_(std::make_shared<const EngineData>(make_engine_data(*inputs_))),
      engine_(std::make_shared<const Engine>(inputs_->scenario, inputs_->regions, data_)) {}

// The engine of one variant with `settings` applied (it keeps no reference to the variant).
Engine Simulation::one_variant(const Settings& settings) const {
    const Scenario& sc = inputs_->scenario;
    std::vector<Variant> one = {find_variant(sc, settings.variant)};
    Variant& v = one.front();
    for (const auto& [key, value] : settings.parameters) set_parameter(v.model, key, value, sc.path + ": settings");
    for (const auto& x : settings.interventions) set_intervention_value(v, x, sc.path);
    return Engine(sc.period, sc.target, one, inputs_->regions, data_);
}

Trajectory Simulation::trace(const Settings& settings, std::uint64_t seed) const {
    const Engine engine = one_variant(settings);
    return engine.trace(0, 0, settings.mode, seed, false);
}

RunResult Simulation::evaluate(const Settings& settings, std::uint64_t seed, int threads) const {
    const Engine engine = one_variant(settings);
    RunOptions ro;
    ro.mode = settings.mode;
    ro.draws = std::max(settings.draws, 1);
    ro.seed = seed;
    ro.vary_parameters = settings.mode == Mode::stochastic && settings.vary_parameters;
    ro.threads = threads;
    ro.region_series = settings.region_series;
    return engine.run(ro);
}

} // namespace cakupan
