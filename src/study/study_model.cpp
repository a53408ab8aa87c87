// The two kinds of study model: a scenario variant run by the engine, and an analytic test
// function. Parameter keys use the language of [sweep]: parameters.<model key> and
// intervention.<name>.<field>.
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/sensitivity/test_functions.hpp"
#include "cakupan/engine/simulation.hpp"
#include "cakupan/study/study_runner.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <mutex>
#include <cmath>

namespace cakupan {

namespace {

namespace sa = cakupan::sensitivity;

// One varied key, resolved against the variant.
struct Target {
    std::string model_key;             // parameters.<model_key>, or
    std::string intervention, field;   // intervention.<intervention>.<field>
};

std::uint64_t mix(std::uint64_t x) { // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class ScenarioStudyModel final : public StudyModel {
public:
    ScenarioStudyModel(const Study& st, Diagnostics& notes) : sim_(Simulation::load(st.scenario, notes)) {
        const Scenario& sc = sim_.inputs().scenario;
        std::vector<std::string> names;
        for (const auto& v : sc.variants) names.push_back(v.name);
        std::size_t vi = 0;
        if (st.variant.empty()) {
            if (sc.variants.size() > 1)
                throw ScenarioError(st.where + ": study.variant is missing: " + sc.path + " has " + std::to_string(names.size()) +
                                    " variants (" + join_list(names) + ")");
        } else {
            const auto it = std::find(names.begin(), names.end(), st.variant);
            if (it == names.end())
                throw ScenarioError(st.variant_where + ": study.variant: '" + st.variant + "' is not a variant of " + sc.path +
                                    did_you_mean(st.variant, names) + "; variants: " + join_list(names));
            vi = static_cast<std::size_t>(it - names.begin());
        }
        base_ = sc;
        base_.variants = {sc.variants[vi]};
        const Variant& v = base_.variants.front();

        // Every key a study may vary in this variant, for "did you mean".
        std::vector<std::string> valid;
        for (const auto& k : v.model.keys()) valid.push_back("parameters." + k);
        for (const auto& iv : v.interventions)
            for (const auto& f : intervention_numbers())
                if (f.applies_to(iv.kind)) valid.push_back("intervention." + iv.name + "." + f.name);

        kinds_ = st.outputs;
        for (const auto& p : st.parameters) targets_.push_back(resolve(p, valid, notes));

        for (const auto& o : st.outputs) {
            if (o == "coverage_end_by_region")
                for (const auto& code : sim_.inputs().regions.ids) outputs_.push_back("coverage_end:" + code);
            else outputs_.push_back(o);
        }
        files_ = {st.path};
        files_.insert(files_.end(), sc.input_files.begin(), sc.input_files.end());
        if (std::find(st.outputs.begin(), st.outputs.end(), "coverage_end_by_region") != st.outputs.end()) {
            codes_ = sim_.inputs().regions.ids;
            names_ = sim_.inputs().regions.names;
        }
        mode_ = st.mode;
        draws_ = st.draws;
        seed_ = st.seed;
    }

    const std::vector<std::string>& output_names() const override { return outputs_; }
    const std::vector<std::string>& input_files() const override { return files_; }
    const std::vector<std::string>& region_codes() const override { return codes_; }
    const std::vector<std::string>& region_names() const override { return names_; }
    std::string boundaries() const override { return base_.boundaries.path; }
    std::string boundaries_layer() const override { return sim_.inputs().regions.layer; }
    const ShapeSet* region_shapes() const override { return codes_.empty() ? nullptr : &sim_.inputs().regions.shapes; }
    const ParentRegions* region_parents() const override {
        if (codes_.empty()) return nullptr;
        // Only the figures need them: `--check` does not wait for the dissolve.
        std::call_once(parents_once_, [this] { parents_ = default_parents(sim_.inputs().regions, base_.boundaries.encoding); });
        return parents_.empty() ? nullptr : &parents_;
    }

    void evaluate(std::size_t index, std::span<const double> x, std::span<double> y) const override {
        Settings settings;
        settings.variant = base_.variants.front().name;
        for (std::size_t k = 0; k < targets_.size(); ++k) {
            const Target& t = targets_[k];
            if (!t.model_key.empty()) settings.parameters.emplace_back(t.model_key, x[k]);
            else settings.interventions.push_back({t.intervention, t.field, x[k]});
        }
        settings.mode = mode_;
        settings.draws = std::max(draws_, 1);
        settings.vary_parameters = base_.vary_parameters;
        // The points run in parallel, each evaluation on one thread.
        const RunResult r = sim_.evaluate(settings, mix(seed_ ^ mix(index)), 1);
        const VariantResult& res = r.variants.front();
        const auto end = res.mean.cols() - 1;
        std::size_t j = 0;
        for (const auto& o : kinds_) {
            if (o == "coverage_end") y[j++] = res.overall_mean[end];
            else if (o == "coverage_end_by_region")
                for (Eigen::Index reg = 0; reg < res.mean.rows(); ++reg) y[j++] = res.mean(reg, end);
            else if (o == "probability") y[j++] = res.overall_probability;
            else if (o == "spend") y[j++] = res.spend_mean.sum();
            else if (o == "cost_per_added_member") y[j++] = summarize(r).front().cost_per_added_member;
        }
    }

private:
    Target resolve(const StudyParameter& p, const std::vector<std::string>& valid, Diagnostics& notes) {
        const Variant& v = base_.variants.front();
        const std::string& key = p.key;
        const std::string at = p.key_where + ": parameter key '" + key + "'";
        const double lo = p.distribution.lower(), hi = p.distribution.upper();
        auto check_limits = [&](double min, double max, const std::string& unit) {
            if (lo < min || hi > max)
                throw ScenarioError(p.where + ": parameter key '" + key + "': " + p.distribution.describe() + " reaches " +
                                    format_number(lo < min ? lo : hi) + ", outside the limits [" + format_number(min) + ", " +
                                    format_number(max) + "]" + (unit.empty() ? "" : " (" + unit + ")") +
                                    (std::isinf(lo) || std::isinf(hi) ? "; give low and high to truncate the normal" : ""));
        };
        if (key.rfind("model.", 0) == 0)
            throw ScenarioError(at + ": model parameters are written as in [sweep]: 'parameters." + key.substr(6) + "'");
        if (key.rfind("parameters.", 0) == 0) {
            const std::string mk = key.substr(11);
            const Parameter* param = v.model.find(mk);
            if (param == nullptr)
                throw ScenarioError(at + ": the model has no such parameter" + did_you_mean(key, valid) +
                                    "; expected parameters.<model key> or intervention.<name>.<field>");
            check_limits(param->min, param->max, param->unit);
            if (lo < param->low || hi > param->high)
                notes.warning(p.where, "parameter key '" + key + "': " + p.distribution.describe() + " goes beyond the plausible range [" +
                                           format_number(param->low) + ", " + format_number(param->high) + "]");
            // A funded programme's premium is fixed when the scenario is read; varying the model's
            // premium would not reach it.
            if (mk.rfind("premium.", 0) == 0)
                for (const auto& iv : v.interventions)
                    if ((iv.kind == InterventionKind::subsidy || iv.kind == InterventionKind::village_programme) &&
                        iv.segments.front() == mk.substr(8))
                        throw ScenarioError(at + ": intervention '" + iv.name + "' pays this premium as set when the scenario is read; vary 'intervention." +
                                            iv.name + ".premium' instead");
            return {mk, "", ""};
        }
        if (key.rfind("intervention.", 0) == 0) {
            const std::string rest = key.substr(13);
            const auto dot = rest.find('.');
            const std::string name = rest.substr(0, dot);
            std::vector<std::string> declared, running;
            for (const auto& iv : base_.declared) declared.push_back(iv.name);
            for (const auto& iv : v.interventions) running.push_back(iv.name);
            if (std::find(declared.begin(), declared.end(), name) == declared.end())
                throw ScenarioError(at + ": no intervention '" + name + "' in " + base_.path + did_you_mean(key, valid) +
                                    "; interventions: " + join_list(declared));
            const auto it = std::find(running.begin(), running.end(), name);
            if (it == running.end())
                throw ScenarioError(at + ": variant '" + v.name + "' does not run intervention '" + name +
                                    "', so the key has no effect; it runs: " + join_list(running));
            const Intervention& iv = v.interventions[static_cast<std::size_t>(it - running.begin())];
            const std::string field = dot == std::string::npos ? "" : rest.substr(dot + 1);
            std::vector<std::string> fields;
            for (const auto& f : intervention_numbers())
                if (f.applies_to(iv.kind)) fields.emplace_back(f.name);
            for (const auto& f : intervention_numbers())
                if (field == f.name && f.applies_to(iv.kind)) {
                    check_limits(f.min, f.max, "");
                    return {"", name, field};
                }
            throw ScenarioError(at + ": '" + field + "' is not a number a study can vary on a " + to_string(iv.kind) +
                                did_you_mean(field, fields) + "; fields: " + join_list(fields));
        }
        throw ScenarioError(at + ": unknown key" + did_you_mean(key, valid) +
                            "; expected parameters.<model key> or intervention.<name>.<field>");
    }

    Simulation sim_;
    mutable std::once_flag parents_once_;
    mutable ParentRegions parents_;
    Scenario base_; // the chosen variant alone, to resolve keys against
    std::vector<Target> targets_;
    std::vector<std::string> kinds_, outputs_, files_, codes_, names_;
    Mode mode_ = Mode::expected;
    int draws_ = 0;
    std::uint64_t seed_ = 1;
};

class FunctionStudyModel final : public StudyModel {
public:
    explicit FunctionStudyModel(const Study& st) : f_(sa::make_test_function(st.function, st.coefficients)), files_{st.path} {}
    const std::vector<std::string>& output_names() const override { return outputs_; }
    const std::vector<std::string>& input_files() const override { return files_; }
    const std::vector<std::string>& region_codes() const override { return none_; }
    const std::vector<std::string>& region_names() const override { return none_; }
    void evaluate(std::size_t, std::span<const double> x, std::span<double> y) const override { y[0] = f_.evaluate(x); }

private:
    sa::TestFunction f_;
    std::vector<std::string> files_, outputs_{"y"}, none_;
};

} // namespace

std::unique_ptr<StudyModel> make_study_model(const Study& study, Diagnostics& notes) {
    if (!study.function.empty()) return std::make_unique<FunctionStudyModel>(study);
    return std::make_unique<ScenarioStudyModel>(study, notes);
}

} // namespace cakupan
