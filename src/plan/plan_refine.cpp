// Continuous refinement of a minimum-spend plan with NLopt's COBYLA (derivative-free, with
// inequality constraints): minimise spend subject to the requirement, from the greedy answer, in
// amounts scaled to [0, 1]. The candidates are the same common-random-number evaluations as
// everywhere else, so the refinement is deterministic and every process takes the same steps.
#include "cakupan/plan/plan_solve.hpp"

#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace cakupan {

namespace {

struct Refiner {
    const PlanProblem& pb;
    int threads;
    const ProcessGroup& group;
    std::size_t evaluations = 0;
    std::map<std::vector<double>, Candidate> cache; // NLopt asks for objective and constraint at the same point

    std::vector<double> amounts(const std::vector<double>& u) const {
        std::vector<double> x;
        for (std::size_t i = 0; i < u.size(); ++i) {
            const auto& v = pb.variables()[i];
            x.push_back(v.lo + std::clamp(u[i], 0.0, 1.0) * (v.hi - v.lo));
        }
        return pb.snap(x);
    }

    const Candidate& at(const std::vector<double>& u) {
        const auto x = amounts(u);
        auto it = cache.find(x);
        if (it == cache.end()) {
            ++evaluations;
            it = cache.emplace(x, pb.evaluate_all({x}, threads, group).front()).first;
        }
        return it->second;
    }

    // <= 0 when the requirement holds; in coverage (or probability) units.
    double shortfall(const Candidate& c) const {
        switch (pb.plan().requirement) {
        case Requirement::overall: return pb.target() - c.quantile;
        case Requirement::median: return pb.target() - c.median;
        case Requirement::every_region: {
            double worst = 1;
            for (double p : c.region_probability) worst = std::min(worst, p);
            return pb.plan().probability - worst;
        }
        }
        return 0;
    }
};

double objective(unsigned n, const double* u, double*, void* data) {
    auto& r = *static_cast<Refiner*>(data);
    return r.at(std::vector<double>(u, u + n)).total_spend / 1e9;
}

double constraint(unsigned n, const double* u, double*, void* data) {
    auto& r = *static_cast<Refiner*>(data);
    return r.shortfall(r.at(std::vector<double>(u, u + n))) * 100;
}

} // namespace

// The refined plan when it meets the requirement for less, else `best`; adds its evaluations.
Candidate refine_minimum(const PlanProblem& pb, const Candidate& best, int threads, const ProcessGroup& group, std::size_t& evaluations,
                         int max_evaluations) {
    const std::size_t V = pb.variables().size();
    if (V == 0 || max_evaluations <= 0) return best;
    Refiner r{pb, threads, group, 0, {}};
    nlopt::opt opt(nlopt::LN_COBYLA, static_cast<unsigned>(V));
    std::vector<double> u, step;
    for (std::size_t i = 0; i < V; ++i) {
        const auto& v = pb.variables()[i];
        u.push_back((best.x[i] - v.lo) / (v.hi - v.lo));
        step.push_back(std::max(v.unit / (v.hi - v.lo), 0.25 / pb.plan().steps));
    }
    opt.set_lower_bounds(std::vector<double>(V, 0.0));
    opt.set_upper_bounds(std::vector<double>(V, 1.0));
    opt.set_min_objective(objective, &r);
    opt.add_inequality_constraint(constraint, &r, 1e-9);
    opt.set_initial_step(step);
    opt.set_maxeval(max_evaluations);
    opt.set_xtol_abs(1e-4);
    double value = 0;
    try {
        opt.optimize(u, value);
    } catch (const nlopt::roundoff_limited&) {
    } catch (const std::runtime_error&) { // NLopt's generic failure: keep the greedy answer
    }
    evaluations += r.evaluations;
    Candidate out = best;
    for (const auto& [x, c] : r.cache) // the cheapest point seen that meets the requirement
        if (meets_requirement(pb, c) && c.total_spend < out.total_spend) out = c;
    return out;
}

} // namespace cakupan
