#include "cakupan/calibrate/calibration.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

namespace cakupan {

namespace fs = std::filesystem;

std::vector<std::string> Calibration::measured_indicators() const {
    std::vector<std::string> out;
    for (const auto& m : measures) out.push_back(m.indicator);
    return out;
}

namespace {

constexpr const char* kDefaultIndicator = "bpjstk_participants_active";

std::string resolve(const std::string& base, const std::string& p) {
    return fs::path(p).is_absolute() ? p : (fs::path(base).parent_path() / p).lexically_normal().string();
}

std::chrono::year_month month(const TomlFile& f, const toml::node& n, const std::string& path) {
    const std::string s = f.string(n, path);
    bool ok = s.size() == 7 && s[4] == '-';
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) ok = ok && s[i] >= '0' && s[i] <= '9';
    const unsigned m = ok ? static_cast<unsigned>(std::stoi(s.substr(5))) : 0;
    if (!ok || m < 1 || m > 12) throw ScenarioError(f.where(n) + ": " + path + ": '" + s + "' is not a month written \"YYYY-MM\"");
    return std::chrono::year{std::stoi(s.substr(0, 4))} / std::chrono::month{m};
}

// A number in [lo, hi], "observation.NAME" or "1 - observation.NAME".
ObservationScale scale(const TomlFile& f, const toml::node& n, const std::string& path, double lo, double hi) {
    ObservationScale sc;
    sc.where = f.where(n);
    if (!n.is_string()) {
        sc.constant = f.number(n, path);
        if (!(sc.constant >= lo && sc.constant <= hi))
            throw ScenarioError(sc.where + ": " + path + " = " + format_number(sc.constant) + " is out of range: expected " +
                                format_number(lo) + (hi < 1e300 ? " to " + format_number(hi) : std::string(" or more")));
        return sc;
    }
    const std::string text = f.string(n, path);
    std::string s;
    for (char ch : text)
        if (ch != ' ') s += ch;
    if (s.rfind("1-", 0) == 0) sc.complement = true, s = s.substr(2);
    const std::string name = s.rfind("observation.", 0) == 0 ? s.substr(12) : std::string();
    const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
    if (!ok)
        throw ScenarioError(sc.where + ": " + path + ": '" + text +
                            "' is not a number or an observation parameter: write a number, \"observation.NAME\" or "
                            "\"1 - observation.NAME\"");
    sc.parameter = s;
    return sc;
}

// Segment names of a [[measure]] or [workplace] table, each with its place (checked against the
// model when the calibration runs).
void segments(const TomlFile& f, const toml::node& n, const std::string& path, std::vector<std::string>& names,
              std::vector<std::string>& where) {
    names = f.strings(n, path);
    for (std::size_t i = 0; i < names.size(); ++i) {
        where.push_back(f.where(n.is_array() ? *n.as_array()->get(i) : n));
        for (std::size_t j = 0; j < i; ++j)
            if (names[j] == names[i]) throw ScenarioError(where.back() + ": " + path + ": '" + names[i] + "' is named twice");
    }
}

void read_measures(const TomlFile& f, const toml::node* node, Calibration& c) {
    if (node != nullptr) {
        const auto* arr = node->as_array();
        if (arr == nullptr || !arr->is_array_of_tables()) throw ScenarioError(f.where(*node) + ": measure: expected [[measure]] tables");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const std::string p = "measure[" + std::to_string(i) + "]";
            const auto& t = *arr->get(i)->as_table();
            f.check_keys(t, p, {"indicator", "segments", "scale", "unit"});
            Measure m;
            m.where = f.where(t);
            const toml::node& ind = f.require(t, p, "indicator");
            m.indicator = f.string(ind, p + ".indicator");
            if (m.indicator.empty()) throw ScenarioError(f.where(ind) + ": " + p + ".indicator: empty");
            for (const auto& other : c.measures)
                if (other.indicator == m.indicator)
                    throw ScenarioError(f.where(ind) + ": " + p + ".indicator: '" + m.indicator + "' is measured twice (first at " +
                                        other.where + ")");
            if (const auto* n = t.get("segments")) segments(f, *n, p + ".segments", m.segments, m.segment_where);
            if (const auto* n = t.get("scale")) m.scale = scale(f, *n, p + ".scale", 0, 1e308);
            if (const auto* n = t.get("unit"))
                m.unit = f.choice(*n, p + ".unit", {"persons", "percent"}, "a unit") == "percent" ? ObservationUnit::percent
                                                                                                 : ObservationUnit::persons;
            c.measures.push_back(std::move(m));
        }
    }
    if (std::none_of(c.measures.begin(), c.measures.end(), [](const Measure& m) { return m.indicator == kDefaultIndicator; })) {
        Measure m;
        m.indicator = kDefaultIndicator; // active members (A + F) of every segment
        m.where = c.where;
        c.measures.push_back(std::move(m));
    }
}

Workplace read_hub(const TomlFile& f, const toml::table& t, const std::string& p) {
    f.check_keys(t, p, {"hub", "segments", "share"});
    Workplace w;
    w.where = f.where(t);
    w.path = p;
    const toml::node& hub = f.require(t, p, "hub");
    w.hub = f.string(hub, p + ".hub");
    w.hub_where = f.where(hub);
    segments(f, f.require(t, p, "segments"), p + ".segments", w.segments, w.segment_where);
    w.share = scale(f, f.require(t, p, "share"), p + ".share", 0, 1);
    return w;
}

// One [workplace] table (a single hub) or [[workplace]] tables, one per hub.
void read_workplaces(const TomlFile& f, const toml::node* node, Calibration& c) {
    if (node == nullptr) return;
    if (const auto* arr = node->as_array()) {
        if (!arr->is_array_of_tables()) throw ScenarioError(f.where(*node) + ": workplace: expected a [workplace] table or [[workplace]] tables");
        for (std::size_t i = 0; i < arr->size(); ++i)
            c.workplaces.push_back(read_hub(f, *arr->get(i)->as_table(), "workplace[" + std::to_string(i) + "]"));
    } else {
        c.workplaces.push_back(read_hub(f, f.table(*node, "workplace"), "workplace"));
    }
    for (std::size_t i = 0; i < c.workplaces.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (c.workplaces[j].hub == c.workplaces[i].hub)
                throw ScenarioError(c.workplaces[i].hub_where + ": " + c.workplaces[i].path + ".hub: '" + c.workplaces[i].hub +
                                    "' is a hub twice (first at " + c.workplaces[j].hub_where + ")");
}

// The largest value a share can take within its parameter's bounds.
double largest(const ObservationScale& s, const std::vector<CalibrationParameter>& parameters) {
    if (s.parameter.empty()) return s.constant;
    for (const auto& p : parameters)
        if (p.key == s.parameter) return s.complement ? 1 - p.low : p.high;
    return s.constant; // undeclared: check_observation_parameters says so
}

// A region outside the hubs keeps 1 - the sum of the shares of each of its segments: that sum,
// at the shares' upper bounds, must not exceed 1.
void check_workplace_shares(const Calibration& c) {
    std::vector<std::string> names;
    for (const auto& w : c.workplaces)
        for (const auto& s : w.segments)
            if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
    for (const auto& s : names) {
        double sum = 0;
        std::string terms;
        const Workplace* last = nullptr;
        for (const auto& w : c.workplaces) {
            if (std::find(w.segments.begin(), w.segments.end(), s) == w.segments.end()) continue;
            sum += largest(w.share, c.parameters);
            terms += (terms.empty() ? "" : " + ") + format_number(largest(w.share, c.parameters));
            last = &w;
        }
        if (sum > 1 + 1e-12)
            throw ScenarioError(last->where + ": workplace: the shares of segment '" + s + "' can sum to " + format_number(sum) +
                                " (" + terms + ", at their upper bounds), above 1: the regions outside the hubs would lose "
                                "more than their members");
    }
}

// Every observation parameter a measure or the workplace uses is declared, and every declared one
// is used.
void check_observation_parameters(const Calibration& c) {
    std::vector<std::string> declared;
    for (const auto& p : c.parameters)
        if (p.observation()) declared.push_back(p.key);
    std::vector<const ObservationScale*> uses;
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < c.measures.size(); ++i)
        uses.push_back(&c.measures[i].scale), paths.push_back("measure[" + std::to_string(i) + "].scale");
    for (const auto& w : c.workplaces) uses.push_back(&w.share), paths.push_back(w.path + ".share");
    for (std::size_t i = 0; i < uses.size(); ++i) {
        const std::string& key = uses[i]->parameter;
        if (key.empty() || std::find(declared.begin(), declared.end(), key) != declared.end()) continue;
        throw ScenarioError(uses[i]->where + ": " + paths[i] + ": observation parameter '" + key + "' is not declared" +
                            did_you_mean(key, declared) + "; declare it in a [[parameter]] table with key, low and high");
    }
    const bool has_discrepancy = std::any_of(c.parameters.begin(), c.parameters.end(),
                                             [](const CalibrationParameter& p) { return p.key == kDiscrepancyKey; });
    if (c.estimate_discrepancy && !has_discrepancy)
        throw ScenarioError(c.discrepancy_where + ": calibration.discrepancy = \"estimate\" needs the observation parameter '" +
                            std::string(kDiscrepancyKey) + "': declare it in a [[parameter]] table with key, low and high");
    for (std::size_t i = 0; i < c.parameters.size(); ++i) {
        const auto& p = c.parameters[i];
        if (!p.observation()) continue;
        if (p.key == kDiscrepancyKey) {
            if (!c.estimate_discrepancy)
                throw ScenarioError(p.where + ": parameter[" + std::to_string(i) + "]: observation parameter '" + p.key +
                                    "' is estimated only with calibration.discrepancy = \"estimate\" (the discrepancy is " +
                                    format_number(c.discrepancy) + (c.discrepancy_where.empty() ? ", the default" : "") + ")");
            continue;
        }
        const bool used = std::any_of(uses.begin(), uses.end(), [&](const ObservationScale* s) { return s->parameter == p.key; });
        if (!used)
            throw ScenarioError(p.where + ": parameter[" + std::to_string(i) + "]: observation parameter '" + p.key +
                                "' is used by no measure's scale nor the workplace share");
    }
}

} // namespace

Calibration load_calibration(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    const toml::table& root = f.root();
    f.check_keys(root, "", {"calibration", "fit", "posterior", "parameter", "measure", "workplace"});
    Calibration c;
    c.path = path;
    const auto& t = f.table(f.require(root, "", "calibration"), "calibration");
    c.where = f.where(t);
    f.check_keys(t, "calibration", {"name", "title", "model_name", "scenario", "variant", "observations", "indicators", "level",
                                    "from", "to", "discrepancy", "seed"});
    c.name = t.get("name") ? f.string(*t.get("name"), "calibration.name") : fs::path(path).stem().string();
    if (c.name.size() > 12 && c.name.substr(c.name.size() - 12) == ".calibration") c.name.resize(c.name.size() - 12);
    if (const auto* n = t.get("title")) c.title = f.string(*n, "calibration.title");
    c.model_name = t.get("model_name") ? f.string(*t.get("model_name"), "calibration.model_name") : c.name;
    c.scenario = resolve(path, f.string(f.require(t, "calibration", "scenario"), "calibration.scenario"));
    if (const auto* n = t.get("variant")) c.variant = f.string(*n, "calibration.variant");
    for (const auto& o : f.strings(f.require(t, "calibration", "observations"), "calibration.observations"))
        c.observations.push_back(resolve(path, o));
    read_measures(f, root.get("measure"), c);
    read_workplaces(f, root.get("workplace"), c);
    if (const auto* n = t.get("indicators")) {
        const std::vector<std::string> known = c.measured_indicators();
        for (std::size_t i = 0; const auto& s : f.strings(*n, "calibration.indicators")) {
            if (std::find(known.begin(), known.end(), s) == known.end()) {
                const toml::node& at = n->is_array() ? *n->as_array()->get(i) : *n;
                throw ScenarioError(f.where(at) + ": calibration.indicators: '" + s + "' is not an indicator the model produces" +
                                    did_you_mean(s, known) + "; measured: " + join_list(known) +
                                    " (a [[measure]] table maps the model to another)");
            }
            c.indicators.push_back(s);
            ++i;
        }
    }
    if (const auto* n = t.get("level")) {
        const std::string s = f.string(*n, "calibration.level");
        const std::vector<std::string> names{"national", "province", "kabkota", "kecamatan", "desa"};
        const auto it = std::find(names.begin(), names.end(), s);
        if (it == names.end())
            throw ScenarioError(f.where(*n) + ": calibration.level: '" + s + "' is not a region level" + did_you_mean(s, names) +
                                "; expected one of: " + join_list(names));
        c.level = static_cast<RegionLevel>(it - names.begin());
    }
    if (const auto* n = t.get("from")) c.from = month(f, *n, "calibration.from");
    if (const auto* n = t.get("to")) c.to = month(f, *n, "calibration.to");
    if (c.from && c.to && *c.to < *c.from)
        throw ScenarioError(f.where(*t.get("to")) + ": calibration.to is before calibration.from");
    if (const auto* n = t.get("discrepancy")) {
        c.discrepancy_where = f.where(*n);
        if (n->is_string()) {
            const std::string s = f.string(*n, "calibration.discrepancy");
            if (s != "estimate")
                throw ScenarioError(f.where(*n) + ": calibration.discrepancy: '" + s +
                                    "' is not a discrepancy: write a share of the observed value from 0 to below 1, e.g. 0.03, "
                                    "or \"estimate\"");
            c.estimate_discrepancy = true;
        } else {
            c.discrepancy = f.number(*n, "calibration.discrepancy");
            if (!(c.discrepancy >= 0 && c.discrepancy < 1))
                throw ScenarioError(f.where(*n) + ": calibration.discrepancy = " + format_number(c.discrepancy) +
                                    " is out of range: expected a share of the observed value from 0 to below 1, e.g. 0.03, or "
                                    "\"estimate\"");
        }
    }
    if (const auto* n = t.get("seed")) c.seed = static_cast<std::uint64_t>(f.whole(*n, "calibration.seed", 0, std::numeric_limits<int>::max()));

    if (const auto* n = root.get("fit")) {
        const auto& ft = f.table(*n, "fit");
        f.check_keys(ft, "fit", {"starts", "evaluations"});
        if (const auto* m = ft.get("starts")) c.starts = static_cast<int>(f.whole(*m, "fit.starts", 1, 1000));
        if (const auto* m = ft.get("evaluations")) c.evaluations = static_cast<int>(f.whole(*m, "fit.evaluations", 10, 1'000'000));
    }
    if (const auto* n = root.get("posterior")) {
        const auto& pt = f.table(*n, "posterior");
        f.check_keys(pt, "posterior", {"chains", "burn_in", "samples", "thin"});
        if (const auto* m = pt.get("chains")) c.chains = static_cast<int>(f.whole(*m, "posterior.chains", 2, 64));
        if (const auto* m = pt.get("burn_in")) c.burn_in = static_cast<int>(f.whole(*m, "posterior.burn_in", 0, 1'000'000));
        if (const auto* m = pt.get("samples")) c.samples = static_cast<int>(f.whole(*m, "posterior.samples", 10, 1'000'000));
        if (const auto* m = pt.get("thin")) c.thin = static_cast<int>(f.whole(*m, "posterior.thin", 1, 1000));
    }

    const toml::node* params = root.get("parameter");
    if (params == nullptr) throw ScenarioError(c.where + ": parameter: no [[parameter]] table: name at least one model parameter to estimate");
    const auto* arr = params->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) throw ScenarioError(f.where(*params) + ": parameter: expected [[parameter]] tables");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string p = "parameter[" + std::to_string(i) + "]";
        const auto& pt = *arr->get(i)->as_table();
        f.check_keys(pt, p, {"key", "low", "high", "prior", "per", "pooling"});
        CalibrationParameter cp;
        cp.where = f.where(pt);
        cp.key = f.string(f.require(pt, p, "key"), p + ".key");
        if (cp.key.rfind("parameters.", 0) == 0) cp.key = cp.key.substr(11);
        for (const auto& other : c.parameters)
            if (other.key == cp.key) throw ScenarioError(f.where(*pt.get("key")) + ": " + p + ".key: '" + cp.key + "' is estimated twice");
        // NaN bounds: the model's plausible range, filled in when the model is known.
        cp.low = pt.get("low") ? f.number(*pt.get("low"), p + ".low") : std::numeric_limits<double>::quiet_NaN();
        cp.high = pt.get("high") ? f.number(*pt.get("high"), p + ".high") : std::numeric_limits<double>::quiet_NaN();
        if (cp.observation() && !(pt.get("low") && pt.get("high")))
            throw ScenarioError(cp.where + ": " + p + ": observation parameter '" + cp.key +
                                "' needs low and high: it has no model default");
        if (pt.get("low") && pt.get("high") && !(cp.low < cp.high))
            throw ScenarioError(cp.where + ": " + p + ": low " + format_number(cp.low) + " is not below high " + format_number(cp.high));
        if (const auto* n = pt.get("prior")) {
            const std::string s = f.string(*n, p + ".prior");
            if (s == "uniform") cp.prior = Prior::uniform;
            else if (s == "log-uniform") cp.prior = Prior::log_uniform;
            else
                throw ScenarioError(f.where(*n) + ": " + p + ".prior: '" + s + "' is not a prior" +
                                    did_you_mean(s, {"uniform", "log-uniform"}) + "; expected uniform or log-uniform");
        }
        if (const auto* n = pt.get("per")) {
            cp.per = f.string(*n, p + ".per");
            if (cp.key.rfind("replacement.", 0) != 0)
                throw ScenarioError(f.where(*n) + ": " + p + ".per: only replacement.<segment> varies by region, not '" + cp.key + "'");
            const auto* pool = pt.get("pooling");
            if (pool == nullptr)
                throw ScenarioError(cp.where + ": " + p + ": per = \"" + cp.per +
                                    "\" needs pooling = SD, the spread of the regional multipliers around 1 (e.g. 0.05)");
            cp.pooling = f.number(*pool, p + ".pooling");
            if (!(cp.pooling > 0 && cp.pooling <= 1))
                throw ScenarioError(f.where(*pool) + ": " + p + ".pooling " + format_number(cp.pooling) + ": expected a number above 0, at most 1");
        } else if (const auto* pool = pt.get("pooling")) {
            throw ScenarioError(f.where(*pool) + ": " + p + ".pooling: only with per = \"LEVEL\" (one multiplier per region of that level)");
        }
        c.parameters.push_back(std::move(cp));
    }
    check_observation_parameters(c);
    check_workplace_shares(c);
    return c;
}

} // namespace cakupan
