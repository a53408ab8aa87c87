// Pieces of a draw that work on whole arrays of regions, outside the per-step class (draw.cpp):
// the campaigns' uplift, neighbours' coverage and whole-person shares.
#include "engine/plan.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan {

// The product of the uplifts of the campaigns in `list` acting on segment si in step k, by region
// (1 where none acts). `model` is the draw's value for campaigns that do not set their own.
void campaign_uplift(const std::vector<Engine::Plan::Rate>& list, double model, std::size_t k, std::size_t si, Eigen::Index R,
                     Eigen::ArrayXd& out) {
    out.setOnes(R);
    for (const auto& c : list)
        if (c.active[k] > 0 && c.scope.in_segment[si]) {
            const double f = 1 + (or_model(c.value, model) - 1) * c.active[k];
            for (auto r : c.scope.regions) out[r] *= f;
        }
}

// Mean coverage of each region's neighbours by segment, W x coverage, with a region's own
// coverage where it has no neighbours. One pass over the sparse rows serves up to four segments
// (Eigen's sparse x dense product makes a pass per column); the sums run in the same order, so
// the result is the same to the bit.
void spill_over(const EngineData& data, const Eigen::ArrayXXd& coverage, Eigen::ArrayXXd& out) {
    const Eigen::Index R = coverage.rows(), S = coverage.cols();
    out.resize(R, S);
    const auto& w = data.weights; // compressed (make_engine_data)
    const auto* start = w.outerIndexPtr();
    const auto* column = w.innerIndexPtr();
    const double* weight = w.valuePtr();
    auto pass = [&]<int M>(Eigen::Index c0) {
        const double* in[M];
        double* res[M];
        for (int c = 0; c < M; ++c) in[c] = &coverage(0, c0 + c), res[c] = &out(0, c0 + c);
        for (Eigen::Index r = 0; r < R; ++r) {
            if (!data.has_neighbours[static_cast<std::size_t>(r)]) {
                for (int c = 0; c < M; ++c) res[c][r] = in[c][r];
                continue;
            }
            double sum[M] = {};
            for (auto e = start[r]; e < start[r + 1]; ++e)
                for (int c = 0; c < M; ++c) sum[c] += weight[e] * in[c][column[e]];
            for (int c = 0; c < M; ++c) res[c][r] = sum[c];
        }
    };
    for (Eigen::Index c0 = 0; c0 < S; c0 += 4) switch (std::min<Eigen::Index>(4, S - c0)) {
        case 4: pass.operator()<4>(c0); break;
        case 3: pass.operator()<3>(c0); break;
        case 2: pass.operator()<2>(c0); break;
        default: pass.operator()<1>(c0); break;
        }
}

// Whole persons from shares that sum to `members`: floors, then one more for the largest
// remainders (ties to the earlier region).
void largest_remainders(std::vector<double>& take, double members) {
    double given = 0;
    std::vector<std::size_t> order(take.size());
    for (std::size_t j = 0; j < take.size(); ++j) {
        order[j] = j;
        given += std::floor(take[j]);
    }
    std::vector<double> rem(take.size());
    for (std::size_t j = 0; j < take.size(); ++j) rem[j] = take[j] - std::floor(take[j]), take[j] = std::floor(take[j]);
    std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) { return rem[x] > rem[y]; });
    for (std::size_t j = 0; j < order.size() && given < members; ++j, given += 1) take[order[j]] += 1;
}

// Fixed costs are committed when an intervention first acts.
void commit_fixed_costs(const Engine::Plan& plan, std::size_t k, DrawBuffers& b, Eigen::ArrayXd& step_spend) {
    const Eigen::Index R = step_spend.size();
    for (std::size_t i = 0; i < plan.names.size(); ++i) {
        if (plan.fixed_cost[i] <= 0) continue;
        bool starts = false;
        for (const auto& f : plan.funded) starts |= f.index == i && f.start_step == k;
        for (const auto* list : {&plan.outreach, &plan.regulation, &plan.enforcement})
            for (const auto& x : *list) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
        for (const auto& x : plan.agents) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
        if (!starts) continue;
        for (Eigen::Index r = 0; r < R; ++r)
            step_spend[r] += plan.fixed_cost[i] * plan.cost_share[i][static_cast<std::size_t>(r)];
        b.intervention_spend[i] += plan.fixed_cost[i];
        b.intervention_cost(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) += plan.fixed_cost[i];
    }
}

// The costs of the levers themselves, for the share of the step each runs: agents' commission
// on the contributions of everyone they recruited so far, their monthly fee, and the bonus
// for each active agent when the step's recruits per active agent reach the threshold (a
// month's rate); campaigns' cost per region and month. Counted by intervention and funder
// only: the spend by region keeps the premiums and the costs the scenario states.
void commit_lever_costs(const Engine::Plan& plan, const Params& pr, double dt, std::size_t k, DrawBuffers& b) {
    auto add = [&](std::size_t i, double cost) {
        b.intervention_cost(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) += cost;
    };
    for (std::size_t i = 0; i < plan.agents.size(); ++i) {
        const auto& a = plan.agents[i];
        const double on = a.active[k] * dt; // months of the step the agents work
        if (on <= 0) continue;
        const double active_agents = a.agents * or_model(a.active_share, pr.active_share);
        double cost = a.commission * b.agent_contrib[i] * on + a.fee * a.agents * on;
        if (a.bonus > 0 && active_agents > 0 && b.agent_recruits[i] / (active_agents * on) >= a.bonus_threshold)
            cost += a.bonus * active_agents * on;
        add(a.index, cost);
    }
    for (const auto* list : {&plan.outreach, &plan.regulation, &plan.enforcement})
        for (const auto& c : *list)
            if (c.active[k] > 0 && c.cost_per_region_month > 0)
                add(c.index, c.cost_per_region_month * static_cast<double>(c.scope.regions.size()) * c.active[k] * dt);
}

} // namespace cakupan
