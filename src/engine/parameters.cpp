// The model's values for one draw (docs/model.md, "With run.uncertainty = parameters").
#include "engine/plan.hpp"

#include "engine/stream_keys.hpp"

#include <algorithm>

namespace cakupan {

Params draw_params(const Model& m, bool vary, std::uint64_t seed, std::uint64_t draw) {
    const std::uint64_t key = streams::parameters_key(seed);
    auto get = [&](const std::string& name) {
        const Parameter* prm = m.find(name);
        const double mode = prm->value;
        if (!vary || prm->evidence == Evidence::sourced || prm->set_by_scenario) return mode;
        const double lo = std::min(prm->low, mode), hi = std::max(prm->high, mode);
        if (!(hi > lo)) return mode;
        auto s = streams::parameter_stream(key, draw, name);
        const double u = s.uniform();
        const double c = (mode - lo) / (hi - lo);
        const double x = u < c ? lo + std::sqrt(u * (hi - lo) * (mode - lo)) : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
        return std::clamp(x, prm->min, prm->max);
    };
    Params pr;
    pr.p = get("bass_p");
    pr.q = get("bass_q");
    pr.rho = get("spillover_rho");
    pr.crowd_in = get("crowd_in");
    pr.january_gap = get("january_gap");
    pr.renewal_delay = get("renewal_delay");
    pr.initial_lapsed = get("initial_lapsed_share");
    pr.retention = get("funded_retention");
    pr.outreach_uplift = get("outreach_uplift");
    pr.regulation_uplift = get("regulation_uplift");
    pr.productivity = get("agent_productivity");
    pr.active_share = get("agent_active_share");
    pr.enforcement = get("enforcement_hazard");
    for (const auto& seg : m.segments) {
        pr.lapse.push_back(get("lapse." + seg.id));
        pr.saturation.push_back(get("saturation." + seg.id));
        pr.replacement.push_back(get("replacement." + seg.id));
    }
    return pr;
}

double* parameter_slot(Params& pr, const Model& m, const std::string& key) {
    if (key == "bass_p") return &pr.p;
    if (key == "bass_q") return &pr.q;
    if (key == "january_gap") return &pr.january_gap;
    for (std::size_t s = 0; s < m.segments.size(); ++s) {
        if (key == "replacement." + m.segments[s].id) return &pr.replacement[s];
        if (key == "lapse." + m.segments[s].id) return &pr.lapse[s];
    }
    return nullptr;
}

} // namespace cakupan
