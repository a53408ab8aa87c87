#include "cakupan/scenario.hpp"

#include "cakupan/error.hpp"
#include "cakupan/hierarchy.hpp"
#include "cakupan/suggest.hpp"
#include "toml_support.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fnmatch.h>
#include <set>

namespace cakupan {

namespace fs = std::filesystem;

std::string to_string(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

const char* to_string(InterventionKind k) {
    switch (k) {
    case InterventionKind::subsidy: return "subsidy";
    case InterventionKind::village_programme: return "village_programme";
    case InterventionKind::outreach: return "outreach";
    case InterventionKind::agents: return "agents";
    case InterventionKind::regulation: return "regulation";
    case InterventionKind::enforcement: return "enforcement";
    }
    return "?";
}

namespace {

const std::vector<std::string> kTopKeys = {"scenario", "data", "model", "parameters", "period", "target",
                                           "run", "intervention", "variant", "sweep"};
const std::vector<std::string> kKinds = {"subsidy", "village_programme", "outreach", "agents", "regulation", "enforcement"};
const std::vector<std::string> kCommonKeys = {"type", "enabled", "description", "start", "end", "regions", "exclude",
                                              "level", "segment", "segments", "cost"};

std::vector<std::string> kind_keys(InterventionKind k) {
    std::vector<std::string> keys = kCommonKeys;
    auto add = [&](std::initializer_list<const char*> more) { keys.insert(keys.end(), more.begin(), more.end()); };
    switch (k) {
    case InterventionKind::subsidy: add({"budget", "months", "premium", "retention"}); break;
    case InterventionKind::village_programme: add({"per_village", "months", "premium", "retention"}); break;
    case InterventionKind::outreach:
    case InterventionKind::regulation: add({"uplift"}); break;
    case InterventionKind::agents: add({"agents", "productivity", "active_share", "cost_per_member"}); break;
    case InterventionKind::enforcement: add({"hazard"}); break;
    }
    return keys;
}

bool funded(InterventionKind k) { return k == InterventionKind::subsidy || k == InterventionKind::village_programme; }

Date add_months(Date d, int months) {
    auto ym = std::chrono::year_month(d.year(), d.month()) + std::chrono::months(months);
    const auto last = std::chrono::year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month())).day();
    return Date(ym.year(), ym.month(), std::min(d.day(), last));
}

Date minus_one_day(Date d) { return Date(std::chrono::sys_days(d) - std::chrono::days(1)); }

class Reader {
public:
    Reader(const TomlFile& f, Diagnostics& notes) : f_(f), notes_(notes) {}

    Date date(const toml::node& n, const std::string& path) const {
        if (const auto* d = n.as_date()) {
            const auto v = d->get();
            const Date out{std::chrono::year(v.year), std::chrono::month(v.month), std::chrono::day(v.day)};
            if (out.ok()) return out;
        }
        throw ScenarioError(f_.where(n) + ": " + path + ": expected a date such as 2025-06-01 (unquoted)");
    }

    double number_in(const toml::node& n, const std::string& path, double lo, double hi, const std::string& what) const {
        const double v = f_.number(n, path);
        if (!std::isfinite(v) || v < lo || v > hi)
            throw ScenarioError(f_.where(n) + ": " + path + " = " + format_number(v) + " is out of range: expected " + what);
        return v;
    }

    std::string file_path(const toml::node& n, const std::string& path) const {
        const std::string s = f_.string(n, path);
        if (s.empty()) throw ScenarioError(f_.where(n) + ": " + path + ": empty path");
        // Paths resolve relative to the scenario file, so scenarios run from any directory.
        const fs::path p(s);
        if (p.is_absolute() || s.rfind("/vsi", 0) == 0) return s;
        return (fs::path(f_.path()).parent_path() / p).lexically_normal().string();
    }

    std::vector<std::string> strings(const toml::node& n, const std::string& path) const {
        std::vector<std::string> out;
        if (n.is_string()) return {f_.string(n, path)};
        const auto* arr = n.as_array();
        if (arr == nullptr) throw ScenarioError(f_.where(n) + ": " + path + ": expected a string or an array of strings");
        for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(f_.string(*arr->get(i), path + "[" + std::to_string(i) + "]"));
        return out;
    }

    const TomlFile& file() const { return f_; }
    Diagnostics& notes() const { return notes_; }

private:
    const TomlFile& f_;
    Diagnostics& notes_;
};

int parse_level(const Reader& r, const toml::node& n, const std::string& path) {
    if (n.is_integer()) return static_cast<int>(r.number_in(n, path, 1, 4, "1 (province) to 4 (village)"));
    const std::string s = r.file().string(n, path);
    static const std::vector<std::pair<std::string, int>> names = {
        {"province", 1}, {"provinsi", 1}, {"kabkota", 2}, {"kab/kota", 2}, {"kecamatan", 3}, {"village", 4}, {"desa", 4}};
    for (const auto& [name, level] : names)
        if (s == name) return level;
    std::vector<std::string> all;
    for (const auto& [name, level] : names) all.push_back(name);
    throw ScenarioError(r.file().where(n) + ": " + path + ": '" + s + "' is not an admin level" + did_you_mean(s, all) +
                        "; expected province, kabkota, kecamatan or village");
}

std::vector<std::string> parse_segments(const Reader& r, const toml::table& t, const std::string& path, const Model& m,
                                        InterventionKind kind) {
    const TomlFile& f = r.file();
    std::vector<std::string> ids;
    for (const auto& s : m.segments) ids.push_back(s.id);
    std::vector<std::string> out;
    if (t.contains("segment") && t.contains("segments"))
        throw ScenarioError(f.where(t) + ": " + path + ": give either segment or segments, not both");
    if (const auto* n = t.get("segment")) out = {f.string(*n, path + ".segment")};
    else if (const auto* n2 = t.get("segments")) out = r.strings(*n2, path + ".segments");
    else {
        // Defaults: funded programmes pay for the vulnerable, enforcement acts on employer-paid
        // workers, the other levers on everyone who is not enrolled by an employer.
        for (const auto& s : m.segments) {
            const bool employer = s.pays == Payer::employer;
            if (kind == InterventionKind::enforcement ? employer : !employer) out.push_back(s.id);
        }
        if (funded(kind)) out = {m.segment_index("vulnerable") >= 0 ? "vulnerable" : out.front()};
    }
    const toml::node* at = t.get("segment") ? t.get("segment") : t.get("segments");
    for (const auto& s : out)
        if (m.segment_index(s) < 0)
            throw ScenarioError((at ? f.where(*at) : f.where(t)) + ": " + path + ": unknown segment '" + s + "'" +
                                did_you_mean(s, ids) + "; segments: " + join_list(ids));
    if (funded(kind) && out.size() != 1)
        throw ScenarioError(f.where(t) + ": " + path + ": a funded programme pays for exactly one segment");
    if (out.empty()) throw ScenarioError(f.where(t) + ": " + path + ": no segment to act on");
    return out;
}

Intervention parse_intervention(const Reader& r, const std::string& name, const toml::table& t, const Model& m,
                                const Period& period) {
    const TomlFile& f = r.file();
    const std::string path = "intervention." + name;
    Intervention iv;
    iv.name = name;
    iv.where = f.where(t);
    const std::string type = f.string(f.require(t, path, "type"), path + ".type");
    const auto k = std::find(kKinds.begin(), kKinds.end(), type);
    if (k == kKinds.end())
        throw ScenarioError(f.where(*t.get("type")) + ": " + path + ".type: '" + type + "' is not an intervention" +
                            did_you_mean(type, kKinds) + "; types: " + join_list(kKinds));
    iv.kind = static_cast<InterventionKind>(k - kKinds.begin());
    f.check_keys(t, path, kind_keys(iv.kind));

    iv.start = r.date(f.require(t, path, "start"), path + ".start");
    if (funded(iv.kind)) {
        if (t.contains("end"))
            throw ScenarioError(f.where(*t.get("end")) + ": " + path + ".end: funded programmes last 'months' from their start; remove 'end'");
        iv.months = static_cast<int>(r.number_in(f.require(t, path, "months"), path + ".months", 1, 120, "1 to 120 months"));
        if (std::floor(f.number(*t.get("months"), path)) != f.number(*t.get("months"), path))
            throw ScenarioError(f.where(*t.get("months")) + ": " + path + ".months: expected a whole number of months");
        iv.end = minus_one_day(add_months(iv.start, iv.months));
        if (iv.start < period.start || iv.start > period.end)
            throw ScenarioError(f.where(*t.get("start")) + ": " + path + ".start " + to_string(iv.start) +
                                " is outside the period " + to_string(period.start) + " to " + to_string(period.end));
    } else {
        iv.end = t.contains("end") ? r.date(*t.get("end"), path + ".end") : period.end;
        if (iv.end < iv.start)
            throw ScenarioError(f.where(t) + ": " + path + ": end " + to_string(iv.end) + " is before start " + to_string(iv.start));
        if (iv.start > period.end || iv.end < period.start)
            r.notes().warning(f.where(t), path + " runs " + to_string(iv.start) + " to " + to_string(iv.end) +
                                              ", outside the period, and has no effect");
    }

    if (const auto* n = t.get("regions")) iv.regions.include = r.strings(*n, path + ".regions");
    if (const auto* n = t.get("exclude")) iv.regions.exclude = r.strings(*n, path + ".exclude");
    if (const auto* n = t.get("level")) iv.regions.level = parse_level(r, *n, path + ".level");
    iv.regions.where = t.get("regions") ? f.where(*t.get("regions")) : iv.where;
    if (iv.regions.include.empty()) throw ScenarioError(iv.regions.where + ": " + path + ".regions: empty selector");
    iv.segments = parse_segments(r, t, path, m, iv.kind);

    auto opt = [&](const char* key, double lo, double hi, const char* what, double& out) {
        if (const auto* n = t.get(key)) out = r.number_in(*n, path + "." + key, lo, hi, what);
    };
    auto req = [&](const char* key, double lo, double hi, const char* what, double& out) {
        out = r.number_in(f.require(t, path, key), path + "." + key, lo, hi, what);
    };
    opt("cost", 0, 1e15, "a cost in Rp >= 0", iv.cost);
    switch (iv.kind) {
    case InterventionKind::subsidy: req("budget", 0, 1e15, "a budget in Rp >= 0", iv.budget); break;
    case InterventionKind::village_programme: req("per_village", 0, 1e5, "workers per village >= 0", iv.per_village); break;
    case InterventionKind::outreach:
    case InterventionKind::regulation: opt("uplift", 0, 100, "a multiplier between 0 and 100", iv.uplift); break;
    case InterventionKind::agents:
        req("agents", 0, 1e7, "a number of agents >= 0", iv.agents);
        opt("productivity", 0, 1e4, "members per active agent per month >= 0", iv.productivity);
        opt("active_share", 0, 1, "a share between 0 and 1", iv.active_share);
        opt("cost_per_member", 0, 1e9, "Rp per member >= 0", iv.cost_per_member);
        break;
    case InterventionKind::enforcement: opt("hazard", 0, 1, "a monthly hazard between 0 and 1", iv.hazard); break;
    }
    if (funded(iv.kind)) {
        opt("premium", 1, 1e7, "Rp per member per month > 0", iv.premium);
        opt("retention", 0, 1, "a share between 0 and 1", iv.retention);
        if (std::isnan(iv.premium)) {
            const std::string key = "premium." + iv.segments.front();
            if (m.find(key) == nullptr)
                throw ScenarioError(iv.where + ": " + path + ": the model has no " + key + "; give premium = ... (Rp per month)");
            iv.premium = m.value(key);
        }
        if (std::isnan(iv.retention)) iv.retention = m.value("funded_retention");
    }
    return iv;
}

// toml++ tables iterate by key; users expect variants and interventions in file order.
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& t) {
    std::vector<std::pair<std::string, const toml::node*>> out;
    for (const auto& [k, node] : t) out.emplace_back(std::string(k.str()), &node);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const auto& x = a.second->source().begin;
        const auto& y = b.second->source().begin;
        return x.line != y.line ? x.line < y.line : x.column < y.column;
    });
    return out;
}

// Overlays `src` on `dst`: tables merge key by key, anything else replaces.
void merge(toml::table& dst, const toml::table& src) {
    for (const auto& [k, node] : src) {
        auto* d = dst.get(k.str());
        if (d && d->is_table() && node.is_table()) merge(*d->as_table(), *node.as_table());
        else dst.insert_or_assign(k, node);
    }
}

void flatten_numbers(const Reader& r, const toml::table& t, const std::string& prefix,
                     std::vector<std::pair<std::string, const toml::node*>>& out) {
    for (const auto& [k, node] : t) {
        const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (const auto* sub = node.as_table()) flatten_numbers(r, *sub, key, out);
        else out.emplace_back(key, &node);
    }
}

struct Overlay {
    toml::table parameters;
    toml::table interventions;
    std::optional<std::vector<std::string>> enabled; // a variant's `interventions` list
};

Variant resolve(const Reader& r, const std::string& name, const std::string& description, const Model& base_model,
                const Overlay& o, const Period& period) {
    const TomlFile& f = r.file();
    Variant v;
    v.name = name;
    v.description = description;
    v.model = base_model;
    std::vector<std::pair<std::string, const toml::node*>> params;
    flatten_numbers(r, o.parameters, "", params);
    for (const auto& [key, node] : params) {
        const double value = f.number(*node, "parameters." + key);
        if (!set_parameter(v.model, key, value, f.where(*node))) {
            const auto* p = v.model.find(key);
            r.notes().warning(f.where(*node), "variant " + name + ": parameters." + key + " = " + format_number(value) +
                                                  " lies outside the plausible range [" + format_number(p->low) + ", " +
                                                  format_number(p->high) + "]");
        }
    }
    std::vector<std::string> names;
    for (const auto& [k, node] : o.interventions) names.emplace_back(k.str());
    if (o.enabled)
        for (const auto& e : *o.enabled)
            if (std::find(names.begin(), names.end(), e) == names.end())
                throw ScenarioError(f.path() + ": variant." + name + ".interventions: no intervention '" + e + "'" +
                                    did_you_mean(e, names) + "; interventions: " + join_list(names));
    for (const auto& [iname, node] : in_file_order(o.interventions)) {
        const toml::table& t = f.table(*node, "intervention." + iname);
        bool enabled = true;
        if (const auto* e = t.get("enabled")) enabled = f.boolean(*e, "intervention." + iname + ".enabled");
        if (o.enabled) enabled = std::find(o.enabled->begin(), o.enabled->end(), iname) != o.enabled->end();
        Intervention iv = parse_intervention(r, iname, t, v.model, period); // checked even when disabled
        if (enabled) v.interventions.push_back(std::move(iv));
    }
    return v;
}

// Sets a dotted key path inside the overlay ("parameters.x.y" or "intervention.n.field").
void set_path(const TomlFile& f, Overlay& o, const std::string& key, const toml::node& value, const toml::node& at) {
    const auto dot = key.find('.');
    const std::string head = key.substr(0, dot);
    if (dot == std::string::npos || (head != "parameters" && head != "intervention"))
        throw ScenarioError(f.where(at) + ": sweep.\"" + key + "\": only parameters.* and intervention.* keys can be swept");
    toml::table* t = head == "parameters" ? &o.parameters : &o.interventions;
    std::string rest = key.substr(dot + 1);
    for (auto p = rest.find('.'); p != std::string::npos; p = rest.find('.')) {
        const std::string part = rest.substr(0, p);
        rest = rest.substr(p + 1);
        auto* next = t->get(part);
        if (next == nullptr) {
            if (head == "intervention" && t == &o.interventions)
                throw ScenarioError(f.where(at) + ": sweep.\"" + key + "\": no intervention '" + part + "'");
            t->insert(part, toml::table{});
            next = t->get(part);
        }
        if (!next->is_table()) throw ScenarioError(f.where(at) + ": sweep.\"" + key + "\": '" + part + "' is not a table");
        t = next->as_table();
    }
    t->insert_or_assign(rest, value);
}

std::string value_text(const toml::node& n) {
    if (const auto* i = n.as_integer()) return std::to_string(i->get());
    if (const auto* d = n.as_floating_point()) return format_number(d->get());
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    return "?";
}

} // namespace

Scenario load_scenario(const std::string& path, Diagnostics& notes) {
    const TomlFile f = TomlFile::parse(path);
    const Reader r(f, notes);
    const toml::table& root = f.root();
    f.check_keys(root, "", kTopKeys);

    Scenario sc;
    sc.path = path;
    sc.input_files.push_back(path);
    if (const auto* n = root.get("scenario")) {
        const auto& t = f.table(*n, "scenario");
        f.check_keys(t, "scenario", {"name", "title"});
        if (const auto* x = t.get("name")) sc.name = f.string(*x, "scenario.name");
        if (const auto* x = t.get("title")) sc.title = f.string(*x, "scenario.title");
    }
    if (sc.name.empty()) sc.name = fs::path(path).stem().string();

    const auto& data = f.table(f.require(root, "", "data"), "data");
    f.check_keys(data, "data", {"boundaries", "layer", "id_field", "name_field", "crs", "within", "statistics",
                                "statistics_layer", "code_field", "contiguity", "snap"});
    sc.boundaries.path = r.file_path(f.require(data, "data", "boundaries"), "data.boundaries");
    sc.statistics.path = r.file_path(f.require(data, "data", "statistics"), "data.statistics");
    auto opt_string = [&](const char* key, std::string& out) {
        if (const auto* x = data.get(key)) out = f.string(*x, std::string("data.") + key);
    };
    opt_string("layer", sc.boundaries.layer);
    opt_string("id_field", sc.boundaries.id_field);
    opt_string("name_field", sc.boundaries.name_field);
    opt_string("crs", sc.boundaries.assume_crs);
    opt_string("within", sc.boundaries.within);
    opt_string("statistics_layer", sc.statistics.layer);
    opt_string("code_field", sc.statistics.code_field);
    if (const auto* x = data.get("contiguity")) {
        const std::string rule = f.string(*x, "data.contiguity");
        if (rule == "queen") sc.contiguity.rule = ContiguityRule::queen;
        else if (rule == "rook") sc.contiguity.rule = ContiguityRule::rook;
        else throw ScenarioError(f.where(*x) + ": data.contiguity: '" + rule + "' is not a rule" + did_you_mean(rule, {"queen", "rook"}) +
                                 "; expected queen or rook");
    }
    if (const auto* x = data.get("snap")) sc.contiguity.snap_metres = r.number_in(*x, "data.snap", 0, 1e5, "metres between 0 and 100,000");
    sc.input_files.push_back(sc.boundaries.path);
    sc.input_files.push_back(sc.statistics.path);

    std::string model_path = (fs::path(f.path()).parent_path() / "../models/jamsostek.toml").lexically_normal().string();
    if (const auto* n = root.get("model")) {
        const auto& t = f.table(*n, "model");
        f.check_keys(t, "model", {"file"});
        if (const auto* x = t.get("file")) model_path = r.file_path(*x, "model.file");
    }
    const Model model = load_model(model_path);
    sc.input_files.push_back(model_path);

    const auto& period = f.table(f.require(root, "", "period"), "period");
    f.check_keys(period, "period", {"start", "end", "step"});
    sc.period.start = r.date(f.require(period, "period", "start"), "period.start");
    sc.period.end = r.date(f.require(period, "period", "end"), "period.end");
    if (!(sc.period.start < sc.period.end))
        throw ScenarioError(f.where(period) + ": period: end " + to_string(sc.period.end) + " is not after start " +
                            to_string(sc.period.start));
    if (const auto* n = period.get("step")) {
        const std::string s = f.string(*n, "period.step");
        if (s == "month") sc.period.step = StepUnit::month;
        else if (s == "week") sc.period.step = StepUnit::week;
        else throw ScenarioError(f.where(*n) + ": period.step: '" + s + "' is not a step" + did_you_mean(s, {"month", "week"}) +
                                 "; expected month or week");
    }

    if (const auto* n = root.get("target")) {
        const auto& t = f.table(*n, "target");
        f.check_keys(t, "target", {"coverage", "regions"});
        auto share = [&](const toml::node& x, const std::string& p) {
            const double v = f.number(x, p);
            if (v > 1 && v <= 100)
                throw ScenarioError(f.where(x) + ": " + p + " = " + format_number(v) + ": write coverage as a share, e.g. " +
                                    format_number(v / 100) + " for " + format_number(v) + "%");
            return r.number_in(x, p, 0, 1, "a share between 0 and 1");
        };
        if (const auto* x = t.get("coverage")) sc.target.overall = share(*x, "target.coverage");
        if (const auto* x = t.get("regions")) {
            for (const auto& [code, node] : f.table(*x, "target.regions"))
                sc.target.regions[std::string(code.str())] = share(node, "target.regions." + std::string(code.str()));
        }
    }
    if (std::isnan(sc.target.overall))
        throw ScenarioError(f.where(root) + ": target.coverage is missing (the share to reach by period.end, e.g. 0.5717)");

    if (const auto* n = root.get("run")) {
        const auto& t = f.table(*n, "run");
        f.check_keys(t, "run", {"seed", "draws", "mode"});
        if (const auto* x = t.get("seed")) sc.seed = static_cast<std::uint64_t>(r.number_in(*x, "run.seed", 0, 9.007e15, "an integer >= 0"));
        if (const auto* x = t.get("draws")) sc.draws = static_cast<int>(r.number_in(*x, "run.draws", 1, 1e6, "1 to 1,000,000 draws"));
        if (const auto* x = t.get("mode")) {
            const std::string s = f.string(*x, "run.mode");
            if (s == "expected") sc.mode = Mode::expected;
            else if (s == "stochastic") sc.mode = Mode::stochastic;
            else throw ScenarioError(f.where(*x) + ": run.mode: '" + s + "' is not a mode" + did_you_mean(s, {"expected", "stochastic"}) +
                                     "; expected expected or stochastic");
        }
    }

    Overlay base;
    if (const auto* n = root.get("parameters")) base.parameters = f.table(*n, "parameters");
    if (const auto* n = root.get("intervention")) base.interventions = f.table(*n, "intervention");

    // Variants overlay the base; without any, the base runs alone as "main".
    struct Named {
        std::string name, description;
        Overlay overlay;
    };
    std::vector<Named> named;
    if (const auto* n = root.get("variant")) {
        for (const auto& [vname, node] : in_file_order(f.table(*n, "variant"))) {
            const std::string vpath = "variant." + vname;
            const auto& t = f.table(*node, vpath);
            f.check_keys(t, vpath, {"description", "interventions", "parameters", "intervention"});
            Named v{vname, "", base};
            if (const auto* x = t.get("description")) v.description = f.string(*x, vpath + ".description");
            if (const auto* x = t.get("interventions")) v.overlay.enabled = r.strings(*x, vpath + ".interventions");
            if (const auto* x = t.get("parameters")) merge(v.overlay.parameters, f.table(*x, vpath + ".parameters"));
            if (const auto* x = t.get("intervention")) {
                for (const auto& [ik, inode] : f.table(*x, vpath + ".intervention"))
                    if (!base.interventions.contains(ik.str()))
                        throw ScenarioError(f.where(inode) + ": " + vpath + ".intervention." + std::string(ik.str()) +
                                            ": no such intervention in the scenario; define it under [intervention." +
                                            std::string(ik.str()) + "] and disable it where it should not run");
                merge(v.overlay.interventions, f.table(*x, vpath + ".intervention"));
            }
            named.push_back(std::move(v));
        }
        if (named.empty()) throw ScenarioError(f.where(*n) + ": variant: no variant defined");
    } else {
        named.push_back({"main", "", base});
    }

    // Sweeps: the grid over every listed key, applied to every variant.
    std::vector<std::pair<std::string, std::vector<const toml::node*>>> axes;
    if (const auto* n = root.get("sweep")) {
        for (const auto& [key, node] : in_file_order(f.table(*n, "sweep"))) {
            const auto* arr = node->as_array();
            if (arr == nullptr || arr->empty())
                throw ScenarioError(f.where(*node) + ": sweep.\"" + key + "\": expected a non-empty array of values");
            std::vector<const toml::node*> values;
            for (std::size_t i = 0; i < arr->size(); ++i) values.push_back(arr->get(i));
            axes.emplace_back(key, std::move(values));
        }
    }
    std::size_t points = 1;
    for (const auto& [key, values] : axes) points *= values.size();
    if (points * named.size() > 10000)
        throw ScenarioError(path + ": " + std::to_string(points * named.size()) + " variants after sweeps; at most 10,000");

    std::set<std::string> names;
    for (const auto& v : named) {
        for (std::size_t p = 0; p < points; ++p) {
            Overlay o = v.overlay;
            std::string label = v.name;
            std::size_t rest = p;
            for (const auto& [key, values] : axes) {
                const toml::node& value = *values[rest % values.size()];
                rest /= values.size();
                set_path(f, o, key, value, value);
                label += (label.size() == v.name.size() ? "[" : ",") + key.substr(key.rfind('.') + 1) + "=" + value_text(value);
            }
            if (!axes.empty()) label += "]";
            if (!names.insert(label).second) throw ScenarioError(path + ": two variants are named '" + label + "'");
            sc.variants.push_back(resolve(r, label, v.description, model, o, sc.period));
        }
    }
    return sc;
}

std::vector<std::uint32_t> select_regions(const RegionSelector& sel, const RegionTable& regions) {
    auto matches = [](const std::string& pattern, const std::string& code) {
        if (pattern == "*") return true;
        if (pattern.find_first_of("*?[") != std::string::npos) return fnmatch(pattern.c_str(), code.c_str(), 0) == 0;
        return code == pattern || (code.size() > pattern.size() && code.rfind(pattern + ".", 0) == 0);
    };
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const auto& code = regions.ids[i];
        if (sel.level != 0 && admin_level(code) != sel.level) continue;
        const bool in = std::any_of(sel.include.begin(), sel.include.end(), [&](const auto& p) { return matches(p, code); });
        const bool out_ = std::any_of(sel.exclude.begin(), sel.exclude.end(), [&](const auto& p) { return matches(p, code); });
        if (in && !out_) out.push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

void check_against(const Scenario& sc, const RegionTable& regions) {
    auto known = [&](const std::string& pattern) {
        RegionSelector one;
        one.include = {pattern};
        return !select_regions(one, regions).empty();
    };
    for (const auto& v : sc.variants)
        for (const auto& iv : v.interventions) {
            for (const auto& list : {iv.regions.include, iv.regions.exclude})
                for (const auto& p : list)
                    if (!known(p))
                        throw ScenarioError(iv.regions.where + ": intervention." + iv.name + ": region selector '" + p +
                                            "' matches no region of " + regions.layer + did_you_mean(p, regions.ids));
            if (select_regions(iv.regions, regions).empty())
                throw ScenarioError(iv.regions.where + ": intervention." + iv.name + ": the selector picks no region");
        }
    for (const auto& [code, share] : sc.target.regions)
        if (!regions.find(code))
            throw ScenarioError(sc.path + ": target.regions: no region '" + code + "' in " + regions.layer + did_you_mean(code, regions.ids));
}

} // namespace cakupan
