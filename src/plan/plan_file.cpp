#include "cakupan/plan/plan.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace cakupan {

namespace fs = std::filesystem;

const char* to_string(PlanGoal g) {
    switch (g) {
    case PlanGoal::minimum_spend: return "minimum_spend";
    case PlanGoal::maximise: return "maximise";
    case PlanGoal::frontier: return "frontier";
    }
    return "?";
}

const char* to_string(Requirement r) {
    switch (r) {
    case Requirement::overall: return "overall";
    case Requirement::every_region: return "every_region";
    case Requirement::median: return "median";
    }
    return "?";
}

const char* to_string(Measure m) {
    switch (m) {
    case Measure::probability: return "probability";
    case Measure::median: return "median";
    case Measure::regions_at_target: return "regions_at_target";
    case Measure::lowest_region: return "lowest_region";
    }
    return "?";
}

namespace {

// The numbers a lever may decide, and the intervention types that have them.
struct AmountKind {
    const char* amount;
    std::vector<std::string> types;
};
const std::vector<AmountKind>& amount_kinds() {
    static const std::vector<AmountKind> kinds = {
        {"budget", {"subsidy"}},
        {"agents", {"agents"}},
        {"per_village", {"village_programme"}},
        {"months", {"outreach", "regulation", "enforcement"}}};
    return kinds;
}

std::string default_amount(const std::string& type) {
    for (const auto& k : amount_kinds())
        if (std::find(k.types.begin(), k.types.end(), type) != k.types.end()) return k.amount;
    return "";
}

double number_in(const TomlFile& f, const toml::node& n, const std::string& path, double lo, double hi, const std::string& what) {
    const double v = f.number(n, path);
    if (!std::isfinite(v) || v < lo || v > hi)
        throw ScenarioError(f.where(n) + ": " + path + " = " + format_number(v) + " is out of range: expected " + what);
    return v;
}

void read_run(const TomlFile& f, const toml::table& t, Plan& p) {
    if (const auto* n = t.get("mode"))
        p.mode = f.choice(*n, "plan.mode", {"stochastic", "expected"}, "a mode") == "expected" ? Mode::expected : Mode::stochastic;
    if (const auto* n = t.get("draws")) {
        if (!n->is_integer()) throw ScenarioError(f.where(*n) + ": plan.draws: expected a whole number of draws");
        p.draws = static_cast<int>(number_in(f, *n, "plan.draws", 10, 100000, "10 to 100000 draws"));
    }
    if (const auto* n = t.get("seed")) {
        if (!n->is_integer() || n->as_integer()->get() < 0) throw ScenarioError(f.where(*n) + ": plan.seed: expected a whole number >= 0");
        p.seed = static_cast<std::uint64_t>(n->as_integer()->get());
    }
    if (const auto* n = t.get("uncertainty"))
        p.vary_parameters = f.choice(*n, "plan.uncertainty", {"parameters", "none"}, "an uncertainty") == "parameters";
    if (const auto* n = t.get("steps")) {
        if (!n->is_integer()) throw ScenarioError(f.where(*n) + ": plan.steps: expected a whole number");
        p.steps = static_cast<int>(number_in(f, *n, "plan.steps", 2, 200, "2 to 200 increments"));
    }
}

} // namespace

std::string default_plan_amount(const std::string& type) { return default_amount(type); }

namespace {

PlanLever read_lever(const TomlFile& f, const std::string& name, const toml::table& t) {
    const std::string path = "lever." + name;
    PlanLever l;
    l.name = name;
    l.where = f.where(t);
    f.check_keys(t, path, {"from", "intervention", "amount", "min", "max", "unit", "fee", "funder", "regions"});
    const auto* from = t.get("from");
    const auto* inline_iv = t.get("intervention");
    if ((from == nullptr) == (inline_iv == nullptr))
        throw ScenarioError(l.where + ": " + path + ": give either from = \"NAME\" (an intervention of the scenario) or an "
                                      "[" + path + ".intervention] table (a new one), not both");
    if (from) l.from = f.string(*from, path + ".from");
    if (inline_iv) {
        const auto& iv = f.table(*inline_iv, path + ".intervention");
        const auto* type = iv.get("type");
        if (type == nullptr) throw ScenarioError(f.where(iv) + ": " + path + ".intervention.type is missing");
        l.type = f.choice(*type, path + ".intervention.type", {"subsidy", "village_programme", "agents", "outreach", "regulation", "enforcement"},
                        "a type a plan can size");
    }
    if (const auto* n = t.get("amount")) {
        std::vector<std::string> names;
        for (const auto& k : amount_kinds()) names.emplace_back(k.amount);
        l.amount = f.choice(*n, path + ".amount", names, "a number a plan can decide");
        for (const auto& k : amount_kinds())
            if (!l.type.empty() && l.amount == k.amount && std::find(k.types.begin(), k.types.end(), l.type) == k.types.end())
                throw ScenarioError(f.where(*n) + ": " + path + ".amount: a " + l.type + " intervention has no " + l.amount);
    } else {
        l.amount = default_amount(l.type); // "" until the scenario says the type (from = ...)
    }
    l.min = t.get("min") ? number_in(f, *t.get("min"), path + ".min", 0, 1e15, "0 or more") : 0;
    l.max = number_in(f, f.require(t, path, "max"), path + ".max", 0, 1e15, "0 or more");
    if (l.max <= l.min) throw ScenarioError(f.where(*t.get("max")) + ": " + path + ".max = " + format_number(l.max) +
                                            ": expected more than min = " + format_number(l.min));
    l.unit = t.get("unit") ? number_in(f, *t.get("unit"), path + ".unit", 1e-9, 1e15, "a positive unit") : 0; // 0: by amount
    if (l.unit > 0 && std::floor(l.unit) != l.unit)
        throw ScenarioError(f.where(*t.get("unit")) + ": " + path + ".unit: expected a whole number (Rp, agents, workers per village)");
    if (const auto* n = t.get("fee")) {
        if (!l.amount.empty() && l.amount != "agents")
            throw ScenarioError(f.where(*n) + ": " + path + ".fee: only for agents (Rp per agent per month)");
        l.fee = number_in(f, *n, path + ".fee", 0, 1e12, "Rp per agent per month, 0 or more");
    }
    l.funder = t.get("funder") ? f.string(*t.get("funder"), path + ".funder") : "unassigned";
    if (const auto* n = t.get("regions")) {
        if (n->is_string()) {
            if (f.string(*n, path + ".regions") != "each")
                throw ScenarioError(f.where(*n) + ": " + path + ".regions: expected \"each\" (one amount per region) or an array "
                                                  "of region groups such as [[\"19.01\", \"19.71\"], [\"19.03\"]]");
            l.each_region = true;
        } else if (const auto* arr = n->as_array(); arr && !arr->empty()) {
            for (std::size_t i = 0; i < arr->size(); ++i)
                l.groups.push_back(f.strings(*arr->get(i), path + ".regions[" + std::to_string(i) + "]"));
        } else {
            throw ScenarioError(f.where(*n) + ": " + path + ".regions: expected \"each\" or a non-empty array of region groups");
        }
    }
    return l;
}

} // namespace

// The inline intervention tables of a plan, as TOML text keyed by lever (plan_scenario.cpp copies them).
std::vector<std::pair<std::string, std::string>> plan_inline_interventions(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    std::vector<std::pair<std::string, std::string>> out;
    if (const auto* levers = f.root().get("lever"); levers && levers->is_table())
        for (const auto& [k, node] : *levers->as_table())
            if (const auto* t = node.as_table(); t && t->get("intervention") && t->get("intervention")->is_table()) {
                std::ostringstream os;
                os << *t->get("intervention")->as_table();
                out.emplace_back(std::string(k.str()), os.str());
            }
    return out;
}

Plan load_plan(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    const toml::table& root = f.root();
    f.check_keys(root, "", {"plan", "lever", "envelope"});
    Plan p;
    p.path = path;
    const auto& t = f.table(f.require(root, "", "plan"), "plan");
    p.where = f.where(t);
    f.check_keys(t, "plan", {"name", "title", "scenario", "variant", "goal", "requirement", "measure", "probability", "target",
                             "budget", "mode", "draws", "seed", "uncertainty", "steps"});
    p.name = t.get("name") ? f.string(*t.get("name"), "plan.name") : fs::path(path).stem().string();
    if (const auto* n = t.get("title")) p.title = f.string(*n, "plan.title");
    const auto& sc = f.require(t, "plan", "scenario");
    const std::string s = f.string(sc, "plan.scenario");
    if (s.empty()) throw ScenarioError(f.where(sc) + ": plan.scenario: empty path");
    p.scenario = fs::path(s).is_absolute() ? s : (fs::path(path).parent_path() / s).lexically_normal().string();
    if (const auto* n = t.get("variant")) p.variant = f.string(*n, "plan.variant");
    const std::string goal = f.choice(f.require(t, "plan", "goal"), "plan.goal", {"minimum_spend", "maximise", "frontier"}, "a goal");
    p.goal = goal == "minimum_spend" ? PlanGoal::minimum_spend : goal == "maximise" ? PlanGoal::maximise : PlanGoal::frontier;
    if (const auto* n = t.get("requirement")) {
        if (p.goal != PlanGoal::minimum_spend)
            throw ScenarioError(f.where(*n) + ": plan.requirement: only used with goal = \"minimum_spend\"");
        const std::string r = f.choice(*n, "plan.requirement", {"overall", "every_region", "median"}, "a requirement");
        p.requirement = r == "overall" ? Requirement::overall : r == "every_region" ? Requirement::every_region : Requirement::median;
    }
    if (const auto* n = t.get("measure")) {
        if (p.goal != PlanGoal::maximise) throw ScenarioError(f.where(*n) + ": plan.measure: only used with goal = \"maximise\"");
        const std::string m = f.choice(*n, "plan.measure", {"probability", "median", "regions_at_target", "lowest_region"}, "a measure");
        p.measure = m == "probability" ? Measure::probability
                    : m == "median"    ? Measure::median
                    : m == "regions_at_target" ? Measure::regions_at_target
                                               : Measure::lowest_region;
    }
    if (const auto* n = t.get("probability")) p.probability = number_in(f, *n, "plan.probability", 0.01, 0.99, "a probability from 0.01 to 0.99");
    if (const auto* n = t.get("target")) p.target = number_in(f, *n, "plan.target", 0.0001, 1, "a coverage share such as 0.4");
    if (const auto* n = t.get("budget")) {
        if (p.goal == PlanGoal::minimum_spend) throw ScenarioError(f.where(*n) + ": plan.budget: goal = \"minimum_spend\" finds the spend; remove budget");
        p.budget = number_in(f, *n, "plan.budget", 1, 1e16, "Rp, more than 0");
    }
    read_run(f, t, p);

    const auto* levers = root.get("lever");
    if (levers == nullptr) throw ScenarioError(p.where + ": no [lever.NAME] table: a plan decides at least one lever");
    const auto& lt = f.table(*levers, "lever");
    std::vector<std::pair<std::string, const toml::node*>> in_order; // TOML tables iterate by name; levers keep the file's order
    for (const auto& [k, node] : lt) in_order.emplace_back(std::string(k.str()), &node);
    std::stable_sort(in_order.begin(), in_order.end(), [](const auto& a, const auto& b) {
        const auto& x = a.second->source().begin;
        const auto& y = b.second->source().begin;
        return x.line != y.line ? x.line < y.line : x.column < y.column;
    });
    for (const auto& [k, node] : in_order) p.levers.push_back(read_lever(f, k, f.table(*node, "lever." + k)));
    if (p.levers.empty()) throw ScenarioError(f.where(lt) + ": lever: a plan decides at least one lever");

    if (const auto* envs = root.get("envelope")) {
        const auto* arr = envs->as_array();
        if (arr == nullptr) throw ScenarioError(f.where(*envs) + ": envelope: expected [[envelope]] tables");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const std::string ep = "envelope[" + std::to_string(i) + "]";
            const auto& e = f.table(*arr->get(i), ep);
            f.check_keys(e, ep, {"funder", "year", "max"});
            Envelope en;
            en.where = f.where(e);
            en.funder = f.string(f.require(e, ep, "funder"), ep + ".funder");
            const auto& y = f.require(e, ep, "year");
            if (!y.is_integer()) throw ScenarioError(f.where(y) + ": " + ep + ".year: expected a year such as 2025");
            en.year = static_cast<int>(number_in(f, y, ep + ".year", 2000, 2100, "a year from 2000 to 2100"));
            en.max = number_in(f, f.require(e, ep, "max"), ep + ".max", 0, 1e16, "Rp, 0 or more");
            std::vector<std::string> funders;
            for (const auto& l : p.levers) funders.push_back(l.funder);
            if (std::find(funders.begin(), funders.end(), en.funder) == funders.end())
                throw ScenarioError(f.where(*e.get("funder")) + ": " + ep + ".funder: no lever is paid by '" + en.funder + "'" +
                                    did_you_mean(en.funder, funders));
            p.envelopes.push_back(en);
        }
    }
    if (p.goal == PlanGoal::maximise && p.budget <= 0 && p.envelopes.empty())
        throw ScenarioError(p.where + ": plan: goal = \"maximise\" needs budget = Rp or [[envelope]] ceilings");
    return p;
}

} // namespace cakupan
