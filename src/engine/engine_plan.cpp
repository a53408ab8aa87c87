// Planning: the engine's data aligned to the model, and each variant's interventions turned into a
// schedule (which steps, regions and segments each acts on) once, before any draw.
#include "engine/plan.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>

namespace cakupan {

using std::chrono::days;
using std::chrono::sys_days;

const char* to_string(Lever lever) {
    switch (lever) {
    case Lever::voluntary: return "voluntary";
    case Lever::replacement: return "replacement";
    case Lever::agents: return "agents";
    case Lever::enforcement: return "enforcement";
    case Lever::subsidy: return "subsidy";
    case Lever::village_programme: return "village_programme";
    case Lever::fixed_term: return "fixed_term";
    case Lever::renewal: return "renewal";
    case Lever::lapse: return "lapse";
    case Lever::funding_end: return "funding_end";
    case Lever::january_gap: return "january_gap";
    case Lever::count: break;
    }
    return "?";
}

namespace {

Scope make_scope(const Intervention& iv, const RegionTable& regions, const Model& model) {
    Scope s;
    s.regions = select_regions(iv.regions, regions);
    s.in_segment.assign(model.segments.size(), 0);
    for (const auto& id : iv.segments) {
        const auto i = model.segment_index(id);
        s.segments.push_back(static_cast<int>(i));
        s.in_segment[static_cast<std::size_t>(i)] = 1;
    }
    return s;
}

// A cost parameter of the model; 0 where the model has none (they are optional). Costs are not
// drawn: they move spend, never coverage.
double cost(const Model& m, const std::string& key) {
    const Parameter* p = m.find(key);
    return p != nullptr ? p->value : 0.0;
}

double campaign_cost(const Intervention& iv, const Model& m, const std::string& key) {
    return or_model(iv.cost_per_region_month, cost(m, key));
}

} // namespace

EngineData make_engine_data(const RegionTable& regions, const RegionStatistics& stats, const Model& model,
                            const Adjacency& adjacency, const std::vector<double>& villages) {
    EngineData d;
    const auto n = static_cast<Eigen::Index>(regions.size());
    const auto ns = static_cast<Eigen::Index>(model.segments.size());
    d.workers.resize(n, ns);
    d.active.resize(n, ns);
    for (Eigen::Index s = 0; s < ns; ++s) {
        const auto& id = model.segments[static_cast<std::size_t>(s)].id;
        const auto it = std::find(stats.segments.begin(), stats.segments.end(), id);
        if (it == stats.segments.end())
            throw InputError("statistics have no columns workers_" + id + " and active_" + id + " for the model segment '" + id +
                             "' (segments in the statistics: " +
                             [&] {
                                 std::string s2;
                                 for (const auto& x : stats.segments) s2 += (s2.empty() ? "" : ", ") + x;
                                 return s2;
                             }() +
                             ")");
        const auto col = static_cast<Eigen::Index>(it - stats.segments.begin());
        d.workers.col(s) = stats.workers.col(col);
        d.active.col(s) = stats.active.col(col);
    }
    d.villages = Eigen::Map<const Eigen::ArrayXd>(villages.data(), static_cast<Eigen::Index>(villages.size()));
    if (d.villages.size() != n) throw Error("make_engine_data: village counts do not match the regions");
    d.weights = adjacency.row_standardised();
    d.weights.makeCompressed();
    d.has_neighbours.resize(regions.size());
    for (std::size_t r = 0; r < regions.size(); ++r) d.has_neighbours[r] = !adjacency.of(r).empty();
    return d;
}

Engine::~Engine() = default;

Engine::Engine(const Period& period, const Target& target, const std::vector<Variant>& variants, const RegionTable& regions,
               std::shared_ptr<const EngineData> data)
    : data_(std::move(data)), calendar_(make_calendar(period)), overall_target_(target.overall) {
    if (!data_ || static_cast<std::size_t>(data_->workers.rows()) != regions.size())
        throw Error("engine: the engine data do not belong to the " + std::to_string(regions.size()) + " regions");
    targets_ = Eigen::ArrayXd::Constant(static_cast<Eigen::Index>(regions.size()), target.overall);
    for (const auto& [code, share] : target.regions)
        if (const auto r = regions.find(code)) targets_[static_cast<Eigen::Index>(*r)] = share;

    const std::size_t steps = calendar_.steps();
    const std::vector<char> january = january_steps(calendar_);

    for (const auto& v : variants) {
        Plan plan;
        plan.name = v.name;
        plan.description = v.description;
        plan.january = january;
        const Model& m = v.model;
        plan.model = m;
        for (const auto& c : v.changes) plan.changes.push_back({step_of(calendar_, c.from), c.key, c.value});
        plan.replacement_factor.assign(m.segments.size(), Eigen::ArrayXd::Ones(static_cast<Eigen::Index>(regions.size())));
        for (const auto& f : v.factors)
            for (std::size_t s = 0; s < m.segments.size(); ++s)
                if (f.key == "replacement." + m.segments[s].id)
                    for (std::size_t r = 0; r < regions.size(); ++r)
                        if (regions.ids[r] == f.code || regions.codes.is_within(regions.ids[r], f.code))
                            plan.replacement_factor[s][static_cast<Eigen::Index>(r)] *= f.factor;
        for (const auto& seg : m.segments) {
            plan.budget_paid.push_back(seg.pays == Payer::budget);
            plan.employer_paid.push_back(seg.pays == Payer::employer);
            plan.pays_self.push_back(seg.pays == Payer::self);
        }

        for (std::size_t i = 0; i < v.interventions.size(); ++i) {
            const Intervention& iv = v.interventions[i];
            plan.names.push_back(iv.name);
            plan.funders.push_back(iv.funder);
            plan.fixed_cost.push_back(iv.cost);
            Scope scope = make_scope(iv, regions, m);
            // Fixed costs are attributed to regions in proportion to their workers.
            std::vector<double> share(regions.size(), 0.0);
            double total = 0;
            for (auto r : scope.regions) total += data_->workers.row(r).sum();
            for (auto r : scope.regions)
                share[r] = total > 0 ? data_->workers.row(r).sum() / total : 1.0 / static_cast<double>(scope.regions.size());
            plan.cost_share.push_back(std::move(share));
            std::vector<double> active(steps);
            for (std::size_t k = 0; k < steps; ++k) active[k] = overlap(calendar_, k, iv.start, iv.end);
            switch (iv.kind) {
            case InterventionKind::subsidy:
            case InterventionKind::village_programme:
            case InterventionKind::fixed_term: {
                Plan::Funded f;
                f.index = i;
                f.lever = iv.kind == InterventionKind::subsidy             ? Lever::subsidy
                          : iv.kind == InterventionKind::village_programme ? Lever::village_programme
                                                                          : Lever::fixed_term;
                f.segment = scope.segments.front();
                f.scope = std::move(scope);
                f.start_step = step_of(calendar_, iv.start);
                f.end_step = step_of(calendar_, Date(sys_days(iv.end) + days(1)));
                f.premium = iv.premium;
                f.months = iv.months;
                f.retention = iv.retention;
                f.per_village = iv.per_village;
                f.budget = iv.budget;
                // Budget arithmetic: whole members funded for the whole cohort length. A fixed-term
                // cohort names its members and is not retained when its term ends.
                if (iv.kind == InterventionKind::fixed_term) {
                    f.members_bought = std::floor(iv.members);
                    f.retention = 0;
                } else {
                    f.members_bought = std::floor(iv.budget / (iv.premium * iv.months));
                }
                plan.funded.push_back(std::move(f));
                break;
            }
            case InterventionKind::outreach:
                plan.outreach.push_back({i, std::move(scope), active, iv.uplift, campaign_cost(iv, m, "outreach_cost")});
                break;
            case InterventionKind::regulation:
                plan.regulation.push_back({i, std::move(scope), active, iv.uplift, campaign_cost(iv, m, "regulation_cost")});
                break;
            case InterventionKind::enforcement:
                plan.enforcement.push_back({i, std::move(scope), active, iv.hazard, campaign_cost(iv, m, "enforcement_cost")});
                break;
            case InterventionKind::agents: {
                Plan::Agents a;
                a.index = i;
                a.scope = std::move(scope);
                a.active = active;
                a.agents = iv.agents;
                a.productivity = iv.productivity;
                a.active_share = iv.active_share;
                a.cost_per_member = iv.cost_per_member;
                a.commission = or_model(iv.commission, cost(m, "agent_commission"));
                a.fee = or_model(iv.fee_per_agent, cost(m, "agent_fee"));
                a.bonus = cost(m, "agent_bonus");
                a.bonus_threshold = cost(m, "agent_bonus_threshold");
                for (const auto& seg : m.segments) a.premium.push_back(cost(m, "premium." + seg.id));
                plan.agents.push_back(std::move(a));
                break;
            }
            }
        }
        plans_.push_back(std::move(plan));
    }
}

} // namespace cakupan
