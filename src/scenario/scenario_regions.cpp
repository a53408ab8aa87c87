// Region selectors of a scenario and their checks against the layer's codes, and the [data] keys
// that say how those codes nest.
#include "scenario/scenario_regions.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <fnmatch.h>
#include <set>

namespace cakupan {

namespace {

const char* const kDeclare = "declare how they nest with data.code_levels, data.parent or data.code_separator";

bool is_glob(const std::string& pattern) { return pattern.find_first_of("*?[") != std::string::npos; }

// The level a selector asks for on this layer; 0 = any, -1 = a name the layer does not have.
int wanted_level(const RegionSelector& sel, const CodeStructure& codes) {
    if (sel.level_name.empty()) return sel.level;
    const int l = codes.level_named(sel.level_name);
    return l == 0 ? -1 : l;
}

// Every code a region lies within, in region order: parents a selector may name that are not
// regions themselves (the states of a county layer).
std::vector<std::string> ancestors(const RegionTable& regions) {
    std::set<std::string> seen;
    std::vector<std::string> out;
    for (const auto& id : regions.ids)
        for (std::string p = regions.codes.parent(id); !p.empty(); p = regions.codes.parent(p))
            if (seen.insert(p).second) out.push_back(p);
    return out;
}

std::string level_list(const CodeStructure& codes, const std::vector<std::string>& ids) {
    std::set<int> levels;
    for (const auto& id : ids) levels.insert(codes.level(id));
    std::vector<std::string> names;
    for (int l : levels) names.push_back(l == 0 ? "no known level" : std::to_string(l) + " (" + codes.level_name(l) + ")");
    return join_list(names);
}

void check_level(const Intervention& iv, const RegionTable& regions) {
    const RegionSelector& sel = iv.regions;
    if (sel.level == 0 && sel.level_name.empty()) return;
    const CodeStructure& codes = regions.codes;
    const std::string at = sel.level_where + ": intervention." + iv.name + ".level: ";
    if (!codes.nests())
        throw ScenarioError(at + "the " + codes.describe(regions.ids) + ", so they have no levels; " + kDeclare);
    if (!sel.level_name.empty() && codes.level_named(sel.level_name) == 0) {
        const auto names = codes.level_names();
        if (names.empty())
            throw ScenarioError(at + "'" + sel.level_name + "' is not a level of " + regions.layer + ": its levels have no names (" +
                                codes.describe(regions.ids) + "); give a level number or name the levels with data.level_names");
        throw ScenarioError(at + "'" + sel.level_name + "' is not a level of " + regions.layer + did_you_mean(sel.level_name, names) +
                            "; levels: " + join_list(names));
    }
    const int count = codes.level_count();
    if (sel.level_name.empty() && count > 0 && sel.level > count)
        throw ScenarioError(at + "level " + std::to_string(sel.level) + " is deeper than the " + std::to_string(count) +
                            " levels of " + regions.layer + " (" + codes.describe(regions.ids) + ")");
}

} // namespace

const std::vector<std::string>& code_structure_keys() {
    static const std::vector<std::string> keys = {"code_structure", "code_levels", "code_separator", "parent", "level_names"};
    return keys;
}

CodeSpec read_code_spec(const TomlFile& f, const toml::table& data) {
    CodeSpec spec;
    const toml::node* first = nullptr; // the first way of nesting given
    std::string first_key;
    auto one_way = [&](const char* key) -> const toml::node* {
        const toml::node* n = data.get(key);
        if (n == nullptr) return nullptr;
        if (first != nullptr) {
            const bool later = n->source().begin.line > first->source().begin.line ||
                               (n->source().begin.line == first->source().begin.line && n->source().begin.column > first->source().begin.column);
            const std::string a = later ? first_key : key, b = later ? key : first_key;
            throw ScenarioError(f.where(later ? *n : *first) + ": data." + b + ": data." + a +
                                " already says how codes nest; give one of code_structure, code_levels, code_separator or parent");
        }
        first = n;
        first_key = key;
        return n;
    };
    if (const auto* n = one_way("code_structure")) {
        spec.structure = f.string(*n, "data.code_structure");
        if (spec.structure != "kemendagri" && spec.structure != "flat")
            throw ScenarioError(f.where(*n) + ": data.code_structure: '" + spec.structure + "' is not a code structure" +
                                did_you_mean(spec.structure, {"kemendagri", "flat"}) +
                                "; expected kemendagri or flat, or give code_levels, code_separator or parent");
    }
    if (const auto* n = one_way("code_levels")) {
        const auto* arr = n->as_array();
        if (arr == nullptr || arr->empty())
            throw ScenarioError(f.where(*n) + ": data.code_levels: expected an array of code lengths, e.g. [2, 5] (US FIPS state, county)");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const toml::node& x = *arr->get(i);
            const int prev = spec.lengths.empty() ? 0 : spec.lengths.back();
            const auto* v = x.as_integer();
            if (v == nullptr || v->get() <= prev || v->get() > 64)
                throw ScenarioError(f.where(x) + ": data.code_levels[" + std::to_string(i) +
                                    "]: expected whole numbers of characters from 1 to 64, each longer than the one before, e.g. [2, 5]");
            spec.lengths.push_back(static_cast<int>(v->get()));
        }
    }
    if (const auto* n = one_way("code_separator")) {
        spec.separator = f.string(*n, "data.code_separator");
        if (spec.separator.empty()) throw ScenarioError(f.where(*n) + ": data.code_separator: expected the text between the parts of a code, e.g. \"-\"");
    }
    if (const auto* n = one_way("parent")) {
        spec.parent_field = f.string(*n, "data.parent");
        if (spec.parent_field.empty()) throw ScenarioError(f.where(*n) + ": data.parent: expected the name of the field holding the parent code, e.g. \"STATEFP\"");
    }
    if (const auto* n = data.get("level_names")) {
        if (spec.structure == "flat") throw ScenarioError(f.where(*n) + ": data.level_names: flat codes have no levels to name");
        const auto* arr = n->as_array();
        if (arr == nullptr || arr->empty())
            throw ScenarioError(f.where(*n) + ": data.level_names: expected an array of names from the top level down, e.g. [\"state\", \"county\"]");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const toml::node& x = *arr->get(i);
            const std::string name = f.string(x, "data.level_names[" + std::to_string(i) + "]");
            if (name.empty() || std::find(spec.level_names.begin(), spec.level_names.end(), name) != spec.level_names.end())
                throw ScenarioError(f.where(x) + ": data.level_names[" + std::to_string(i) + "]: expected a name used once, found '" + name + "'");
            spec.level_names.push_back(name);
        }
        if (!spec.lengths.empty() && spec.level_names.size() > spec.lengths.size())
            throw ScenarioError(f.where(*n) + ": data.level_names: " + std::to_string(spec.level_names.size()) + " names for " +
                                std::to_string(spec.lengths.size()) + " code_levels");
    }
    return spec;
}

std::vector<std::uint32_t> select_regions(const RegionSelector& sel, const RegionTable& regions) {
    const CodeStructure& codes = regions.codes;
    auto matches = [&](const std::string& pattern, const std::string& code) {
        if (pattern == "*") return true;
        if (is_glob(pattern)) return fnmatch(pattern.c_str(), code.c_str(), 0) == 0;
        return code == pattern || codes.is_within(code, pattern);
    };
    const int level = wanted_level(sel, codes);
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const auto& code = regions.ids[i];
        if (level != 0 && codes.level(code) != level) continue;
        const bool in = std::any_of(sel.include.begin(), sel.include.end(), [&](const auto& p) { return matches(p, code); });
        const bool out_ = std::any_of(sel.exclude.begin(), sel.exclude.end(), [&](const auto& p) { return matches(p, code); });
        if (in && !out_) out.push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

void check_against(const Scenario& sc, const RegionTable& regions) {
    const CodeStructure& codes = regions.codes;
    auto known = [&](const std::string& pattern) {
        RegionSelector one;
        one.include = {pattern};
        return !select_regions(one, regions).empty();
    };
    std::vector<std::string> candidates = regions.ids; // for "did you mean": regions and the codes they lie within
    for (auto& a : ancestors(regions)) candidates.push_back(std::move(a));
    std::vector<const Intervention*> all;
    for (const auto& iv : sc.declared) all.push_back(&iv);
    for (const auto& v : sc.variants)
        for (const auto& iv : v.interventions) all.push_back(&iv);
    for (const Intervention* iv : all) {
        check_level(*iv, regions);
        for (const auto* list : {&iv->regions.include, &iv->regions.exclude})
            for (const auto& p : *list) {
                if (known(p)) continue;
                std::string rule;
                if (is_glob(p)) rule = "a glob (* ? [...]) matches whole codes";
                else if (!codes.nests()) rule = "the " + codes.describe(regions.ids) + ", so a code selects only itself; to select by a parent code, " + kDeclare;
                else rule = codes.describe(regions.ids) + ", and a code selects itself and the regions below it";
                throw ScenarioError(iv->regions.where + ": intervention." + iv->name + (list == &iv->regions.include ? ".regions" : ".exclude") +
                                    ": region selector '" + p + "' matches no region of " + regions.layer + ": " + rule +
                                    did_you_mean(p, candidates));
            }
        if (select_regions(iv->regions, regions).empty()) {
            std::string why;
            if (iv->regions.level != 0 || !iv->regions.level_name.empty()) {
                RegionSelector any = iv->regions;
                any.level = 0;
                any.level_name.clear();
                std::vector<std::string> picked;
                for (auto r : select_regions(any, regions)) picked.push_back(regions.ids[r]);
                if (!picked.empty())
                    why = ": none of its regions is at " + codes.level_label(wanted_level(iv->regions, codes)) +
                          "; they are at level " + level_list(codes, picked);
            }
            throw ScenarioError(iv->regions.where + ": intervention." + iv->name + ": the selector picks no region" + why);
        }
    }
    for (const auto& [code, share] : sc.target.regions)
        if (!regions.find(code))
            throw ScenarioError(sc.path + ": target.regions: no region '" + code + "' in " + regions.layer + did_you_mean(code, regions.ids));
}

} // namespace cakupan
