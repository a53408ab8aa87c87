#include "cakupan/plan/plan_solve.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

namespace cakupan {

namespace {

using Levels = std::array<double, 3>; // what the greedy step improves, most important first

double shortfall_sum(const PlanProblem& pb, const Candidate& c) {
    double s = 0;
    for (std::size_t r = 0; r < c.region_median.size(); ++r)
        s += std::min(c.region_median[r] - pb.region_targets()[static_cast<Eigen::Index>(r)], 0.0);
    return s;
}

double capped_probability_sum(const PlanProblem& pb, const Candidate& c) {
    double s = 0;
    for (double p : c.region_probability) s += std::min(p, pb.plan().probability);
    return s;
}

Levels levels(const PlanProblem& pb, const Candidate& c) {
    const Plan& p = pb.plan();
    switch (p.goal) {
    case PlanGoal::minimum_spend:
        switch (p.requirement) {
        case Requirement::overall: return {c.quantile, c.median, 0}; // uncapped: a step across the target keeps its rate
        case Requirement::median: return {c.median, c.quantile, 0};
        case Requirement::every_region: return {capped_probability_sum(pb, c), shortfall_sum(pb, c), c.median};
        }
        break;
    case PlanGoal::maximise:
        switch (p.measure) {
        case Measure::probability: return {c.probability, c.quantile, c.median};
        case Measure::median: return {c.median, c.quantile, 0};
        case Measure::regions_at_target: return {static_cast<double>(c.regions_at_target), capped_probability_sum(pb, c), shortfall_sum(pb, c)};
        case Measure::lowest_region: return {c.lowest_region, shortfall_sum(pb, c), c.median};
        }
        break;
    case PlanGoal::frontier: return {c.median, c.quantile, c.probability};
    }
    return {0, 0, 0};
}

bool better(const Levels& a, const Levels& b) { return a > b; } // lexicographic

std::vector<double> step_sizes(const PlanProblem& pb) {
    std::vector<double> d;
    for (const auto& v : pb.variables()) d.push_back(std::max(v.unit, std::round((v.hi - v.lo) / pb.plan().steps / v.unit) * v.unit));
    return d;
}

double plan_ceiling(const PlanProblem& pb) {
    if (pb.plan().budget > 0) return pb.plan().budget;
    double s = 0;
    for (const auto& e : pb.plan().envelopes) s += e.max;
    return s;
}

struct Greedy {
    const PlanProblem& pb;
    int threads;
    const ProcessGroup& group;
    PlanAnswer& answer;

    std::vector<Candidate> eval(const std::vector<std::vector<double>>& xs) {
        answer.evaluations += xs.size();
        return pb.evaluate_all(xs, threads, group);
    }

    bool stop(const Candidate& c) const { return pb.plan().goal == PlanGoal::minimum_spend && meets_requirement(pb, c); }

    // Walks from `start` taking the step with the largest gain per rupiah until the requirement
    // is met, nothing gains any more or (maximise) no step fits the budget.
    Candidate run(Candidate c, std::vector<Candidate>* path) {
        const std::size_t V = pb.variables().size();
        std::vector<double> delta = step_sizes(pb);
        std::vector<bool> frozen(V, false);
        if (path) path->push_back(c);
        while (!stop(c)) {
            std::vector<std::vector<double>> xs;
            std::vector<std::size_t> which;
            // What the budget still allows: a budget step never asks for more (agents' fees may still overshoot).
            double room = std::numeric_limits<double>::infinity();
            if (pb.plan().goal == PlanGoal::maximise) room = plan_ceiling(pb) - c.total_spend;
            for (std::size_t i = 0; i < V; ++i) {
                if (frozen[i] || c.x[i] >= pb.variables()[i].hi) continue;
                auto x = c.x;
                double d = delta[i];
                if (pb.plan().levers[pb.variables()[i].lever].amount == "budget")
                    d = std::min(d, std::floor(room / pb.variables()[i].unit) * pb.variables()[i].unit);
                if (d < pb.variables()[i].unit) continue;
                x[i] = std::min(x[i] + d, pb.variables()[i].hi);
                xs.push_back(pb.snap(x));
                which.push_back(i);
            }
            if (xs.empty()) break;
            const auto cands = eval(xs);
            const Levels now = levels(pb, c);
            int best = -1;
            std::size_t best_level = 3;
            double best_rate = -1;
            bool over_budget = false;
            for (std::size_t k = 0; k < cands.size(); ++k) {
                const auto& n = cands[k];
                const Levels l = levels(pb, n);
                const double ds = n.total_spend - c.total_spend;
                std::size_t lvl = 3;
                for (std::size_t q = 0; q < 3 && lvl == 3; ++q)
                    if (l[q] > now[q] + 1e-12) lvl = q;
                    else if (l[q] < now[q] - 1e-12) break;
                if (lvl == 3) { // buys nothing more: the pool is empty, or the lever has no effect left
                    const std::size_t i = which[k];
                    frozen[i] = true;
                    answer.saturated_at[i] = c.x[i];
                    answer.saturated_spend[i] = c.spend[i];
                    answer.saturated_why[i] = n.spend[i] - c.spend[i] < 0.01 * (n.x[i] - c.x[i]) * (pb.plan().levers[pb.variables()[i].lever].amount == "budget")
                                                  ? "pool empty"
                                                  : "no gain";
                    continue;
                }
                if (pb.plan().goal == PlanGoal::maximise && !within_budget(pb, n)) {
                    over_budget = true;
                    continue;
                }
                const double rate = (l[lvl] - now[lvl]) / std::max(ds, 1.0);
                if (lvl < best_level || (lvl == best_level && rate > best_rate)) best = static_cast<int>(k), best_level = lvl, best_rate = rate;
            }
            if (best < 0) {
                if (!over_budget) break;
                bool smaller = false; // no whole step fits: try half steps down to one unit
                for (std::size_t i = 0; i < V; ++i)
                    if (delta[i] > pb.variables()[i].unit) delta[i] = std::max(pb.variables()[i].unit, std::round(delta[i] / 2 / pb.variables()[i].unit) * pb.variables()[i].unit), smaller = true;
                if (!smaller) break;
                continue;
            }
            c = cands[static_cast<std::size_t>(best)];
            if (path) path->push_back(c);
        }
        return c;
    }

    // The least amount of variable j in (lo, hi] that still meets the requirement (hi meets it).
    Candidate bisect(Candidate feasible, std::size_t j, double lo) {
        const double unit = pb.variables()[j].unit;
        std::vector<std::pair<double, double>> seen = {{feasible.x[j], levels(pb, feasible)[0]}};
        while (feasible.x[j] - lo > unit * 1.5) {
            auto x = feasible.x;
            x[j] = std::floor((lo + feasible.x[j]) / 2 / unit) * unit;
            if (x[j] <= lo) x[j] = lo + unit;
            const Candidate m = eval({pb.snap(x)}).front();
            seen.emplace_back(m.x[j], levels(pb, m)[0]);
            if (meets_requirement(pb, m)) feasible = m;
            else lo = m.x[j];
        }
        std::sort(seen.begin(), seen.end());
        for (std::size_t k = 1; k < seen.size(); ++k)
            if (seen[k].second < seen[k - 1].second - 1e-12) answer.monotone = false;
        return feasible;
    }

    // The least x_j >= the candidate's that meets the requirement, or nothing within its bound.
    std::optional<Candidate> restore(const std::vector<double>& x0, std::size_t j) {
        const auto& v = pb.variables()[j];
        const double d = std::max(v.unit, std::round(step_sizes(pb)[j] / 4 / v.unit) * v.unit);
        std::vector<std::vector<double>> xs;
        for (int m = 1; m <= 8; ++m) {
            auto x = x0;
            x[j] = std::min(v.hi, x0[j] + m * d);
            xs.push_back(pb.snap(x));
            if (x[j] >= v.hi) break;
        }
        const auto cands = eval(xs);
        double lo = x0[j];
        for (const auto& c : cands) {
            if (meets_requirement(pb, c)) return bisect(c, j, lo);
            lo = c.x[j];
        }
        return std::nullopt;
    }

    // Moves spend from every other variable to j (which met the requirement last) while that
    // lowers the total: the greedy's coarse steps, refined jointly.
    Candidate exchange(Candidate best, std::size_t j) {
        const auto delta = step_sizes(pb);
        for (int round = 1; round <= 2; ++round) {
            for (std::size_t i = 0; i < best.x.size(); ++i) {
                if (i == j) continue;
                while (best.x[i] > pb.variables()[i].lo) {
                    auto x = best.x;
                    const double d = std::max(pb.variables()[i].unit, std::round(delta[i] / (1 << round) / pb.variables()[i].unit) * pb.variables()[i].unit);
                    x[i] = std::max(pb.variables()[i].lo, x[i] - d);
                    const Candidate m = eval({pb.snap(x)}).front();
                    std::optional<Candidate> r = meets_requirement(pb, m) ? std::optional<Candidate>(m) : restore(m.x, j);
                    if (!r || r->total_spend >= best.total_spend) break;
                    best = *r;
                }
            }
        }
        return best;
    }

    // Optima Nutrition's geospatial mode for "most regions at target", one variable per region:
    // every region's budget-outcome curve from plan.steps + 1 runs (all variables at the same
    // level; each region's own lever dominates its outcome), the cheapest regions bought first,
    // then the allocation run jointly (spill-over couples neighbours) and trimmed.
    Candidate by_curves(double budget) {
        const auto& vars = pb.variables();
        const auto delta = step_sizes(pb);
        const double p = pb.plan().probability;
        std::vector<std::vector<double>> xs;
        for (int k = 0; k <= pb.plan().steps; ++k) {
            std::vector<double> x;
            for (std::size_t i = 0; i < vars.size(); ++i) x.push_back(std::min(vars[i].hi, vars[i].lo + k * delta[i]));
            xs.push_back(pb.snap(x));
        }
        const auto curve = eval(xs);
        const auto& regions = pb.simulation().inputs().regions;
        struct Need { double cost; std::size_t var; double amount; };
        std::vector<Need> needs;
        for (std::size_t i = 0; i < vars.size(); ++i) {
            const auto r = *regions.find(vars[i].codes.front());
            for (std::size_t k = 0; k < curve.size(); ++k)
                if (curve[k].region_probability[r] >= p) {
                    needs.push_back({curve[k].spend[i], i, curve[k].x[i]});
                    break;
                }
        }
        std::stable_sort(needs.begin(), needs.end(), [](const Need& a, const Need& b) { return a.cost < b.cost; });
        auto x = pb.lower();
        double spent = 0;
        for (const auto& n : needs)
            if (spent + n.cost <= budget) spent += n.cost, x[n.var] = n.amount;
        Candidate c = eval({pb.snap(x)}).front();
        // Trim: half a step less for each funded region, kept where the count holds.
        std::vector<std::vector<double>> trims;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < vars.size(); ++i)
            if (c.x[i] > vars[i].lo) {
                auto y = c.x;
                y[i] = std::max(vars[i].lo, y[i] - std::max(vars[i].unit, std::round(delta[i] / 2 / vars[i].unit) * vars[i].unit));
                trims.push_back(pb.snap(y));
                which.push_back(i);
            }
        if (!trims.empty()) {
            const auto t = eval(trims);
            auto y = c.x;
            for (std::size_t k = 0; k < t.size(); ++k)
                if (t[k].regions_at_target >= c.regions_at_target) y[which[k]] = t[k].x[which[k]];
            const Candidate trimmed = eval({y}).front();
            if (trimmed.regions_at_target >= c.regions_at_target && within_budget(pb, trimmed)) c = trimmed;
        }
        return c;
    }
};

std::vector<double> split_budget(const PlanProblem& pb, double budget, const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> x;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto& v = pb.variables()[i];
        const auto& l = pb.plan().levers[v.lever];
        double rp = total > 0 ? budget * weights[i] / total : 0;
        double amount = l.amount == "budget" ? rp : l.fee > 0 && v.fee_months > 0 ? rp / (l.fee * v.fee_months) : v.lo;
        x.push_back(std::clamp(std::floor(amount / v.unit) * v.unit, v.lo, v.hi));
    }
    return x;
}

} // namespace

std::vector<FunderSpend> funder_spend(const PlanProblem& pb, const Candidate& c) {
    std::vector<FunderSpend> out;
    for (std::size_t i = 0; i < pb.variables().size(); ++i) {
        const auto& v = pb.variables()[i];
        const std::string& f = pb.plan().levers[v.lever].funder;
        auto it = std::find_if(out.begin(), out.end(), [&](const FunderSpend& s) { return s.funder == f && s.year == v.year; });
        if (it == out.end()) out.push_back({f, v.year, 0, -1}), it = out.end() - 1;
        it->spend += c.spend[i];
    }
    for (auto& s : out)
        for (const auto& e : pb.plan().envelopes)
            if (e.funder == s.funder && e.year == s.year) s.ceiling = e.max;
    return out;
}

bool meets_requirement(const PlanProblem& pb, const Candidate& c) {
    const Plan& p = pb.plan();
    switch (p.requirement) {
    case Requirement::overall: return c.quantile >= pb.target();
    case Requirement::median: return c.median >= pb.target();
    case Requirement::every_region:
        return std::all_of(c.region_probability.begin(), c.region_probability.end(), [&](double x) { return x >= p.probability; });
    }
    return false;
}

bool within_budget(const PlanProblem& pb, const Candidate& c) {
    if (pb.plan().budget > 0 && c.total_spend > pb.plan().budget * (1 + 1e-12)) return false;
    for (const auto& s : funder_spend(pb, c))
        if (s.ceiling >= 0 && s.spend > s.ceiling * (1 + 1e-12)) return false;
    return true;
}

PlanAnswer solve_plan(const PlanProblem& pb, int threads, const ProcessGroup& group) {
    PlanAnswer a;
    const std::size_t V = pb.variables().size();
    a.saturated_at.assign(V, std::numeric_limits<double>::quiet_NaN());
    a.saturated_why.assign(V, "");
    a.saturated_spend.assign(V, 0.0);
    Greedy g{pb, threads, group, a};
    const Plan& p = pb.plan();
    const Candidate start = g.eval({pb.lower()}).front();
    // One variable per region, counting regions at target: per-region curves first.
    bool curves = p.goal == PlanGoal::maximise && p.measure == Measure::regions_at_target && V > 1;
    std::vector<std::string> seen;
    for (const auto& v : pb.variables()) {
        curves = curves && v.codes.size() == 1 && std::find(seen.begin(), seen.end(), v.codes.front()) == seen.end();
        if (!v.codes.empty()) seen.push_back(v.codes.front());
    }
    if (curves) {
        a.path.push_back(start);
        a.chosen = g.run(g.by_curves(plan_ceiling(pb)), &a.path);
    } else {
        a.chosen = g.run(start, &a.path);
    }

    if (p.goal == PlanGoal::minimum_spend) {
        a.feasible = meets_requirement(pb, a.chosen);
        if (a.feasible && a.path.size() >= 2) {
            const auto& before = a.path[a.path.size() - 2];
            std::size_t j = 0;
            for (std::size_t i = 0; i < V; ++i)
                if (a.chosen.x[i] != before.x[i]) j = i;
            a.chosen = g.bisect(a.chosen, j, before.x[j]);
            a.chosen = g.exchange(a.chosen, j);
            a.chosen = refine_minimum(pb, a.chosen, threads, group, a.evaluations, 30);
        }
        if (!a.feasible) a.reached_on = pb.reach_date(a.chosen.x, 36);
        a.binding = a.feasible ? (p.requirement == Requirement::median ? "median coverage >= target" : "P(target) >= " + std::to_string(p.probability).substr(0, 4))
                               : "out of reach within the levers' upper bounds";
        if (a.feasible && p.requirement == Requirement::every_region && !a.chosen.region_probability.empty()) {
            const auto lowest = std::min_element(a.chosen.region_probability.begin(), a.chosen.region_probability.end());
            a.binding += " in every region; it binds in " +
                         pb.simulation().inputs().regions.ids[static_cast<std::size_t>(lowest - a.chosen.region_probability.begin())];
        }
    } else if (p.goal == PlanGoal::maximise) {
        const double budget = plan_ceiling(pb);
        const auto w = pb.variable_workers();
        const auto ones = std::vector<double>(V, 1.0);
        const auto base = g.eval({split_budget(pb, budget, w), split_budget(pb, budget, ones)});
        a.baselines = {{"proportional", base[0]}, {"equal", base[1]}};
        for (const auto& [name, c] : a.baselines) {
            if (!within_budget(pb, c)) continue;
            if (better(levels(pb, c), levels(pb, a.chosen))) a.chosen = c;
            if (curves) continue;
            const Candidate from = g.run(c, nullptr); // the greedy may still spend what the split left
            if (better(levels(pb, from), levels(pb, a.chosen))) a.chosen = from;
        }
        a.binding = within_budget(pb, a.chosen) && plan_ceiling(pb) - a.chosen.total_spend < 0.02 * plan_ceiling(pb)
                        ? "the budget"
                        : "no lever buys more within the bounds (the budget is not all needed)";
    } else {
        a.binding = "more money buys nothing: every lever is at its upper bound or saturated";
    }

    // What the next step of each variable would buy at the chosen plan.
    const auto delta = step_sizes(pb);
    std::vector<std::vector<double>> xs;
    for (std::size_t i = 0; i < V; ++i) {
        auto x = a.chosen.x;
        x[i] = std::min(x[i] + delta[i], pb.variables()[i].hi);
        xs.push_back(pb.snap(x));
    }
    const auto next = g.eval(xs);
    for (std::size_t i = 0; i < V; ++i) {
        a.next_median.push_back(next[i].median - a.chosen.median);
        a.next_probability.push_back(next[i].probability - a.chosen.probability);
        a.next_spend.push_back(next[i].total_spend - a.chosen.total_spend);
    }
    const double pr = a.chosen.probability;
    a.mc_error = p.mode == Mode::stochastic ? std::sqrt(pr * (1 - pr) / p.draws) : 0;
    std::sort(a.path.begin(), a.path.end(), [](const Candidate& x, const Candidate& y) { return x.total_spend < y.total_spend; });
    return a;
}

} // namespace cakupan
