// The [intervention.*] tables: their types, keys and numbers, with defaults from the model.
#include "scenario/scenario_reader.hpp"

#include "cakupan/io/utf8.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan {

const char* to_string(InterventionKind k) {
    switch (k) {
    case InterventionKind::subsidy: return "subsidy";
    case InterventionKind::village_programme: return "village_programme";
    case InterventionKind::outreach: return "outreach";
    case InterventionKind::agents: return "agents";
    case InterventionKind::regulation: return "regulation";
    case InterventionKind::enforcement: return "enforcement";
    case InterventionKind::fixed_term: return "fixed_term";
    }
    return "?";
}

const char* to_string(Funder f) {
    switch (f) {
    case Funder::apbd_province: return "apbd_province";
    case Funder::apbd_kabkota: return "apbd_kabkota";
    case Funder::dana_desa: return "dana_desa";
    case Funder::csr_zakat: return "csr_zakat";
    }
    return "?";
}

bool InterventionNumber::applies_to(InterventionKind k) const {
    return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

const std::vector<InterventionNumber>& intervention_numbers() {
    using K = InterventionKind;
    using I = Intervention;
    static const std::vector<InterventionNumber> numbers = {
        {"budget", &I::budget, 0, 1e15, "a budget in Rp >= 0", true, {K::subsidy}},
        {"per_village", &I::per_village, 0, 1e5, "workers per village >= 0", true, {K::village_programme}},
        {"members", &I::members, 0, 1e9, "a number of workers >= 0", true, {K::fixed_term}},
        {"premium", &I::premium, 1, 1e7, "Rp per member per month > 0", false, {K::subsidy, K::village_programme}},
        {"premium", &I::premium, 0, 1e7, "Rp per member per month >= 0", false, {K::fixed_term}},
        {"retention", &I::retention, 0, 1, "a share between 0 and 1", false, {K::subsidy, K::village_programme}},
        {"uplift", &I::uplift, 0, 100, "a multiplier between 0 and 100", false, {K::outreach, K::regulation}},
        {"agents", &I::agents, 0, 1e7, "a number of agents >= 0", true, {K::agents}},
        {"productivity", &I::productivity, 0, 1e4, "members per active agent per month >= 0", false, {K::agents}},
        {"active_share", &I::active_share, 0, 1, "a share between 0 and 1", false, {K::agents}},
        {"cost_per_member", &I::cost_per_member, 0, 1e9, "Rp per member >= 0", false, {K::agents}},
        {"hazard", &I::hazard, 0, 1, "a monthly hazard between 0 and 1", false, {K::enforcement}},
        {"cost", &I::cost, 0, 1e15, "a cost in Rp >= 0", false, {}},
        {"commission", &I::commission, 0, 1, "a share of contributions between 0 and 1", false, {K::agents}},
        {"fee_per_agent", &I::fee_per_agent, 0, 1e9, "Rp per agent per month >= 0", false, {K::agents}},
        {"cost_per_region_month",
         &I::cost_per_region_month,
         0,
         1e12,
         "Rp per region and month >= 0",
         false,
         {K::outreach, K::regulation, K::enforcement}},
    };
    return numbers;
}

namespace {

const std::vector<std::string> kKinds = {"subsidy",    "village_programme", "outreach",  "agents",
                                         "regulation", "enforcement",       "fixed_term"};
const std::vector<std::string> kCommonKeys = {"type",    "enabled", "description", "start",    "end",   "regions",
                                              "exclude", "level",   "segment",     "segments", "funder"};

// Kinds that cover a cohort for `months` from their start.
bool funded(InterventionKind k) {
    return k == InterventionKind::subsidy || k == InterventionKind::village_programme || k == InterventionKind::fixed_term;
}

// Kinds that run from their start to an end (or for `months`): what a plan may lengthen.
bool campaign(InterventionKind k) {
    return k == InterventionKind::outreach || k == InterventionKind::regulation || k == InterventionKind::enforcement;
}

std::vector<std::string> kind_keys(InterventionKind k) {
    std::vector<std::string> keys = kCommonKeys;
    if (funded(k) || campaign(k)) keys.emplace_back("months");
    for (const auto& n : intervention_numbers())
        if (n.applies_to(k)) keys.emplace_back(n.name);
    return keys;
}

Date minus_one_day(Date d) { return Date(std::chrono::sys_days(d) - std::chrono::days(1)); }

// A level number, or a name resolved against the layer's code structure by check_against.
void parse_level(const Reader& r, const toml::node& n, const std::string& path, RegionSelector& sel) {
    sel.level_where = r.file().where(n);
    if (n.is_integer()) {
        sel.level = static_cast<int>(r.number_in(n, path, 1, 99, "a level number from 1 (the top level, e.g. province)"));
        return;
    }
    if (!n.is_string())
        throw ScenarioError(sel.level_where + ": " + path +
                            ": expected a level number (1 = the top level) or a level name such as \"kabkota\"");
    sel.level_name = r.file().string(n, path);
}

std::vector<std::string> parse_segments(const Reader& r, const Fields& t, const std::string& path, const Model& m,
                                        InterventionKind kind) {
    const TomlFile& f = r.file();
    std::vector<std::string> ids;
    for (const auto& s : m.segments) ids.push_back(s.id);
    std::vector<std::string> out;
    if (t.contains("segment") && t.contains("segments"))
        throw ScenarioError(t.where() + ": " + path + ": give either segment or segments, not both");
    if (const auto* n = t.get("segment"))
        out = {f.string(*n, path + ".segment")};
    else if (const auto* n2 = t.get("segments"))
        out = r.strings(*n2, path + ".segments");
    else {
        // Defaults: funded programmes pay for the vulnerable, enforcement and fixed-term cohorts act
        // on employer-paid workers, the other levers on everyone who is not enrolled by an employer.
        const bool on_employer = kind == InterventionKind::enforcement || kind == InterventionKind::fixed_term;
        for (const auto& s : m.segments) {
            const bool employer = s.pays == Payer::employer;
            if (on_employer ? employer : !employer) out.push_back(s.id);
        }
        if (kind == InterventionKind::fixed_term && !out.empty()) out = {out.front()};
        else if (funded(kind)) out = {m.segment_index("vulnerable") >= 0 ? "vulnerable" : out.front()};
    }
    const toml::node* at = t.get("segment") ? t.get("segment") : t.get("segments");
    for (const auto& s : out)
        if (m.segment_index(s) < 0)
            throw ScenarioError((at ? f.where(*at) : t.where()) + ": " + path + ": unknown segment '" + s + "'" +
                                did_you_mean(s, ids) + "; segments: " + join_list(ids));
    if (funded(kind) && out.size() != 1)
        throw ScenarioError(t.where() + ": " + path + ": a funded programme pays for exactly one segment");
    if (out.empty()) throw ScenarioError(t.where() + ": " + path + ": no segment to act on");
    return out;
}

// Village programmes are paid from Dana Desa unless the file says otherwise; everything else by
// the province. Dana Desa may pay only village programmes.
Funder parse_funder(const Reader& r, const Fields& t, const std::string& path, InterventionKind kind) {
    const toml::node* n = t.get("funder");
    if (n == nullptr) return kind == InterventionKind::village_programme ? Funder::dana_desa : Funder::apbd_province;
    const std::string s = r.file().string(*n, path + ".funder");
    std::vector<std::string> names;
    for (int i = 0; i < kFunderCount; ++i) names.emplace_back(to_string(static_cast<Funder>(i)));
    const auto it = std::find(names.begin(), names.end(), s);
    if (it == names.end())
        throw ScenarioError(r.file().where(*n) + ": " + path + ".funder: '" + s + "' is not a funder" + did_you_mean(s, names) +
                            "; funders: " + join_list(names));
    const auto funder = static_cast<Funder>(it - names.begin());
    if (funder == Funder::dana_desa && kind != InterventionKind::village_programme)
        throw ScenarioError(r.file().where(*n) + ": " + path + ".funder: Dana Desa may fund only village programmes, not a " +
                            to_string(kind) + "; choose apbd_province, apbd_kabkota or csr_zakat");
    return funder;
}

} // namespace

Intervention parse_intervention(const Reader& r, const std::string& name, const Fields& t, const Model& m, const Period& period) {
    const TomlFile& f = r.file();
    const std::string path = "intervention." + name;
    Intervention iv;
    iv.name = name;
    iv.where = t.where();
    const std::string type = f.string(t.need(path, "type"), path + ".type");
    const auto k = std::find(kKinds.begin(), kKinds.end(), type);
    if (k == kKinds.end())
        throw ScenarioError(f.where(*t.get("type")) + ": " + path + ".type: '" + type + "' is not an intervention" +
                            did_you_mean(type, kKinds) + "; types: " + join_list(kKinds));
    iv.kind = static_cast<InterventionKind>(k - kKinds.begin());
    t.check_keys(path, kind_keys(iv.kind));
    if (const auto* d = t.get("description")) iv.description = f.string(*d, path + ".description");

    iv.start = r.date(t.need(path, "start"), path + ".start");
    if (funded(iv.kind)) {
        if (t.contains("end"))
            throw ScenarioError(f.where(*t.get("end")) + ": " + path +
                                ".end: funded programmes last 'months' from their start; remove 'end'");
        iv.months = static_cast<int>(r.number_in(t.need(path, "months"), path + ".months", 1, 120, "1 to 120 months"));
        if (std::floor(f.number(*t.get("months"), path)) != f.number(*t.get("months"), path))
            throw ScenarioError(f.where(*t.get("months")) + ": " + path + ".months: expected a whole number of months");
        iv.end = minus_one_day(add_months(iv.start, iv.months));
        if (iv.start < period.start || iv.start > period.end)
            throw ScenarioError(f.where(*t.get("start")) + ": " + path + ".start " + to_string(iv.start) +
                                " is outside the period " + to_string(period.start) + " to " + to_string(period.end));
    } else if (const auto* mo = t.get("months"); mo != nullptr && campaign(iv.kind)) {
        // A campaign may run whole months from its start instead of to an end; 0: it does not run.
        if (t.contains("end"))
            throw ScenarioError(f.where(*t.get("end")) + ": " + path + ": give end or months, not both");
        const double months = r.number_in(*mo, path + ".months", 0, 120, "0 to 120 months");
        if (std::floor(months) != months) throw ScenarioError(f.where(*mo) + ": " + path + ".months: expected a whole number of months");
        iv.months = static_cast<int>(months);
        iv.end = minus_one_day(add_months(iv.start, iv.months));
    } else {
        iv.end = t.contains("end") ? r.date(*t.get("end"), path + ".end") : period.end;
        if (iv.end < iv.start)
            throw ScenarioError(t.where() + ": " + path + ": end " + to_string(iv.end) + " is before start " +
                                to_string(iv.start));
        if (iv.start > period.end || iv.end < period.start)
            r.notes().warning(t.where(), path + " runs " + to_string(iv.start) + " to " + to_string(iv.end) +
                                             ", outside the period, and has no effect");
    }

    if (const auto* n = t.get("regions")) iv.regions.include = r.strings(*n, path + ".regions");
    if (const auto* n = t.get("exclude")) iv.regions.exclude = r.strings(*n, path + ".exclude");
    if (const auto* n = t.get("level")) parse_level(r, *n, path + ".level", iv.regions);
    iv.regions.where = t.get("regions") ? f.where(*t.get("regions")) : iv.where;
    if (iv.regions.include.empty()) throw ScenarioError(iv.regions.where + ": " + path + ".regions: empty selector");
    iv.segments = parse_segments(r, t, path, m, iv.kind);
    iv.funder = parse_funder(r, t, path, iv.kind);

    for (const auto& n : intervention_numbers()) {
        if (!n.applies_to(iv.kind)) continue;
        const auto* node = n.required ? &t.need(path, n.name) : t.get(n.name);
        if (node != nullptr) iv.*n.member = r.number_in(*node, path + "." + n.name, n.min, n.max, n.expected);
    }
    if (iv.kind == InterventionKind::fixed_term) {
        // Whoever pays a fixed-term cohort's premiums (an election commission, a project), the
        // model counts them only where a premium is known: the model's, or the one given.
        if (std::isnan(iv.premium)) iv.premium = m.find("premium." + iv.segments.front()) ? m.value("premium." + iv.segments.front()) : 0;
    } else if (funded(iv.kind)) {
        if (std::isnan(iv.premium)) {
            const std::string key = "premium." + iv.segments.front();
            if (m.find(key) == nullptr)
                throw ScenarioError(iv.where + ": " + path + ": the model has no " + key + "; give premium = ... (Rp per month)");
            iv.premium = m.value(key);
        }
    }
    return iv;
}

} // namespace cakupan
