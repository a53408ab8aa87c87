#include "cakupan/scenario/loaded_scenario.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan {

LoadedScenario load_scenario_inputs(const std::string& path, Diagnostics& notes) {
    LoadedScenario out;
    out.scenario = load_scenario(path, notes);
    const Scenario& sc = out.scenario;

    RegionData data = load_region_data(sc.boundaries, sc.statistics, notes);
    if (notes.has_errors()) notes.throw_if_errors();
    out.regions = std::move(data.regions);
    out.statistics = std::move(*data.statistics);
    check_against(sc, out.regions);
    out.adjacency = build_contiguity(out.regions.shapes, sc.contiguity);

    // Village counts: from the statistics, or one per region on a Kemendagri village layer (other
    // codings do not say which level holds villages).
    const std::size_t n = out.regions.size();
    out.villages.assign(n, NAN);
    if (out.statistics.villages.size() > 0)
        for (std::size_t r = 0; r < n; ++r) out.villages[r] = out.statistics.villages[static_cast<Eigen::Index>(r)];
    else if (n > 0 && out.regions.codes.kind() == CodeStructure::Kind::kemendagri && out.regions.codes.level(out.regions.ids.front()) == 4)
        out.villages.assign(n, 1.0);
    bool needs_villages = false;
    for (const auto& v : sc.variants)
        for (const auto& iv : v.interventions) needs_villages |= iv.kind == InterventionKind::village_programme;
    if (needs_villages && n > 0 && std::isnan(out.villages.front()))
        throw InputError(sc.statistics.path + ": a village programme needs the number of villages per region: add a "
                                              "'villages' column or use a village layer");
    for (auto& v : out.villages)
        if (std::isnan(v)) v = 0;

    // Every model segment must be in the statistics (all variants share the model's segments).
    for (const auto& seg : sc.variants.front().model.segments)
        if (std::find(out.statistics.segments.begin(), out.statistics.segments.end(), seg.id) == out.statistics.segments.end())
            throw InputError(sc.statistics.path + ": no columns workers_" + seg.id + " and active_" + seg.id +
                             " for the model segment '" + seg.id + "'");
    return out;
}

EngineData make_engine_data(const LoadedScenario& loaded) {
    return make_engine_data(loaded.regions, loaded.statistics, loaded.scenario.variants.front().model, loaded.adjacency,
                            loaded.villages);
}

} // namespace cakupan
