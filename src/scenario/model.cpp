#include "cakupan/scenario/model.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace cakupan {

namespace {

// Parameters the flows read. Per-segment groups need one entry per segment (premium only for
// segments not paid by an employer, whose contributions are a share of wages).
const std::vector<std::string> kScalars = {"bass_p",
                                           "bass_q",
                                           "spillover_rho",
                                           "crowd_in",
                                           "january_gap",
                                           "renewal_delay",
                                           "outreach_uplift",
                                           "regulation_uplift",
                                           "agent_productivity",
                                           "agent_active_share",
                                           "enforcement_hazard",
                                           "funded_retention",
                                           "initial_lapsed_share"};
const std::vector<std::string> kPerSegment = {"saturation", "lapse", "replacement"};
// Costs of the levers: optional (a model without them counts no such cost).
const std::vector<std::string> kCosts = {"agent_commission", "agent_bonus",     "agent_bonus_threshold", "agent_fee",
                                         "outreach_cost",    "regulation_cost", "enforcement_cost"};

Evidence parse_evidence(const TomlFile& f, const toml::node& n, const std::string& key) {
    const std::string s = f.string(n, key);
    if (s == "sourced") return Evidence::sourced;
    if (s == "derived") return Evidence::derived;
    if (s == "estimate") return Evidence::estimate;
    if (s == "calibrated") return Evidence::calibrated;
    throw ScenarioError(f.where(n) + ": " + key + ": '" + s +
                        "' is not an evidence mark (expected sourced, derived, estimate or calibrated)" +
                        did_you_mean(s, {"sourced", "derived", "estimate", "calibrated"}));
}

Payer parse_payer(const TomlFile& f, const toml::node& n, const std::string& key) {
    const std::string s = f.string(n, key);
    if (s == "employer") return Payer::employer;
    if (s == "self") return Payer::self;
    if (s == "budget") return Payer::budget;
    throw ScenarioError(f.where(n) + ": " + key + ": '" + s + "' is not a payer (expected employer, self or budget)" +
                        did_you_mean(s, {"employer", "self", "budget"}));
}

Parameter parse_parameter(const TomlFile& f, const toml::table& t, const std::string& key) {
    const std::string path = "parameters." + key;
    f.check_keys(t, path, {"value", "range", "limits", "unit", "evidence", "source"});
    Parameter p;
    p.key = key;
    p.where = f.where(t);
    p.value = f.number(f.require(t, path, "value"), path + ".value");
    const toml::node& range = f.require(t, path, "range");
    const auto* arr = range.as_array();
    if (arr == nullptr || arr->size() != 2) throw ScenarioError(f.where(range) + ": " + path + ".range: expected [low, high]");
    p.low = f.number(*arr->get(0), path + ".range[0]");
    p.high = f.number(*arr->get(1), path + ".range[1]");
    if (!(p.low <= p.high))
        throw ScenarioError(f.where(range) + ": " + path + ".range: low " + format_number(p.low) + " is above high " +
                            format_number(p.high));
    const toml::node& limits = f.require(t, path, "limits");
    const auto* lim = limits.as_array();
    if (lim == nullptr || lim->size() != 2) throw ScenarioError(f.where(limits) + ": " + path + ".limits: expected [min, max]");
    p.min = f.number(*lim->get(0), path + ".limits[0]");
    p.max = f.number(*lim->get(1), path + ".limits[1]");
    if (!(p.min <= p.low && p.high <= p.max))
        throw ScenarioError(f.where(limits) + ": " + path + ": range [" + format_number(p.low) + ", " + format_number(p.high) +
                            "] is not inside limits [" + format_number(p.min) + ", " + format_number(p.max) + "]");
    if (p.value < p.low || p.value > p.high)
        throw ScenarioError(f.where(t) + ": " + path + ".value " + format_number(p.value) + " lies outside its range [" +
                            format_number(p.low) + ", " + format_number(p.high) + "]");
    p.unit = f.string(f.require(t, path, "unit"), path + ".unit");
    p.evidence = parse_evidence(f, f.require(t, path, "evidence"), path + ".evidence");
    p.source = f.string(f.require(t, path, "source"), path + ".source");
    return p;
}

// A table with `value` is a parameter; any other table groups parameters (e.g. lapse.formal).
void collect_parameters(const TomlFile& f, const toml::table& t, const std::string& prefix, std::vector<Parameter>& out) {
    for (const auto& [k, node] : t) {
        const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        const auto* sub = node.as_table();
        if (sub == nullptr)
            throw ScenarioError(f.where(node) + ": parameters." + key +
                                ": expected a table with value, range, unit, evidence and source");
        if (sub->contains("value"))
            out.push_back(parse_parameter(f, *sub, key));
        else
            collect_parameters(f, *sub, key, out);
    }
}

} // namespace

const Parameter* Model::find(std::string_view key) const {
    const auto it = std::lower_bound(parameters.begin(), parameters.end(), key,
                                     [](const Parameter& p, std::string_view k) { return p.key < k; });
    return it != parameters.end() && it->key == key ? &*it : nullptr;
}

double Model::value(std::string_view key) const {
    if (const auto* p = find(key)) return p->value;
    throw ScenarioError(path + ": model has no parameter '" + std::string(key) + "'" + did_you_mean(key, keys()));
}

std::vector<std::string> Model::keys() const {
    std::vector<std::string> out;
    for (const auto& p : parameters) out.push_back(p.key);
    return out;
}

std::ptrdiff_t Model::segment_index(std::string_view id) const {
    for (std::size_t i = 0; i < segments.size(); ++i)
        if (segments[i].id == id) return static_cast<std::ptrdiff_t>(i);
    return -1;
}

Model load_model(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    const toml::table& root = f.root();
    f.check_keys(root, "", {"model", "segment", "parameters"});

    Model m;
    m.path = path;
    const toml::table& head = f.table(f.require(root, "", "model"), "model");
    f.check_keys(head, "model", {"name", "title", "time_unit"});
    m.name = f.string(f.require(head, "model", "name"), "model.name");
    if (const auto* t = head.get("title")) m.title = f.string(*t, "model.title");
    m.time_unit = "month";
    if (const auto* t = head.get("time_unit")) {
        m.time_unit = f.string(*t, "model.time_unit");
        if (m.time_unit != "month")
            throw ScenarioError(f.where(*t) + ": model.time_unit: '" + m.time_unit +
                                "' is not supported (parameters are per month; weekly steps are set in the scenario)");
    }

    const toml::node& segs = f.require(root, "", "segment");
    const auto* arr = segs.as_array();
    if (arr == nullptr || arr->empty() || !arr->is_array_of_tables())
        throw ScenarioError(f.where(segs) + ": segment: expected one or more [[segment]] tables");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string p = "segment[" + std::to_string(i) + "]";
        const toml::table& t = *arr->get(i)->as_table();
        f.check_keys(t, p, {"id", "label_en", "label_id", "pays"});
        Segment s;
        s.id = f.string(f.require(t, p, "id"), p + ".id");
        if (!seen.insert(s.id).second)
            throw ScenarioError(f.where(t) + ": " + p + ".id: segment '" + s.id + "' is defined twice");
        s.label_en = f.string(f.require(t, p, "label_en"), p + ".label_en");
        s.label_id = f.string(f.require(t, p, "label_id"), p + ".label_id");
        s.pays = parse_payer(f, f.require(t, p, "pays"), p + ".pays");
        m.segments.push_back(std::move(s));
    }

    collect_parameters(f, f.table(f.require(root, "", "parameters"), "parameters"), "", m.parameters);
    std::sort(m.parameters.begin(), m.parameters.end(), [](const Parameter& a, const Parameter& b) { return a.key < b.key; });

    std::vector<std::string> required = kScalars;
    for (const auto& group : kPerSegment)
        for (const auto& s : m.segments) required.push_back(group + "." + s.id);
    for (const auto& s : m.segments)
        if (s.pays != Payer::employer) required.push_back("premium." + s.id);
    std::vector<std::string> known = required;
    known.insert(known.end(), kCosts.begin(), kCosts.end());
    for (const auto& p : m.parameters)
        if (std::find(known.begin(), known.end(), p.key) == known.end())
            throw ScenarioError(p.where + ": parameters." + p.key + ": unknown parameter" + did_you_mean(p.key, known));
    for (const auto& key : required)
        if (m.find(key) == nullptr)
            throw ScenarioError(f.where(*root.get("parameters")) + ": parameters." + key + " is missing (every model needs it)");
    return m;
}

const Parameter& checked_parameter(const Model& model, const std::string& key, double value, const std::string& where) {
    const Parameter* p = model.find(key);
    if (p == nullptr)
        throw ScenarioError(where + ": parameters." + key + ": the model has no such parameter" +
                            did_you_mean(key, model.keys()));
    if (!std::isfinite(value) || value < p->min || value > p->max)
        throw ScenarioError(where + ": parameters." + key + " = " + format_number(value) + " is outside its limits [" +
                            format_number(p->min) + ", " + format_number(p->max) + "] (" + p->unit + ")");
    return *p;
}

bool set_parameter(Model& model, const std::string& key, double value, const std::string& where) {
    const Parameter& checked = checked_parameter(model, key, value, where);
    Parameter& p = model.parameters[static_cast<std::size_t>(&checked - model.parameters.data())];
    p.value = value;
    p.set_by_scenario = true;
    return value >= p.low && value <= p.high;
}

bool changeable_parameter(const std::string& key) {
    for (const char* prefix : {"replacement.", "lapse."})
        if (key.rfind(prefix, 0) == 0) return true;
    return key == "bass_p" || key == "bass_q" || key == "january_gap";
}

const char* to_string(Evidence e) {
    switch (e) {
    case Evidence::sourced: return "sourced";
    case Evidence::derived: return "derived";
    case Evidence::estimate: return "estimate";
    case Evidence::calibrated: return "calibrated";
    }
    return "?";
}

const char* to_string(Payer p) {
    switch (p) {
    case Payer::employer: return "employer";
    case Payer::self: return "self";
    case Payer::budget: return "budget";
    }
    return "?";
}

} // namespace cakupan
