#include "cakupan/scenario/scenario.hpp"

#include "cakupan/engine/engine.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/model_directory.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/utf8.hpp"
#include "scenario/scenario_regions.hpp"
#include "io/toml_support.hpp"
#include "scenario/scenario_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

namespace cakupan {

namespace fs = std::filesystem;

std::string to_string(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

Date add_months(Date d, int months) {
    auto ym = std::chrono::year_month(d.year(), d.month()) + std::chrono::months(months);
    const auto last = std::chrono::year_month_day_last(ym.year(), std::chrono::month_day_last(ym.month())).day();
    return Date(ym.year(), ym.month(), std::min(d.day(), last));
}

namespace {

const std::vector<std::string> kTopKeys = {"scenario", "data", "model", "parameters", "period", "target",
                                           "run", "intervention", "variant", "sweep"};

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

void flatten(const toml::table& t, const std::string& prefix, std::vector<std::pair<std::string, const toml::node*>>& out) {
    for (const auto& [key, node] : in_file_order(t)) {
        const std::string full = prefix.empty() ? key : prefix + "." + key;
        if (const auto* sub = node->as_table()) flatten(*sub, full, out);
        else out.emplace_back(full, node);
    }
}

// What a variant (and a sweep point) changes: parameter values applied in order, fields of
// interventions, and which interventions run. Pointers into the parsed file, never copies.
struct Overlay {
    std::vector<std::pair<std::string, const toml::node*>> parameters;
    std::map<std::string, std::map<std::string, const toml::node*>> fields; // intervention -> field -> value
    std::optional<std::vector<std::string>> enabled;                        // a variant's `interventions` list
};

Fields fields_of(const TomlFile& f, const std::string& name, const toml::table& base, const Overlay& o) {
    Fields view(f, base);
    if (const auto it = o.fields.find(name); it != o.fields.end())
        for (const auto& [key, node] : it->second) view.set(key, node);
    return view;
}

bool is_enabled(const TomlFile& f, const std::string& name, const Fields& view, const Overlay& o) {
    if (o.enabled) return std::find(o.enabled->begin(), o.enabled->end(), name) != o.enabled->end();
    const auto* e = view.get("enabled");
    return e == nullptr || f.boolean(*e, "intervention." + name + ".enabled");
}

Variant resolve(const Reader& r, const std::string& name, const std::string& description, const Model& base_model,
                const std::vector<std::pair<std::string, const toml::node*>>& interventions, const Overlay& o,
                const Period& period) {
    const TomlFile& f = r.file();
    Variant v;
    v.name = name;
    v.description = description;
    v.model = base_model;
    for (const auto& [key, node] : o.parameters) {
        const double value = f.number(*node, "parameters." + key);
        if (!set_parameter(v.model, key, value, f.where(*node))) {
            const auto* p = v.model.find(key);
            r.notes().warning(f.where(*node), "parameters." + key + " = " + format_number(value) +
                                                  " lies outside the plausible range [" + format_number(p->low) + ", " +
                                                  format_number(p->high) + "]");
        }
    }
    for (const auto& [iname, node] : interventions) {
        const Fields view = fields_of(f, iname, f.table(*node, "intervention." + iname), o);
        Intervention iv = parse_intervention(r, iname, view, v.model, period); // checked even when disabled
        if (is_enabled(f, iname, view, o)) v.interventions.push_back(std::move(iv));
    }
    return v;
}

// Applies one swept value ("parameters.x.y" or "intervention.name.field") to an overlay.
void apply_sweep(const TomlFile& f, Overlay& o, const std::string& key, const toml::node& value,
                 const std::vector<std::string>& intervention_names) {
    const auto dot = key.find('.');
    const std::string head = key.substr(0, dot);
    if (dot == std::string::npos || (head != "parameters" && head != "intervention"))
        throw ScenarioError(f.where(value) + ": sweep.\"" + key + "\": only parameters.* and intervention.*.* keys can be swept");
    const std::string rest = key.substr(dot + 1);
    if (head == "parameters") {
        o.parameters.emplace_back(rest, &value);
        return;
    }
    const auto dot2 = rest.find('.');
    const std::string iname = rest.substr(0, dot2);
    if (std::find(intervention_names.begin(), intervention_names.end(), iname) == intervention_names.end())
        throw ScenarioError(f.where(value) + ": sweep.\"" + key + "\": no intervention '" + iname + "'" +
                            did_you_mean(iname, intervention_names));
    if (dot2 == std::string::npos)
        throw ScenarioError(f.where(value) + ": sweep.\"" + key + "\": name a field, e.g. intervention." + iname + ".budget");
    o.fields[iname][rest.substr(dot2 + 1)] = &value;
}

std::string value_text(const toml::node& n) {
    if (const auto* i = n.as_integer()) return std::to_string(i->get());
    if (const auto* d = n.as_floating_point()) { // shortest text that reads back as the same number
        char buf[32];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d->get());
        return ec == std::errc() ? std::string(buf, end) : format_number(d->get());
    }
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    return "?";
}

// What a sweep point's name calls each key: its last part ("budget"), or as many trailing parts
// as it takes to tell it from the other keys ("apbd.budget" beside "agents.budget"), so that two
// different keys never look alike in a variant's name.
std::vector<std::string> sweep_labels(const std::vector<std::string>& keys) {
    std::vector<std::size_t> parts(keys.size(), 1);
    auto label = [&](std::size_t i) {
        std::size_t at = keys[i].size();
        for (std::size_t p = 0; p < parts[i] && at != std::string::npos; ++p)
            at = at == 0 ? std::string::npos : keys[i].rfind('.', at - 1);
        return at == std::string::npos ? keys[i] : keys[i].substr(at + 1);
    };
    for (bool changed = true; changed;) { // lengthen every label shared with another, together
        changed = false;
        std::vector<std::size_t> shared;
        for (std::size_t i = 0; i < keys.size(); ++i)
            for (std::size_t j = 0; j < keys.size(); ++j)
                if (i != j && label(i) == label(j) && label(i) != keys[i]) {
                    shared.push_back(i);
                    break;
                }
        for (auto i : shared) ++parts[i], changed = true;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < keys.size(); ++i) out.push_back(label(i));
    return out;
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
    std::vector<std::string> data_keys = {"boundaries", "layer", "id_field", "name_field", "crs", "within", "statistics",
                                          "statistics_layer", "code_field", "contiguity", "snap", "encoding"};
    data_keys.insert(data_keys.end(), code_structure_keys().begin(), code_structure_keys().end());
    f.check_keys(data, "data", data_keys);
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
    sc.boundaries.codes = read_code_spec(f, data);
    opt_string("statistics_layer", sc.statistics.layer);
    opt_string("code_field", sc.statistics.code_field);
    if (const auto* x = data.get("encoding")) {
        const std::string name = f.string(*x, "data.encoding");
        if (!encoding_known(name))
            throw ScenarioError(f.where(*x) + ": data.encoding: unknown encoding '" + name +
                                "'; give one iconv knows, e.g. latin1, cp1252, utf-8");
        sc.boundaries.encoding = sc.statistics.encoding = name;
    }
    sc.boundaries.encoding_option = sc.statistics.encoding_option = "data.encoding";
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

    std::string model_path;
    if (const auto* n = root.get("model")) {
        const auto& t = f.table(*n, "model");
        f.check_keys(t, "model", {"file", "name"});
        const auto* file = t.get("file");
        const auto* name = t.get("name");
        if (file != nullptr && name != nullptr)
            throw ScenarioError(f.where(*name) + ": model: both file and name given; expected one of them");
        if (file != nullptr) model_path = r.file_path(*file, "model.file");
        if (name != nullptr) model_path = named_model_file(f.string(*name, "model.name"), f.where(*name), "model.name");
    }
    if (model_path.empty()) model_path = named_model_file(kDefaultModel, f.path(), "model (none given, so the default)");
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
    try { // the engine's limit on steps, reported here where the file and line are known
        (void)make_calendar(sc.period);
    } catch (const ScenarioError& e) {
        throw ScenarioError(f.where(period) + ": " + e.what());
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
        f.check_keys(t, "run", {"seed", "draws", "mode", "uncertainty"});
        if (const auto* x = t.get("uncertainty")) {
            const std::string u = f.string(*x, "run.uncertainty");
            if (u == "parameters") sc.vary_parameters = true;
            else if (u == "none") sc.vary_parameters = false;
            else throw ScenarioError(f.where(*x) + ": run.uncertainty: '" + u + "' is not a choice" + did_you_mean(u, {"parameters", "none"}) +
                                     "; expected parameters (draw uncertain parameters from their ranges) or none (binomial noise only)");
        }
        auto whole = [&](const toml::node& x, const std::string& p) {
            if (!x.is_integer())
                throw ScenarioError(f.where(x) + ": " + p + ": expected a whole number, found " +
                                    (x.is_string() ? "a string, \"" + value_text(x) + "\"" : value_text(x)));
            return x.as_integer()->get();
        };
        if (const auto* x = t.get("seed")) {
            const std::int64_t seed = whole(*x, "run.seed");
            if (seed < 0) throw ScenarioError(f.where(*x) + ": run.seed: expected a whole number >= 0");
            sc.seed = static_cast<std::uint64_t>(seed);
        }
        if (const auto* x = t.get("draws")) {
            whole(*x, "run.draws");
            sc.draws = static_cast<int>(r.number_in(*x, "run.draws", 1, 1e6, "1 to 1,000,000 draws"));
        }
        if (const auto* x = t.get("mode")) {
            const std::string s = f.string(*x, "run.mode");
            if (s == "expected") sc.mode = Mode::expected;
            else if (s == "stochastic") sc.mode = Mode::stochastic;
            else throw ScenarioError(f.where(*x) + ": run.mode: '" + s + "' is not a mode" + did_you_mean(s, {"expected", "stochastic"}) +
                                     "; expected expected or stochastic");
        }
    }

    Overlay base;
    if (const auto* n = root.get("parameters")) flatten(f.table(*n, "parameters"), "", base.parameters);
    std::vector<std::pair<std::string, const toml::node*>> interventions;
    if (const auto* n = root.get("intervention")) interventions = in_file_order(f.table(*n, "intervention"));
    std::vector<std::string> intervention_names;
    for (const auto& [iname, node] : interventions) intervention_names.push_back(iname);

    // Every intervention as written, checked once whichever variants run it.
    for (const auto& [iname, node] : interventions)
        sc.declared.push_back(parse_intervention(r, iname, Fields(f, f.table(*node, "intervention." + iname)), model, sc.period));

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
            if (const auto* x = t.get("interventions")) {
                v.overlay.enabled = r.strings(*x, vpath + ".interventions");
                for (const auto& e : *v.overlay.enabled)
                    if (std::find(intervention_names.begin(), intervention_names.end(), e) == intervention_names.end())
                        throw ScenarioError(f.where(*x) + ": " + vpath + ".interventions: no intervention '" + e + "'" +
                                            did_you_mean(e, intervention_names) + "; interventions: " + join_list(intervention_names));
            }
            if (const auto* x = t.get("parameters")) flatten(f.table(*x, vpath + ".parameters"), "", v.overlay.parameters);
            if (const auto* x = t.get("intervention")) {
                for (const auto& [iname, inode] : in_file_order(f.table(*x, vpath + ".intervention"))) {
                    if (std::find(intervention_names.begin(), intervention_names.end(), iname) == intervention_names.end())
                        throw ScenarioError(f.where(*inode) + ": " + vpath + ".intervention." + iname +
                                            ": no such intervention in the scenario; define it under [intervention." + iname +
                                            "] and disable it where it should not run" + did_you_mean(iname, intervention_names));
                    for (const auto& [field, fnode] : in_file_order(f.table(*inode, vpath + ".intervention." + iname)))
                        v.overlay.fields[iname][field] = fnode;
                }
            }
            named.push_back(std::move(v));
        }
        if (named.empty()) throw ScenarioError(f.where(*n) + ": variant: no variant defined");
    } else {
        named.push_back({"main", "", base});
    }

    // Sweeps: the grid over every listed key, applied to every variant. An axis over an
    // intervention a variant does not run would only repeat that variant; it is left out there.
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

    std::set<std::string> names;
    for (const auto& v : named) {
        std::vector<std::size_t> used; // axes that apply to this variant
        for (std::size_t a = 0; a < axes.size(); ++a) {
            const std::string& key = axes[a].first;
            if (key.rfind("intervention.", 0) == 0) {
                const std::string iname = key.substr(13, key.find('.', 13) - 13);
                const auto it = std::find_if(interventions.begin(), interventions.end(), [&](const auto& x) { return x.first == iname; });
                if (it != interventions.end() &&
                    !is_enabled(f, iname, fields_of(f, iname, f.table(*it->second, "intervention." + iname), v.overlay), v.overlay))
                    continue;
            }
            used.push_back(a);
        }
        std::size_t points = 1;
        for (auto a : used) points *= axes[a].second.size();
        if (sc.variants.size() + points > 10000)
            throw ScenarioError(path + ": more than 10,000 variants after sweeps");
        std::vector<std::string> used_keys;
        for (auto a : used) used_keys.push_back(axes[a].first);
        const std::vector<std::string> labels = sweep_labels(used_keys);
        for (std::size_t p = 0; p < points; ++p) {
            Overlay o = v.overlay;
            std::string label = v.name;
            std::size_t rest = p;
            for (std::size_t u = 0; u < used.size(); ++u) {
                const auto& [key, values] = axes[used[u]];
                const toml::node& value = *values[rest % values.size()];
                rest /= values.size();
                apply_sweep(f, o, key, value, intervention_names);
                label += (u == 0 ? "[" : ",") + labels[u] + "=" + value_text(value);
            }
            if (!used.empty()) label += "]";
            if (!names.insert(label).second) throw ScenarioError(path + ": two variants are named '" + label + "'");
            sc.variants.push_back(resolve(r, label, v.description, model, interventions, o, sc.period));
        }
    }
    return sc;
}

} // namespace cakupan
