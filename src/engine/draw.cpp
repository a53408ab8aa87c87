// One draw (or the expected path) of one variant: the flows of docs/model.md, "State and flows",
// one function each, applied in that order at every step (Draw::step). Everything is in one
// translation unit so that the per-region work inlines into the loops.
#include "engine/plan.hpp"

#include "engine/portable_math.hpp"
#include "engine/random.hpp"
#include "engine/stream_keys.hpp"
#include "engine/vector_exp.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace cakupan {

namespace {

using namespace streams;

// out = exp(arg) for a tile, with the kernel that gives the same bits on every machine.
template <class Out, class Arg>
void exp_of(Out out, const Arg& arg) {
    out = arg;
    vec::exp(out.data(), out.data(), static_cast<std::size_t>(out.size()));
}

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

class Draw {
public:
    Draw(const Engine::Plan& plan, const EngineData& data, const Calendar& cal, std::uint64_t draw, Mode mode, std::uint64_t seed,
         bool vary, DrawBuffers& b, Trajectory* trace)
        : plan_(plan), data_(data), cal_(cal), b_(b), trace_(trace), stochastic_(mode == Mode::stochastic),
          pr_(draw_params(plan.model, stochastic_ && vary, seed, draw)), key_(variant_key(seed, plan.name)), draw_(draw),
          R_(data.workers.rows()), S_(data.workers.cols()) {}

    void run() {
        initial_state();
        for (std::size_t k = 0; k < cal_.steps(); ++k) step(k);
    }

private:
    // The flows of one step, in the order of docs/model.md.
    void step(std::size_t k) {
        start_step(k);
        funding_ends(k);         // 1
        january_gap(k);          // 2
        funded_cohorts_start(k); // 3
        enforcement(k);          // 4
        agents(k);               // 5
        enrolment_and_lapse(k);  // 6 and 7
        fixed_costs(k);
        lever_costs(k);
        end_step(k);
    }

    // ---- random draws ----------------------------------------------------------------------

    rng::Stream stream(std::size_t r, std::size_t k, std::uint64_t flow) const { return flow_stream(key_, draw_, r, k, flow); }

    // Binomial(n, p) in stochastic mode, n x p in expected mode.
    double binom(double n, double p, std::size_t r, std::size_t k, std::uint64_t flow) const {
        if (n <= 0 || p <= 0) return 0.0;
        if (!stochastic_) return n * std::min(p, 1.0);
        auto s = stream(r, k, flow);
        return rng::binomial(n, std::min(p, 1.0), s);
    }

    // The three flows every region, step and segment has take their inversion uniforms from one
    // Philox block; a flow whose mean is large enough for rejection sampling uses its own stream.
    // p0 = (1 - h)^n, the inversion's first term, and h / (1 - h), the ratio of its successive
    // terms, are computed by the caller for whole tiles at once.
    double binom_core(double n, double h, double rate, double p0, double ratio, double u, std::size_t r, std::size_t k,
                      std::uint64_t flow) const {
        if (n <= 0 || h <= 0) return 0.0;
        if (!stochastic_) return n * h;
        if (h <= 0.5 && n * h < rng::kInversionLimit) return rng::binomial_inversion_from(n, p0, ratio, u);
        if (h > 0.5) return binom(n, h, r, k, flow);
        auto s = stream(r, k, flow);
        return rng::binomial_small_p(n, h, -rate, s);
    }

    // ---- bookkeeping -----------------------------------------------------------------------

    void move(Lever lever, Eigen::Index r, double n) {
        step_flows_(r, static_cast<int>(lever)) += n;
        moved_[static_cast<std::size_t>(lever)] = 1;
    }

    void spend(std::size_t k, std::size_t intervention, Eigen::Index r, double cost) {
        step_spend_[r] += cost;
        b_.intervention_spend[intervention] += cost;
        b_.intervention_cost(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(intervention)) += cost;
    }

    void record(std::size_t k) {
        const Eigen::ArrayXd covered = (b_.active + b_.funded_rs).rowwise().sum();
        b_.coverage.col(static_cast<Eigen::Index>(k)) = (workers_r_ > 0).select(covered / workers_r_, 0.0);
        b_.overall[static_cast<Eigen::Index>(k)] = workers_all_ > 0 ? covered.sum() / workers_all_ : 0.0;
    }

    void push_trace(bool initial) {
        if (trace_ == nullptr) return;
        trace_->never.push_back(b_.never);
        trace_->active.push_back(b_.active);
        trace_->funded.push_back(b_.funded_rs);
        trace_->lapsed.push_back(b_.lapsed);
        if (!initial) {
            trace_->flows.push_back(step_flows_);
            trace_->spend.push_back(step_spend_);
            // A row of a matrix without columns would offset a null pointer (UB): no interventions, no costs.
            const auto k = static_cast<Eigen::Index>(trace_->spend.size() - 1);
            trace_->intervention_cost.push_back(b_.intervention_cost.cols() == 0 ? Eigen::ArrayXd()
                                                                                 : Eigen::ArrayXd(b_.intervention_cost.row(k).transpose()));
        }
    }

    // Initial state: stochastic draws work on whole persons.
    void initial_state() {
        auto& b = b_;
        const std::size_t steps = cal_.steps();
        b.workers = stochastic_ ? data_.workers.round() : data_.workers;
        b.active = (stochastic_ ? data_.active.round() : data_.active).min(b.workers);
        b.lapsed = pr_.initial_lapsed * (b.workers - b.active);
        if (stochastic_) b.lapsed = b.lapsed.round();
        b.never = b.workers - b.active - b.lapsed;
        b.funded.assign(plan_.funded.size(), Eigen::ArrayXd::Zero(R_));
        b.funded_rs = Eigen::ArrayXXd::Zero(R_, S_);
        b.coverage.resize(R_, static_cast<Eigen::Index>(steps + 1));
        b.overall.resize(static_cast<Eigen::Index>(steps + 1));
        b.levers = Eigen::ArrayXXd::Zero(R_, kLeverCount);
        b.lever_steps = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), kLeverCount);
        b.spend = Eigen::ArrayXd::Zero(R_);
        b.intervention_spend.assign(plan_.names.size(), 0.0);
        const std::size_t n_iv = plan_.names.size();
        b.intervention_cost = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), static_cast<Eigen::Index>(n_iv));
        b.agent_contrib.assign(plan_.agents.size(), 0.0);
        b.agent_recruits.assign(plan_.agents.size(), 0.0);
        b.unspent.assign(n_iv, 0.0);
        b.budget.assign(n_iv, 0.0);
        b.exhausted_step.assign(n_iv, -1);
        workers_r_ = b.workers.rowwise().sum();
        workers_all_ = workers_r_.sum();
        step_flows_ = Eigen::ArrayXXd::Zero(R_, kLeverCount);
        step_spend_.resize(R_);
        record(0);
        push_trace(true);
        for (auto* a : {&b.imitation, &b.rate_never, &b.rate_lapsed, &b.h_never, &b.h_lapsed, &b.p0_never, &b.p0_lapsed,
                        &b.p0_lapse, &b.ratio_never, &b.ratio_lapsed})
            a->resize(kTile);
        b.uniforms.resize(kTile, 3);
    }

    // Coverage at the start of the step drives imitation and spill-over (synchronous update, so
    // the order of regions does not matter).
    void start_step(std::size_t /*k*/) {
        step_spend_.setZero();
        b_.coverage_seg = (b_.workers > 0).select((b_.active + b_.funded_rs) / b_.workers, 0.0);
        if (pr_.rho > 0) spill_over(data_, b_.coverage_seg, b_.neighbour_seg);
    }

    void end_step(std::size_t k) {
        for (int l = 0; l < kLeverCount; ++l)
            if (moved_[static_cast<std::size_t>(l)]) {
                b_.levers.col(l) += step_flows_.col(l);
                b_.lever_steps(static_cast<Eigen::Index>(k), l) = step_flows_.col(l).sum();
            }
        b_.spend += step_spend_;
        record(k + 1);
        push_trace(false);
        for (int l = 0; l < kLeverCount; ++l)
            if (moved_[static_cast<std::size_t>(l)]) step_flows_.col(l).setZero();
        moved_.fill(0);
    }

    // ---- the flows -------------------------------------------------------------------------

    // 1. Funding ends: a retained share keeps paying itself, the rest lapse.
    void funding_ends(std::size_t k) {
        auto& b = b_;
        for (std::size_t i = 0; i < plan_.funded.size(); ++i) {
            const auto& f = plan_.funded[i];
            if (f.end_step != k) continue;
            for (auto r : f.scope.regions) {
                const double n = b.funded[i][r];
                if (n <= 0) continue;
                const double kept = binom(n, or_model(f.retention, pr_.retention), r, k, flow_id(kFundingEnd, i, f.segment));
                b.funded[i][r] = 0;
                b.funded_rs(r, f.segment) -= n;
                b.active(r, f.segment) += kept;
                b.lapsed(r, f.segment) += n - kept;
                move(Lever::funding_end, r, n - kept);
            }
        }
    }

    // 2. January gap: budget-paid members wait for the new year's budget.
    void january_gap(std::size_t k) {
        if (!plan_.january[k] || !(pr_.january_gap > 0)) return;
        auto& b = b_;
        for (Eigen::Index s = 0; s < S_; ++s)
            for (Eigen::Index r = 0; r < R_; ++r) {
                if (!plan_.budget_paid[static_cast<std::size_t>(s)]) continue;
                const double g = binom(b.active(r, s), pr_.january_gap, r, k, flow_id(kJanuaryGap, 0, s));
                b.active(r, s) -= g;
                b.lapsed(r, s) += g;
                move(Lever::january_gap, r, g);
            }
    }

    // 3. Funded cohorts start: a budget buys min(floor(B / (premium x months)), eligible).
    void funded_cohorts_start(std::size_t k) {
        auto& b = b_;
        for (std::size_t i = 0; i < plan_.funded.size(); ++i) {
            const auto& f = plan_.funded[i];
            if (f.start_step != k) continue;
            const int s = f.segment;
            std::vector<double> take(f.scope.regions.size(), 0.0);
            double wanted = 0, taken = 0; // members the budget pays for, and those the pool has
            if (f.lever == Lever::village_programme) {
                for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                    const auto r = f.scope.regions[j];
                    const double want = std::floor(f.per_village * data_.villages[r]);
                    take[j] = std::min(want, b.never(r, s) + b.lapsed(r, s));
                    wanted += want;
                    taken += take[j];
                }
                b.budget[f.index] = wanted * f.premium * f.months;
            } else {
                double eligible = 0;
                for (auto r : f.scope.regions) eligible += b.never(r, s) + b.lapsed(r, s);
                const double members = std::min(f.members_bought, eligible);
                wanted = f.members_bought;
                taken = members;
                b.budget[f.index] = f.budget;
                if (eligible > 0) {
                    for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                        const auto r = f.scope.regions[j];
                        take[j] = members * (b.never(r, s) + b.lapsed(r, s)) / eligible;
                    }
                    if (stochastic_) largest_remainders(take, members);
                }
            }
            if (taken < wanted) {
                b.unspent[f.index] = (wanted - taken) * f.premium * f.months;
                b.exhausted_step[f.index] = static_cast<int>(k);
            }
            for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                const auto r = f.scope.regions[j];
                const double m = take[j];
                if (m <= 0) continue;
                const double pool = b.never(r, s) + b.lapsed(r, s);
                double from_lapsed = pool > 0 ? m * b.lapsed(r, s) / pool : 0;
                if (stochastic_) from_lapsed = std::round(from_lapsed);
                from_lapsed = std::min(from_lapsed, b.lapsed(r, s));
                const double from_never = m - from_lapsed;
                b.never(r, s) -= from_never;
                b.lapsed(r, s) -= from_lapsed;
                b.funded[i][r] += m;
                b.funded_rs(r, s) += m;
                move(f.lever, r, m);
                spend(k, f.index, r, m * f.premium * f.months);
            }
        }
    }

    // 4. Enforcement: employers register uncovered workers while a campaign runs.
    void enforcement(std::size_t k) {
        auto& b = b_;
        const double dt = cal_.months[k];
        for (std::size_t i = 0; i < plan_.enforcement.size(); ++i) {
            const auto& e = plan_.enforcement[i];
            if (e.active[k] <= 0) continue;
            const double h = 1 - portable::exp(-or_model(e.value, pr_.enforcement) * e.active[k] * dt);
            for (auto r : e.scope.regions)
                for (int s : e.scope.segments) {
                    const double du = binom(b.never(r, s), h, r, k, flow_id(kEnforceNever, i, s));
                    const double dl = binom(b.lapsed(r, s), h, r, k, flow_id(kEnforceLapsed, i, s));
                    b.never(r, s) -= du;
                    b.lapsed(r, s) -= dl;
                    b.active(r, s) += du + dl;
                    move(Lever::enforcement, r, du + dl);
                }
        }
    }

    // 5. Agents recruit from the uncovered below saturation, where there are most to recruit.
    void agents(std::size_t k) {
        auto& b = b_;
        const double dt = cal_.months[k];
        for (std::size_t i = 0; i < plan_.agents.size(); ++i) {
            const auto& a = plan_.agents[i];
            const double per_month =
                a.agents * or_model(a.active_share, pr_.active_share) * or_model(a.productivity, pr_.productivity);
            b.agent_recruits[i] = 0;
            if (a.active[k] <= 0 || per_month <= 0) continue;
            const double recruits = per_month * a.active[k] * dt;
            double eligible = 0;
            auto headroom = [&](std::uint32_t r, int s) {
                return std::max(0.0, pr_.saturation[static_cast<std::size_t>(s)] * b.workers(r, s) - b.active(r, s) -
                                         b.funded_rs(r, s));
            };
            for (auto r : a.scope.regions)
                for (int s : a.scope.segments) eligible += std::min(b.never(r, s) + b.lapsed(r, s), headroom(r, s));
            if (eligible <= 0) continue;
            for (auto r : a.scope.regions)
                for (int s : a.scope.segments) {
                    const double pool = b.never(r, s) + b.lapsed(r, s);
                    const double e = std::min(pool, headroom(r, s));
                    if (e <= 0) continue;
                    const double share = std::min(e, recruits * e / eligible) / pool;
                    const double du = binom(b.never(r, s), share, r, k, flow_id(kAgentsNever, i, s));
                    const double dl = binom(b.lapsed(r, s), share, r, k, flow_id(kAgentsLapsed, i, s));
                    b.never(r, s) -= du;
                    b.lapsed(r, s) -= dl;
                    b.active(r, s) += du + dl;
                    move(Lever::agents, r, du + dl);
                    spend(k, a.index, r, (du + dl) * a.cost_per_member);
                    b.agent_recruits[i] += du + dl;
                    b.agent_contrib[i] += (du + dl) * a.premium[static_cast<std::size_t>(s)];
                }
        }
    }

    // 6 and 7, segment by segment over tiles of regions small enough for the scratch to stay in
    // cache: on each tile first enrolment and reactivation, then lapse. Nothing here depends on
    // other regions or segments within the step, so this is the same as flow 6 everywhere, then
    // flow 7 everywhere.
    void enrolment_and_lapse(std::size_t k) {
        const double dt = cal_.months[k];
        for (Eigen::Index s = 0; s < S_; ++s) {
            const auto si = static_cast<std::size_t>(s);
            // Uplift arrays only when a campaign acts on the segment this step; without one the
            // rates use p and reactivation alone, which is the same to the bit as x 1 x 1.
            bool uplifted = false;
            for (const auto* list : {&plan_.outreach, &plan_.regulation})
                for (const auto& c : *list) uplifted |= c.active[k] > 0 && c.scope.in_segment[si];
            if (uplifted) {
                campaign_uplift(plan_.outreach, pr_.outreach_uplift, k, si, R_, b_.uplift_outreach);
                campaign_uplift(plan_.regulation, pr_.regulation_uplift, k, si, R_, b_.uplift_regulation);
            }
            const double lapse_rate = pr_.lapse[si] * dt;
            for (Eigen::Index r0 = 0; r0 < R_; r0 += kTile) {
                const Eigen::Index n = std::min(kTile, R_ - r0);
                voluntary_enrolment(k, s, r0, n, uplifted, dt);
                lapse(k, s, r0, n, lapse_rate);
            }
        }
    }

    // 6. Voluntary enrolment (Bass) and reactivation on the tile [r0, r0 + n) of segment s,
    // bounded by the saturation share: the exponentials (hazards and the zero-term probabilities
    // of the inversion sampler) for the whole tile with the vector kernel, then the scalar draws.
    void voluntary_enrolment(std::size_t k, Eigen::Index s, Eigen::Index r0, Eigen::Index n, bool uplifted, double dt) {
        auto& b = b_;
        const auto& pr = pr_;
        const bool stochastic = stochastic_;
        const double saturation = pr.saturation[static_cast<std::size_t>(s)];
        const auto own = b.coverage_seg.col(s).segment(r0, n);
        auto imitation = b.imitation.head(n);
        if (pr.rho > 0)
            imitation = pr.q * ((1 - pr.rho) * own + pr.rho * b.neighbour_seg.col(s).segment(r0, n));
        else
            imitation = pr.q * own;
        auto rate_never = b.rate_never.head(n);
        auto rate_lapsed = b.rate_lapsed.head(n);
        if (uplifted) {
            const auto& uo = b.uplift_outreach;
            const auto& ug = b.uplift_regulation;
            rate_never = dt * (pr.p * uo.segment(r0, n) * ug.segment(r0, n) + imitation);
            rate_lapsed = dt * (pr.reactivation * ug.segment(r0, n) + imitation);
        } else {
            rate_never = dt * (pr.p + imitation);
            rate_lapsed = dt * (pr.reactivation + imitation);
        }
        exp_of(b.h_never.head(n), -rate_never);
        exp_of(b.h_lapsed.head(n), -rate_lapsed);
        b.h_never.head(n) = 1 - b.h_never.head(n);
        b.h_lapsed.head(n) = 1 - b.h_lapsed.head(n);
        if (stochastic) {
            exp_of(b.p0_never.head(n), -rate_never * b.never.col(s).segment(r0, n));
            exp_of(b.p0_lapsed.head(n), -rate_lapsed * b.lapsed.col(s).segment(r0, n));
            b.ratio_never.head(n) = b.h_never.head(n) / (1 - b.h_never.head(n));
            b.ratio_lapsed.head(n) = b.h_lapsed.head(n) / (1 - b.h_lapsed.head(n));
            for (Eigen::Index j = 0; j < n; ++j) {
                const auto u = stream(static_cast<std::size_t>(r0 + j), k, flow_id(kCore, 0, static_cast<std::size_t>(s))).four();
                b.uniforms(j, 0) = u[0], b.uniforms(j, 1) = u[1], b.uniforms(j, 2) = u[2];
            }
        }
        for (Eigen::Index j = 0; j < n; ++j) {
            const Eigen::Index r = r0 + j;
            const double n_never = b.never(r, s), n_lapsed = b.lapsed(r, s);
            if (n_never + n_lapsed <= 0) continue;
            double h_never = b.h_never[j], h_lapsed = b.h_lapsed[j];
            double r_never = rate_never[j], r_lapsed = rate_lapsed[j];
            double p0_never = stochastic ? b.p0_never[j] : 0, p0_lapsed = stochastic ? b.p0_lapsed[j] : 0;
            double ratio_never = stochastic ? b.ratio_never[j] : 0, ratio_lapsed = stochastic ? b.ratio_lapsed[j] : 0;
            const double room = std::max(0.0, saturation * b.workers(r, s) - b.active(r, s) - b.funded_rs(r, s));
            const double expected = h_never * n_never + h_lapsed * n_lapsed;
            if (expected > room) {
                const double scale = expected > 0 ? room / expected : 0;
                h_never *= scale;
                h_lapsed *= scale;
                r_never = -portable::log1p(-h_never);
                r_lapsed = -portable::log1p(-h_lapsed);
                const double x[2] = {-r_never * n_never, -r_lapsed * n_lapsed};
                double p0[2];
                vec::exp(x, p0, 2);
                p0_never = p0[0], p0_lapsed = p0[1];
                ratio_never = h_never / (1 - h_never);
                ratio_lapsed = h_lapsed / (1 - h_lapsed);
            }
            const auto rr = static_cast<std::size_t>(r);
            const auto ss = static_cast<std::size_t>(s);
            const double du = binom_core(n_never, h_never, r_never, p0_never, ratio_never, stochastic ? b.uniforms(j, 0) : 0, rr,
                                         k, flow_id(kVoluntary, 0, ss));
            const double dl = binom_core(n_lapsed, h_lapsed, r_lapsed, p0_lapsed, ratio_lapsed, stochastic ? b.uniforms(j, 1) : 0,
                                         rr, k, flow_id(kReactivation, 0, ss));
            b.never(r, s) -= du;
            b.lapsed(r, s) -= dl;
            b.active(r, s) += du + dl;
            move(Lever::voluntary, r, du);
            move(Lever::reactivation, r, dl);
        }
    }

    // 7. Lapse on the tile [r0, r0 + n) of segment s: members who pay (or are paid for) outside a
    // funded cohort; its uniforms come from the block voluntary_enrolment drew.
    void lapse(std::size_t k, Eigen::Index s, Eigen::Index r0, Eigen::Index n, double lapse_rate) {
        auto& b = b_;
        const double h_lapse = -portable::expm1(-lapse_rate);
        const double ratio_lapse = h_lapse / (1 - h_lapse);
        if (stochastic_) exp_of(b.p0_lapse.head(n), -lapse_rate * b.active.col(s).segment(r0, n));
        for (Eigen::Index j = 0; j < n; ++j) {
            const Eigen::Index r = r0 + j;
            const double d = binom_core(b.active(r, s), h_lapse, lapse_rate, stochastic_ ? b.p0_lapse[j] : 0, ratio_lapse,
                                        stochastic_ ? b.uniforms(j, 2) : 0, static_cast<std::size_t>(r), k,
                                        flow_id(kLapse, 0, static_cast<std::size_t>(s)));
            b.active(r, s) -= d;
            b.lapsed(r, s) += d;
            move(Lever::lapse, r, d);
        }
    }

    // Fixed costs are committed when an intervention first acts.
    void fixed_costs(std::size_t k) {
        for (std::size_t i = 0; i < plan_.names.size(); ++i) {
            if (plan_.fixed_cost[i] <= 0) continue;
            bool starts = false;
            for (const auto& f : plan_.funded) starts |= f.index == i && f.start_step == k;
            for (const auto* list : {&plan_.outreach, &plan_.regulation, &plan_.enforcement})
                for (const auto& x : *list) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
            for (const auto& x : plan_.agents) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
            if (!starts) continue;
            for (Eigen::Index r = 0; r < R_; ++r)
                step_spend_[r] += plan_.fixed_cost[i] * plan_.cost_share[i][static_cast<std::size_t>(r)];
            b_.intervention_spend[i] += plan_.fixed_cost[i];
            b_.intervention_cost(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) += plan_.fixed_cost[i];
        }
    }

    // The costs of the levers themselves, for the share of the step each runs: agents' commission
    // on the contributions of everyone they recruited so far, their monthly fee, and the bonus
    // for each active agent when the step's recruits per active agent reach the threshold (a
    // month's rate); campaigns' cost per region and month. Counted by intervention and funder
    // only: the spend by region keeps the premiums and the costs the scenario states.
    void lever_costs(std::size_t k) {
        const double dt = cal_.months[k];
        auto add = [&](std::size_t i, double cost) {
            b_.intervention_cost(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) += cost;
        };
        for (std::size_t i = 0; i < plan_.agents.size(); ++i) {
            const auto& a = plan_.agents[i];
            const double on = a.active[k] * dt; // months of the step the agents work
            if (on <= 0) continue;
            const double active_agents = a.agents * or_model(a.active_share, pr_.active_share);
            double cost = a.commission * b_.agent_contrib[i] * on + a.fee * a.agents * on;
            if (a.bonus > 0 && active_agents > 0 && b_.agent_recruits[i] / (active_agents * on) >= a.bonus_threshold)
                cost += a.bonus * active_agents * on;
            add(a.index, cost);
        }
        for (const auto* list : {&plan_.outreach, &plan_.regulation, &plan_.enforcement})
            for (const auto& c : *list)
                if (c.active[k] > 0 && c.cost_per_region_month > 0)
                    add(c.index, c.cost_per_region_month * static_cast<double>(c.scope.regions.size()) * c.active[k] * dt);
    }

    const Engine::Plan& plan_;
    const EngineData& data_;
    const Calendar& cal_;
    DrawBuffers& b_;
    Trajectory* trace_;
    const bool stochastic_;
    const Params pr_;
    const std::uint64_t key_;
    const std::uint64_t draw_;
    const Eigen::Index R_, S_;
    Eigen::ArrayXd workers_r_;
    double workers_all_ = 0;
    Eigen::ArrayXXd step_flows_; // regions x levers, members moved during the step
    Eigen::ArrayXd step_spend_;  // regions, Rp committed during the step
    // Levers that moved anyone this step: only their columns are added up and cleared, which on
    // large layers saves passes over regions x levers of zeros.
    std::array<char, kLeverCount> moved_{};
};

} // namespace

void simulate(const Engine::Plan& plan, const EngineData& data, const Calendar& cal, std::uint64_t draw, Mode mode,
              std::uint64_t seed, bool vary, DrawBuffers& b, Trajectory* trace) {
    Draw(plan, data, cal, draw, mode, seed, vary, b, trace).run();
}

} // namespace cakupan
