#include "cakupan/study/study.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/sensitivity/test_functions.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

namespace cakupan {

namespace fs = std::filesystem;
namespace sa = cakupan::sensitivity;

const char* to_string(StudyMethod m) {
    switch (m) {
    case StudyMethod::tornado: return "tornado";
    case StudyMethod::lhs: return "lhs";
    case StudyMethod::morris: return "morris";
    case StudyMethod::sobol: return "sobol";
    }
    return "?";
}

namespace {

const std::vector<std::string> kMethods = {"tornado", "lhs", "morris", "sobol"};
const std::vector<std::string> kDistributions = {"uniform", "normal", "triangular", "log-uniform"};
const std::vector<std::string> kFunctions = {"ishigami", "g-function", "linear"};

// Parameters of a distribution: which keys each kind needs and allows.
sa::Distribution read_distribution(const TomlFile& f, const toml::table& t, const std::string& path) {
    const std::string kind = t.get("distribution") ? f.choice(*t.get("distribution"), path + ".distribution", kDistributions,
                                                            "a distribution")
                                                   : "uniform";
    auto has = [&](const char* k) { return t.get(k) != nullptr; };
    auto need = [&](const char* k) { return f.number(f.require(t, path, k), path + "." + k); };
    auto refuse = [&](std::initializer_list<const char*> keys) {
        for (const char* k : keys)
            if (has(k))
                throw ScenarioError(f.where(*t.get(k)) + ": " + path + "." + k + ": not used by a " + kind +
                                    " distribution (uniform and log-uniform take low, high; triangular low, mode, high; "
                                    "normal mean, sd and optional low, high)");
    };
    try {
        if (kind == "uniform") {
            refuse({"mode", "mean", "sd"});
            return sa::Distribution::uniform(need("low"), need("high"));
        }
        if (kind == "log-uniform") {
            refuse({"mode", "mean", "sd"});
            return sa::Distribution::log_uniform(need("low"), need("high"));
        }
        if (kind == "triangular") {
            refuse({"mean", "sd"});
            return sa::Distribution::triangular(need("low"), need("mode"), need("high"));
        }
        refuse({"mode"});
        const double inf = std::numeric_limits<double>::infinity();
        return sa::Distribution::normal(need("mean"), need("sd"), has("low") ? need("low") : -inf, has("high") ? need("high") : inf);
    } catch (const std::invalid_argument& e) {
        throw ScenarioError(f.where(t) + ": " + path + ": " + e.what());
    }
}

} // namespace

Study load_study(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    const toml::table& root = f.root();
    f.check_keys(root, "", {"study", "parameter"});

    Study st;
    st.path = path;
    const auto& t = f.table(f.require(root, "", "study"), "study");
    st.where = f.where(t);
    f.check_keys(t, "study", {"name", "title", "scenario", "variant", "mode", "draws", "function", "coefficients", "method",
                              "samples", "seed", "second_order", "bootstrap", "confidence", "levels", "outputs"});
    st.name = t.get("name") ? f.string(*t.get("name"), "study.name") : fs::path(path).stem().string();
    if (const auto* n = t.get("title")) st.title = f.string(*n, "study.title");

    const toml::node* scenario = t.get("scenario");
    const toml::node* function = t.get("function");
    if ((scenario == nullptr) == (function == nullptr))
        throw ScenarioError(st.where + ": study: give either scenario = \"FILE\" (a scenario variant) or function = \"NAME\" "
                                       "(a test function: " + join_list(kFunctions) + "), not both or neither");
    const std::string method = f.choice(f.require(t, "study", "method"), "study.method", kMethods, "a method");
    st.method = static_cast<StudyMethod>(std::find(kMethods.begin(), kMethods.end(), method) - kMethods.begin());

    // Keys that belong to one method only are refused elsewhere, so a forgotten change of method
    // does not pass unnoticed.
    auto only_for = [&](const char* key, StudyMethod m, const char* why) {
        if (const auto* n = t.get(key); n != nullptr && st.method != m)
            throw ScenarioError(f.where(*n) + ": study." + key + ": only used by method = \"" + to_string(m) + "\" (" + why + ")");
    };
    only_for("second_order", StudyMethod::sobol, "second-order Sobol indices");
    only_for("bootstrap", StudyMethod::sobol, "bootstrap confidence intervals");
    only_for("levels", StudyMethod::morris, "grid levels");
    if (const auto* n = t.get("samples")) {
        if (st.method == StudyMethod::tornado)
            throw ScenarioError(f.where(*n) + ": study.samples: the tornado method evaluates 1 + 2 x parameters points; remove samples");
        const std::int64_t lo = st.method == StudyMethod::lhs ? 5 : 2;
        st.samples = static_cast<std::size_t>(f.whole(*n, "study.samples", lo, 1'000'000));
    } else if (st.method != StudyMethod::tornado) {
        const char* what = st.method == StudyMethod::lhs ? "the number of points" : st.method == StudyMethod::morris
                                                                                    ? "the number of trajectories"
                                                                                    : "the number of base rows N (a power of two)";
        throw ScenarioError(st.where + ": study.samples is missing (" + what + ")");
    }
    if (const auto* n = t.get("seed")) st.seed = static_cast<std::uint64_t>(f.whole(*n, "study.seed", 0, std::numeric_limits<std::int64_t>::max()));
    if (const auto* n = t.get("second_order")) st.second_order = f.boolean(*n, "study.second_order");
    if (const auto* n = t.get("bootstrap")) st.bootstrap = static_cast<std::size_t>(f.whole(*n, "study.bootstrap", 0, 100'000));
    if (const auto* n = t.get("levels")) {
        st.levels = static_cast<int>(f.whole(*n, "study.levels", 2, 100));
        if (st.levels % 2 != 0) throw ScenarioError(f.where(*n) + ": study.levels = " + std::to_string(st.levels) + ": expected an even number of levels");
    }
    if (const auto* n = t.get("confidence")) {
        st.confidence = f.number(*n, "study.confidence");
        if (!(st.confidence > 0.5 && st.confidence < 1))
            throw ScenarioError(f.where(*n) + ": study.confidence = " + format_number(st.confidence) + " is out of range: expected a level between 0.5 and 1, e.g. 0.95");
    }

    const toml::node* params = root.get("parameter");
    if (function != nullptr) {
        for (const char* key : {"variant", "mode", "draws", "outputs"})
            if (const auto* n = t.get(key))
                throw ScenarioError(f.where(*n) + ": study." + key + ": not used with a test function (only with scenario = ...)");
        std::string name = f.choice(*function, "study.function", {"ishigami", "g-function", "gfunction", "linear"}, "a test function");
        if (name == "gfunction") name = "g-function";
        st.function = name;
        if (const auto* n = t.get("coefficients")) {
            const auto* arr = n->as_array();
            if (arr == nullptr) throw ScenarioError(f.where(*n) + ": study.coefficients: expected an array of numbers");
            for (std::size_t i = 0; i < arr->size(); ++i)
                st.coefficients.push_back(f.number(*arr->get(i), "study.coefficients[" + std::to_string(i) + "]"));
        }
        sa::TestFunction tf;
        try {
            tf = sa::make_test_function(st.function, st.coefficients);
        } catch (const std::invalid_argument& e) {
            throw ScenarioError(f.where(*function) + ": study.function: " + e.what());
        }
        if (params != nullptr)
            throw ScenarioError(f.where(*params) + ": parameter: a test function fixes its inputs (" + join_list(tf.parameters) +
                                "); remove the [[parameter]] tables");
        for (std::size_t i = 0; i < tf.parameters.size(); ++i)
            st.parameters.push_back({tf.parameters[i], tf.parameters[i], tf.inputs[i], st.where, f.where(*function)});
        st.outputs = {"y"};
    } else {
        if (const auto* n = t.get("coefficients"))
            throw ScenarioError(f.where(*n) + ": study.coefficients: only used with function = ...");
        st.scenario_where = f.where(*scenario);
        const std::string s = f.string(*scenario, "study.scenario");
        if (s.empty()) throw ScenarioError(st.scenario_where + ": study.scenario: empty path");
        st.scenario = fs::path(s).is_absolute() ? s : (fs::path(path).parent_path() / s).lexically_normal().string();
        if (const auto* n = t.get("variant")) {
            st.variant = f.string(*n, "study.variant");
            st.variant_where = f.where(*n);
        }
        if (const auto* n = t.get("mode")) {
            const std::string m = f.choice(*n, "study.mode", {"expected", "stochastic"}, "a mode");
            st.mode = m == "expected" ? Mode::expected : Mode::stochastic;
        }
        if (const auto* n = t.get("draws")) {
            if (st.mode != Mode::stochastic)
                throw ScenarioError(f.where(*n) + ": study.draws: only used with mode = \"stochastic\" (the expected path is one deterministic run)");
            st.draws = static_cast<int>(f.whole(*n, "study.draws", 1, 100'000));
        } else if (st.mode == Mode::stochastic) {
            st.draws = 100;
        }
        if (const auto* n = t.get("outputs")) {
            st.outputs_where = f.where(*n);
            const auto* arr = n->as_array();
            if (arr == nullptr || arr->empty())
                throw ScenarioError(st.outputs_where + ": study.outputs: expected a non-empty array such as [\"coverage_end\"]");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const std::string o = f.choice(*arr->get(i), "study.outputs[" + std::to_string(i) + "]", study_output_kinds(), "an output");
                if (std::find(st.outputs.begin(), st.outputs.end(), o) != st.outputs.end())
                    throw ScenarioError(f.where(*arr->get(i)) + ": study.outputs: '" + o + "' is listed twice");
                st.outputs.push_back(o);
            }
        } else {
            st.outputs = {"coverage_end"};
            st.outputs_where = st.where;
        }

        if (params == nullptr) throw ScenarioError(f.where(root) + ": parameter: no [[parameter]] table: name at least one key to vary");
        const auto* arr = params->as_array();
        if (arr == nullptr || !arr->is_array_of_tables())
            throw ScenarioError(f.where(*params) + ": parameter: expected [[parameter]] tables");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const std::string p = "parameter[" + std::to_string(i) + "]";
            const auto& pt = *arr->get(i)->as_table();
            f.check_keys(pt, p, {"key", "label", "distribution", "low", "high", "mode", "mean", "sd"});
            StudyParameter sp;
            sp.where = f.where(pt);
            const toml::node& key = f.require(pt, p, "key");
            sp.key = f.string(key, p + ".key");
            sp.key_where = f.where(key);
            for (const auto& other : st.parameters)
                if (other.key == sp.key) throw ScenarioError(sp.key_where + ": " + p + ".key: '" + sp.key + "' is varied twice");
            sp.label = pt.get("label") ? f.string(*pt.get("label"), p + ".label")
                                       : (sp.key.rfind("parameters.", 0) == 0 ? sp.key.substr(11) : sp.key);
            sp.distribution = read_distribution(f, pt, p);
            st.parameters.push_back(std::move(sp));
        }
    }
    if (st.method == StudyMethod::lhs && st.samples < st.parameters.size() + 4)
        throw ScenarioError(st.where + ": study.samples = " + std::to_string(st.samples) + " is too few for partial rank correlation of " +
                            std::to_string(st.parameters.size()) + " parameters: expected at least " + std::to_string(st.parameters.size() + 4));
    make_design(st); // the design's own checks (Sobol N, Morris levels), with the study's place
    return st;
}

std::unique_ptr<sa::Design> make_design(const Study& st) {
    const std::size_t d = st.parameters.size();
    try {
        switch (st.method) {
        case StudyMethod::tornado: return std::make_unique<sa::OatDesign>(d);
        case StudyMethod::lhs: return std::make_unique<sa::LhsDesign>(st.samples, d, st.seed);
        case StudyMethod::morris: return std::make_unique<sa::MorrisDesign>(d, sa::MorrisSettings{st.samples, st.levels}, st.seed);
        case StudyMethod::sobol: {
            sa::SaltelliSettings s;
            s.base_rows = st.samples;
            s.second_order = st.second_order;
            return std::make_unique<sa::SaltelliDesign>(d, s);
        }
        }
    } catch (const std::invalid_argument& e) {
        throw ScenarioError(st.where + ": study: " + e.what());
    }
    throw Error("make_design: unknown method");
}

} // namespace cakupan
