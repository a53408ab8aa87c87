// The scenario of a plan as TOML: the base scenario file with its data paths rebased, one
// intervention per decision variable (copied from the lever's template, restricted to its region
// group, with the variable's amount), and two variants: the base variant and "plan".
#include "cakupan/plan/plan_problem.hpp"

#include "cakupan/common/error.hpp"
#include "io/toml_support.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

namespace cakupan {

namespace fs = std::filesystem;

namespace {

std::string rebase(const std::string& value, const fs::path& from_dir, const std::string& dir) {
    fs::path p(value);
    if (p.is_relative()) p = (from_dir / p).lexically_normal();
    if (dir.empty()) return p.string();
    return p.lexically_relative(fs::absolute(dir).lexically_normal()).generic_string();
}

void set_number(toml::table& t, const std::string& key, double v) {
    if (std::floor(v) == v && std::fabs(v) < 9e15) t.insert_or_assign(key, static_cast<std::int64_t>(v));
    else t.insert_or_assign(key, v);
}

toml::array string_array(const std::vector<std::string>& items) {
    toml::array a;
    for (const auto& s : items) a.push_back(s);
    return a;
}

} // namespace

std::string PlanProblem::scenario_text(const std::vector<double>& x, const std::string& dir, int extend_months) const {
    toml::table root;
    try {
        root = toml::parse_file(plan_.scenario);
    } catch (const toml::parse_error& e) {
        throw ScenarioError(plan_.scenario + ": " + std::string(e.description()));
    }
    const fs::path base_dir = fs::absolute(plan_.scenario).parent_path();
    if (auto* data = root["data"].as_table())
        for (const char* key : {"boundaries", "statistics"})
            if (auto* s = data->get_as<std::string>(key)) *s = rebase(s->get(), base_dir, dir);
    if (auto* model = root["model"].as_table())
        if (auto* s = model->get_as<std::string>("file")) *s = rebase(s->get(), base_dir, dir);
    root.erase("sweep");
    if (extend_months > 0)
        if (auto* period = root["period"].as_table())
            if (auto* end = period->get_as<toml::date>("end")) {
                const auto e = end->get();
                const Date later = add_months(Date{std::chrono::year(e.year), std::chrono::month(e.month), std::chrono::day(e.day)}, extend_months);
                *end = toml::date{static_cast<int>(later.year()), static_cast<unsigned>(later.month()), static_cast<unsigned>(later.day())};
            }

    auto* run = root["run"].as_table();
    if (run == nullptr) root.insert("run", toml::table{}), run = root["run"].as_table();
    run->insert_or_assign("seed", static_cast<std::int64_t>(plan_.seed));
    run->insert_or_assign("draws", static_cast<std::int64_t>(plan_.draws));
    run->insert_or_assign("mode", plan_.mode == Mode::expected ? "expected" : "stochastic");
    run->insert_or_assign("uncertainty", plan_.vary_parameters ? "parameters" : "none");
    if (plan_.target) {
        auto* target = root["target"].as_table();
        if (target == nullptr) root.insert("target", toml::table{}), target = root["target"].as_table();
        target->insert_or_assign("coverage", *plan_.target);
    }

    auto* ivs = root["intervention"].as_table();
    if (ivs == nullptr) root.insert("intervention", toml::table{}), ivs = root["intervention"].as_table();
    std::vector<std::string> replaced;
    for (const auto& l : plan_.levers)
        if (!l.from.empty()) replaced.push_back(l.from);
    std::vector<toml::table> templates;
    for (const auto& l : plan_.levers) {
        if (!l.from.empty()) {
            const auto* t = (*ivs)[l.from].as_table();
            if (t == nullptr) throw ScenarioError(l.where + ": lever." + l.name + ".from: the scenario has no intervention '" + l.from + "'");
            templates.push_back(*t);
        } else {
            for (const auto& [name, text] : inline_)
                if (name == l.name) templates.push_back(toml::parse(text));
        }
    }
    for (const auto& l : plan_.levers)
        if (l.from == l.name) ivs->erase(l.name);
    for (std::size_t i = 0; i < vars_.size(); ++i) {
        const auto& v = vars_[i];
        const auto& lever = plan_.levers[v.lever];
        toml::table t = templates[v.lever];
        if (!v.codes.empty()) {
            t.erase("exclude");
            t.erase("level");
            t.insert_or_assign("regions", string_array(v.codes));
        }
        t.insert_or_assign("description", "plan " + plan_.name + ": " + v.label + (lever.funder.empty() ? "" : ", paid by " + lever.funder));
        t.erase("enabled");
        if (lever.amount == "months") t.erase("end"); // a campaign lever runs its months from its start
        set_number(t, lever.amount, x[i]);
        if (lever.fee > 0) set_number(t, "cost", std::round(x[i] * lever.fee * v.fee_months));
        ivs->insert_or_assign(v.intervention, std::move(t));
    }

    // Variants: the base as it was, and the plan (the base's programmes without the replaced ones, plus the levers).
    toml::table variants;
    toml::table base;
    if (const auto* vt = root["variant"].as_table()) {
        const std::string name = plan_.variant.empty() ? base_variant_ : plan_.variant;
        if (const auto* t = (*vt)[name].as_table()) base = *t;
    }
    base.insert_or_assign("interventions", string_array(base_interventions_));
    toml::table planned = base;
    std::vector<std::string> names;
    for (const auto& n : base_interventions_)
        if (std::find(replaced.begin(), replaced.end(), n) == replaced.end()) names.push_back(n);
    for (const auto& v : vars_) names.push_back(v.intervention);
    planned.insert_or_assign("interventions", string_array(names));
    planned.insert_or_assign("description", plan_.title.empty() ? "plan " + plan_.name : plan_.title);
    if (auto* pv = planned["intervention"].as_table())
        for (const auto& r : replaced) pv->erase(r);
    variants.insert("base", std::move(base));
    variants.insert("plan", std::move(planned));
    root.insert_or_assign("variant", std::move(variants));

    std::ostringstream os;
    os << "# The scenario of plan " << plan_.name << " (" << fs::path(plan_.path).filename().string()
       << "), written by cakupan plan: variant \"plan\" is the chosen plan,\n# variant \"base\" what runs without it. "
          "`cakupan run` on this file reproduces the plan's numbers.\n\n"
       << root << "\n";
    return os.str();
}

} // namespace cakupan
