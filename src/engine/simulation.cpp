#include "cakupan/engine/simulation.hpp"

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
    auto iv = std::find_if(v.interventions.begin(), v.interventions.end(),
                           [&](const Intervention& i) { return i.name == x.intervention; });
    if (iv == v.interventions.end()) {
        std::vector<std::string> names;
        for (const auto& i : v.interventions) names.push_back(i.name);
        throw ScenarioError(path + ": settings: " + key + ": variant " + v.name + " runs no intervention '" + x.intervention +
                            "'" + did_you_mean(x.intervention, names));
    }
    const bool campaign = iv->kind == InterventionKind::outreach || iv->kind == InterventionKind::regulation ||
                          iv->kind == InterventionKind::enforcement;
    if (campaign && x.field == "months") { // whole months from its start; 0: it does not run
        if (!(x.value >= 0 && x.value <= 120) || std::floor(x.value) != x.value)
            throw ScenarioError(path + ": settings: " + key + " = " + std::to_string(x.value) +
                                ": expected a whole number of months, 0 to 120");
        iv->months = static_cast<int>(x.value);
        iv->end = Date(std::chrono::sys_days(add_months(iv->start, iv->months)) - std::chrono::days(1));
        return;
    }
    std::vector<std::string> fields;
    if (campaign) fields.emplace_back("months");
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

ParameterChange parameter_change(const Model& model, const Period& period, const std::string& key, const std::string& date,
                                 double value, const std::string& where) {
    if (!changeable_parameter(key))
        throw ScenarioError(where + ": " + key + "@" + date +
                            ": only replacement.<segment>, lapse.<segment>, bass_p, bass_q and "
                            "january_gap may change from a date");
    (void)checked_parameter(model, key, value, where); // the key and the limits, without copying the model
    int y = 0, m = 0, dd = 1;
    char tail = 0;
    const std::string text = date.size() == 7 ? date + "-01" : date;
    const bool read = text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3;
    const Date d{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)), std::chrono::day(static_cast<unsigned>(dd))};
    if (!read || !d.ok())
        throw ScenarioError(where + ": " + key + "@" + date + ": expected a date YYYY-MM-DD or a month YYYY-MM after '@'");
    if (d <= period.start || d > period.end)
        throw ScenarioError(where + ": " + key + "@" + date + ": the date is not inside the period after its start (" +
                            to_string(period.start) + " to " + to_string(period.end) + ")");
    return {key, d, value};
}

RegionFactor region_factor(const Model& model, const RegionTable& regions, const std::string& key, const std::string& code,
                           double factor, const std::string& where) {
    if (key.rfind("replacement.", 0) != 0 || model.find(key) == nullptr)
        throw ScenarioError(where + ": " + key + "#" + code + ": only replacement.<segment> of the model varies by region" +
                            did_you_mean(key, model.keys()));
    bool any = false;
    for (std::size_t i = 0; i < regions.size() && !any; ++i)
        any = regions.ids[i] == code || regions.codes.is_within(regions.ids[i], code);
    if (!any)
        throw ScenarioError(where + ": " + key + "#" + code + ": no region of " + regions.source +
                            " has this code or lies within it");
    if (!std::isfinite(factor) || factor < 0 || factor > 10)
        throw ScenarioError(where + ": " + key + "#" + code + " = " + std::to_string(factor) +
                            ": expected a multiplier from 0 to 10");
    return {key, code, factor};
}

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
    for (const auto& [key, value] : settings.parameters) {
        if (const auto hash = key.find('#'); hash != std::string::npos) {
            v.factors.push_back(region_factor(v.model, inputs_->regions, key.substr(0, hash), key.substr(hash + 1), value,
                                              sc.path + ": settings"));
            continue;
        }
        const auto at = key.find('@');
        if (at == std::string::npos) {
            set_parameter(v.model, key, value, sc.path + ": settings");
            continue;
        }
        v.changes.push_back(
            parameter_change(v.model, sc.period, key.substr(0, at), key.substr(at + 1), value, sc.path + ": settings"));
    }
    std::stable_sort(v.changes.begin(), v.changes.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
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
