// The driver of each region and its summary by parent region. Everything here is one pass over
// the rows or the regions: a village layer has thousands of regions and rows per parameter.
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/study/drivers.hpp"
#include "io/csv.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cakupan {

using render::Lang;

std::vector<RegionDriver> region_driver_values(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows) {
    const std::string main = main_index(st.method);
    const std::string prefix = "coverage_end:";
    std::unordered_map<std::string, std::size_t> parameter_of;
    for (std::size_t k = 0; k < st.parameters.size(); ++k) parameter_of.emplace(st.parameters[k].label, k);
    std::unordered_map<std::string_view, std::size_t> region_of; // code -> position
    const auto& codes = model.region_codes();
    for (std::size_t i = 0; i < codes.size(); ++i) region_of.emplace(codes[i], i);
    // |index| and signed index per region and parameter; a repeated row keeps the largest |index|.
    const std::size_t np = st.parameters.size();
    std::vector<double> size(codes.size() * np, -1.0), value(codes.size() * np, NAN);
    for (const auto& r : rows) {
        if (r.index != main || !std::isfinite(r.value) || r.output.compare(0, prefix.size(), prefix) != 0) continue;
        const auto p = parameter_of.find(r.parameter);
        const auto g = region_of.find(std::string_view(r.output).substr(prefix.size()));
        if (p == parameter_of.end() || g == region_of.end()) continue;
        const std::size_t at = g->second * np + p->second;
        if (std::abs(r.value) > size[at]) size[at] = std::abs(r.value), value[at] = r.value;
    }
    std::vector<RegionDriver> out(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i)
        for (std::size_t k = 0; k < np; ++k) {
            const std::size_t at = i * np + k;
            if (size[at] >= 0 && (out[i].parameter < 0 || size[at] > size[i * np + static_cast<std::size_t>(out[i].parameter)]))
                out[i] = {static_cast<int>(k), value[at]}; // ties: the earlier parameter
        }
    return out;
}

std::vector<int> region_drivers(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows) {
    std::vector<int> out;
    for (const auto& d : region_driver_values(st, model, rows)) out.push_back(d.parameter);
    return out;
}

std::vector<DriverGroup> drivers_by_parent(const std::vector<std::string>& codes, const std::vector<std::string>& names,
                                           const std::vector<int>& drivers, std::size_t parameters, std::size_t max_groups,
                                           Lang lang, const ParentRegions* parents) {
    const CodeStructure cs = CodeStructure::detect(codes);
    const std::vector<std::string> parent = table_groups(cs, codes, max_groups);
    if (parent.empty()) return {};
    std::unordered_map<std::string_view, std::string_view> stored; // parent code -> name the run or study found
    if (parents != nullptr)
        for (std::size_t k = 0; k < parents->codes.size() && k < parents->names.size(); ++k) stored.emplace(parents->codes[k], parents->names[k]);

    std::unordered_map<std::string_view, std::size_t> region_of;
    for (std::size_t i = 0; i < codes.size(); ++i) region_of.emplace(codes[i], i);
    std::map<std::string, std::size_t> at; // parent code -> group, in code order
    std::vector<DriverGroup> groups;
    std::vector<std::vector<std::size_t>> counts; // per group: regions driven by each parameter
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const auto [it, fresh] = at.try_emplace(parent[i], groups.size());
        if (fresh) {
            DriverGroup g;
            g.code = parent[i];
            if (const auto r = region_of.find(parent[i]); r != region_of.end() && r->second < names.size())
                g.name = names[r->second];
            if (const auto n = stored.find(parent[i]); g.name.empty() && n != stored.end()) g.name = n->second;
            if (g.name.empty()) g.name = parent[i].empty() ? std::string("-") : level_and_code(cs, parent[i], lang == Lang::id);
            groups.push_back(std::move(g));
            counts.emplace_back(parameters, 0);
        }
        DriverGroup& g = groups[it->second];
        ++g.regions;
        const int d = i < drivers.size() ? drivers[i] : -1;
        if (d >= 0 && static_cast<std::size_t>(d) < parameters)
            ++counts[it->second][static_cast<std::size_t>(d)];
        else
            ++g.no_result;
    }
    std::vector<DriverGroup> out;
    for (const auto& [code, k] : at) {
        DriverGroup g = std::move(groups[k]);
        const auto& c = counts[k];
        for (std::size_t p = 0; p < parameters; ++p) { // strictly more to move up: ties keep the earlier parameter
            if (c[p] == 0) continue;
            if (g.first < 0 || c[p] > g.first_regions) {
                g.second = g.first, g.second_regions = g.first_regions;
                g.first = static_cast<int>(p), g.first_regions = c[p];
            } else if (g.second < 0 || c[p] > g.second_regions) {
                g.second = static_cast<int>(p), g.second_regions = c[p];
            }
        }
        out.push_back(std::move(g));
    }
    return out;
}

std::string drivers_csv(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows) {
    const auto drivers = region_driver_values(st, model, rows);
    const auto& codes = model.region_codes();
    const auto& names = model.region_names();
    const std::string main = main_index(st.method);
    std::string out;
    csv::Writer csv(out);
    csv.record({"code", "name", "parameter", "index", "value"});
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const RegionDriver& d = drivers[i];
        const bool found = d.parameter >= 0;
        csv.record({codes[i], i < names.size() ? names[i] : std::string(),
                    found ? st.parameters[static_cast<std::size_t>(d.parameter)].label : std::string(),
                    found ? main : std::string(), found ? format_number(d.value) : std::string()});
    }
    return out;
}

} // namespace cakupan
