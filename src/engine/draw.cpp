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
        renewal(k);              // 3
        funded_cohorts_start(k); // 4
        enforcement(k);          // 5
        agents(k);               // 6
        enrolment_and_lapse(k);  // 7 and 8
        commit_fixed_costs(plan_, k, b_, step_spend_);
        commit_lever_costs(plan_, pr_, cal_.months[k], k, b_);
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
        const Eigen::ArrayXd covered = (b_.active + b_.funded_rs + b_.self_paying).rowwise().sum();
        b_.coverage.col(static_cast<Eigen::Index>(k)) = (workers_r_ > 0).select(covered / workers_r_, 0.0);
        b_.overall[static_cast<Eigen::Index>(k)] = workers_all_ > 0 ? covered.sum() / workers_all_ : 0.0;
    }

    void push_trace(bool initial) {
        if (trace_ == nullptr) return;
        trace_->never.push_back(b_.never);
        trace_->active.push_back(b_.active + b_.self_paying);
        trace_->funded.push_back(b_.funded_rs);
        trace_->lapsed.push_back(b_.lapsed + b_.awaiting);
        if (!initial) {
            trace_->flows.push_back(step_flows_);
            trace_->spend.push_back(step_spend_);
            // A row of a matrix without columns would offset a null pointer (UB): no interventions, no costs.
            const auto k = static_cast<Eigen::Index>(trace_->spend.size() - 1);
            trace_->intervention_cost.push_back(
                b_.intervention_cost.cols() == 0 ? Eigen::ArrayXd() : Eigen::ArrayXd(b_.intervention_cost.row(k).transpose()));
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
        b.self_paying = Eigen::ArrayXXd::Zero(R_, S_);
        b.awaiting = Eigen::ArrayXXd::Zero(R_, S_);
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
        for (auto* a :
             {&b.replacements, &b.rate, &b.h, &b.p0_never, &b.p0_lapsed, &b.p0_lapse, &b.ratio, &b.replaced_share, &b.leavers})
            a->resize(kTile);
        renewal_due_ = renewal_steps();
        base_rates();
        b.uniforms.resize(kTile, 3);
    }

    // The adopters' share of the potential at the start of the step drives imitation and
    // spill-over (synchronous update, so the order of regions does not matter): members who pay
    // themselves, plus crowd_in x the members a budget pays, over saturation x workers.
    void start_step(std::size_t k) {
        step_spend_.setZero();
        bool changed = false;
        for (const auto& c : plan_.changes)
            if (c.step == k) {
                *parameter_slot(pr_, plan_.model, c.key) = c.value;
                changed = true;
            }
        if (changed) base_rates();
        auto& c = b_.coverage_seg;
        c.resize(R_, S_);
        // Expressions, not temporaries: this runs for every segment of every step of every draw.
        for (Eigen::Index s = 0; s < S_; ++s) {
            const auto si = static_cast<std::size_t>(s);
            const auto potential = pr_.saturation[si] * b_.workers.col(s);
            const auto funded = b_.funded_rs.col(s), active = b_.active.col(s), self = b_.self_paying.col(s);
            if (plan_.budget_paid[si])
                c.col(s) = (potential > 0).select(((self + pr_.crowd_in * (funded + active)) / potential).min(1.0), 0.0);
            else
                c.col(s) = (potential > 0).select(((active + pr_.crowd_in * funded) / potential).min(1.0), 0.0);
        }
        if (pr_.rho > 0) spill_over(data_, c, b_.neighbour_seg);
    }

    // Room below saturation: saturation x workers less everyone covered.
    double headroom(Eigen::Index r, Eigen::Index s) const {
        return std::max(0.0, pr_.saturation[static_cast<std::size_t>(s)] * b_.workers(r, s) - b_.active(r, s) -
                                 b_.funded_rs(r, s) - b_.self_paying(r, s));
    }

    // Self-paying segments: the monthly hazard on the uncovered whose registrations equal
    // replacement x the members who leave in the first month, after they left (from the
    // statistics, the same in both modes): with replacement 1 the segment stays where it started.
    void base_rates() {
        base_rate_ = Eigen::ArrayXXd::Zero(R_, S_);
        base_share_ = Eigen::ArrayXXd::Zero(R_, S_);
        for (Eigen::Index s = 0; s < S_; ++s) {
            const auto si = static_cast<std::size_t>(s);
            if (!plan_.pays_self[si]) continue;
            const double h = -portable::expm1(-pr_.lapse[si]);
            for (Eigen::Index r = 0; r < R_; ++r) {
                const double a = data_.active(r, s), pool = data_.workers(r, s) - a + h * a;
                if (!(pool > 0)) continue;
                const double x = std::min(1.0, pr_.replacement[si] * plan_.replacement_factor[si][r] * h * a / pool);
                base_share_(r, s) = x;
                base_rate_(r, s) = rate_of_share(x);
            }
        }
    }

    // Per step: 1 in the step where a new year's budget pays again, renewal_delay months after the
    // 1 January of a January step (none when that falls after the period).
    std::vector<char> renewal_steps() const {
        std::vector<char> out(cal_.steps(), 0);
        for (std::size_t k = 0; k < cal_.steps(); ++k) {
            if (!plan_.january[k]) continue;
            using namespace std::chrono;
            const auto year = Date(sys_days(cal_.boundaries[k + 1]) - days(1)).year();
            const Date jan1(year, January, day(1));
            const auto delay = days(std::lround(pr_.renewal_delay * 30.436875)); // mean days per month
            const std::size_t at = std::max(k, step_of(cal_, Date(sys_days(jan1) + delay)));
            if (at < out.size()) out[at] = 1;
        }
        return out;
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

    // 1. Cover ends: a retained share of a funded cohort keeps paying itself (in a budget-paid
    // segment, as self-paying members), the rest lapse; a fixed-term cohort lapses whole.
    void funding_ends(std::size_t k) {
        auto& b = b_;
        for (std::size_t i = 0; i < plan_.funded.size(); ++i) {
            const auto& f = plan_.funded[i];
            if (f.end_step != k) continue;
            const bool budget = plan_.budget_paid[static_cast<std::size_t>(f.segment)] != 0;
            for (auto r : f.scope.regions) {
                const double n = b.funded[i][r];
                if (n <= 0) continue;
                const double kept = binom(n, or_model(f.retention, pr_.retention), r, k, flow_id(kFundingEnd, i, f.segment));
                b.funded[i][r] = 0;
                b.funded_rs(r, f.segment) -= n;
                (budget ? b.self_paying : b.active)(r, f.segment) += kept;
                b.lapsed(r, f.segment) += n - kept;
                move(Lever::funding_end, r, n - kept);
            }
        }
    }

    // 2. January gap: members whom a regular budget pays wait for the new year's budget.
    void january_gap(std::size_t k) {
        if (!plan_.january[k] || !(pr_.january_gap > 0)) return;
        auto& b = b_;
        for (Eigen::Index s = 0; s < S_; ++s)
            for (Eigen::Index r = 0; r < R_; ++r) {
                if (!plan_.budget_paid[static_cast<std::size_t>(s)]) continue;
                const double g = binom(b.active(r, s), pr_.january_gap, r, k, flow_id(kJanuaryGap, 0, s));
                b.active(r, s) -= g;
                b.awaiting(r, s) += g;
                move(Lever::january_gap, r, g);
            }
    }

    // 3. Renewal: renewal_delay months after 1 January the budget pays everyone who waited.
    void renewal(std::size_t k) {
        if (!renewal_due_[k]) return;
        for (Eigen::Index s = 0; s < S_; ++s)
            for (Eigen::Index r = 0; r < R_; ++r) {
                const double w = b_.awaiting(r, s);
                if (w <= 0) continue;
                b_.active(r, s) += w;
                b_.awaiting(r, s) = 0;
                move(Lever::renewal, r, w);
            }
    }

    // 4. Funded and fixed-term cohorts start: a budget buys min(floor(B / (premium x months)),
    // eligible), where a region's eligible workers are its uncovered, up to its room below
    // saturation.
    void funded_cohorts_start(std::size_t k) {
        auto& b = b_;
        for (std::size_t i = 0; i < plan_.funded.size(); ++i) {
            const auto& f = plan_.funded[i];
            if (f.start_step != k) continue;
            const int s = f.segment;
            auto eligible_in = [&](std::uint32_t r) {
                return std::min(b.never(r, s) + b.lapsed(r, s), std::floor(headroom(r, s)));
            };
            std::vector<double> take(f.scope.regions.size(), 0.0);
            double wanted = 0, taken = 0; // members the budget pays for, and those the pool has
            if (f.lever == Lever::village_programme) {
                for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                    const auto r = f.scope.regions[j];
                    const double want = std::floor(f.per_village * data_.villages[r]);
                    take[j] = std::min(want, eligible_in(r));
                    wanted += want;
                    taken += take[j];
                }
                b.budget[f.index] = wanted * f.premium * f.months;
            } else {
                double eligible = 0;
                for (auto r : f.scope.regions) eligible += eligible_in(r);
                const double members = std::min(f.members_bought, eligible);
                wanted = f.members_bought;
                taken = members;
                b.budget[f.index] = f.lever == Lever::fixed_term ? wanted * f.premium * f.months : f.budget;
                if (eligible > 0) {
                    for (std::size_t j = 0; j < f.scope.regions.size(); ++j)
                        take[j] = members * eligible_in(f.scope.regions[j]) / eligible;
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
                if (f.premium > 0) spend(k, f.index, r, m * f.premium * f.months);
            }
        }
    }

    // 5. Enforcement: employers register uncovered workers while a campaign runs, up to the room
    // below saturation.
    void enforcement(std::size_t k) {
        auto& b = b_;
        const double dt = cal_.months[k];
        for (std::size_t i = 0; i < plan_.enforcement.size(); ++i) {
            const auto& e = plan_.enforcement[i];
            if (e.active[k] <= 0) continue;
            const double h0 = 1 - portable::exp(-or_model(e.value, pr_.enforcement) * e.active[k] * dt);
            for (auto r : e.scope.regions)
                for (int s : e.scope.segments) {
                    const double pool = b.never(r, s) + b.lapsed(r, s);
                    const double room = headroom(r, s);
                    const double h = pool * h0 > room ? (pool > 0 ? room / pool : 0) : h0;
                    double du = binom(b.never(r, s), h, r, k, flow_id(kEnforceNever, i, s));
                    double dl = binom(b.lapsed(r, s), h, r, k, flow_id(kEnforceLapsed, i, s));
                    if (stochastic_) within_room(du, dl, room);
                    b.never(r, s) -= du;
                    b.lapsed(r, s) -= dl;
                    b.active(r, s) += du + dl;
                    move(Lever::enforcement, r, du + dl);
                }
        }
    }

    // 6. Agents recruit from the uncovered below saturation, where there are most to recruit;
    // recruits pay themselves (in a budget-paid segment, as self-paying members).
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
                    (plan_.budget_paid[static_cast<std::size_t>(s)] ? b.self_paying : b.active)(r, s) += du + dl;
                    move(Lever::agents, r, du + dl);
                    spend(k, a.index, r, (du + dl) * a.cost_per_member);
                    b.agent_recruits[i] += du + dl;
                    b.agent_contrib[i] += (du + dl) * a.premium[static_cast<std::size_t>(s)];
                }
        }
    }

    // 7 and 8, segment by segment over tiles of regions small enough for the scratch to stay in
    // cache: on each tile first lapse, then replacement and voluntary enrolment. Nothing here
    // depends on other regions or segments within the step, so this is the same as flow 7
    // everywhere, then flow 8 everywhere.
    void enrolment_and_lapse(std::size_t k) {
        const double dt = cal_.months[k];
        for (Eigen::Index s = 0; s < S_; ++s) {
            const auto si = static_cast<std::size_t>(s);
            // Uplift arrays only when a campaign acts on the segment this step; without one the
            // rates use p alone, which is the same to the bit as x 1 x 1.
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
                // Leavers of the step, counted before anyone leaves: the places replacement refills.
                const double h_lapse = -portable::expm1(-lapse_rate);
                b_.replacements.head(n) =
                    pr_.replacement[si] * h_lapse * plan_.replacement_factor[si].segment(r0, n) * b_.active.col(s).segment(r0, n);
                lapse(k, s, r0, n, lapse_rate);
                enrolment(k, s, r0, n, uplifted, dt);
            }
        }
    }

    // 8. Replacement and voluntary enrolment on the tile [r0, r0 + n) of segment s. Replacement,
    // from the uncovered: in employer-paid segments and on budgets' lists, the expected leavers of
    // the step x replacement (a place left is refilled: hiring into covered jobs, new officials);
    // in self-paying segments, new members at the constant hazard that made up for the leavers at
    // the start (so members a lever added lapse away, and coverage returns to its level).
    // Voluntary enrolment (Bass, on the remaining potential) for segments not paid by an
    // employer: (p u + q x) (M - C) with M = saturation x workers and C the covered. Both draw from
    // the never-covered and the lapsed at one hazard; together they never fill more than the room
    // below saturation, or the leavers' places where those are more. In a budget-paid segment the
    // replacements join the budget's list, the voluntary enrolees pay themselves.
    void enrolment(std::size_t k, Eigen::Index s, Eigen::Index r0, Eigen::Index n, bool uplifted, double dt) {
        auto& b = b_;
        const auto& pr = pr_;
        const bool stochastic = stochastic_;
        const auto si = static_cast<std::size_t>(s);
        const bool bass = !plan_.employer_paid[si];
        const bool budget = plan_.budget_paid[si] != 0;
        auto rate = b.rate.head(n);
        auto share = b.replaced_share.head(n);
        auto replacements = b.replacements.head(n);
        const bool self = plan_.pays_self[si] != 0;
        for (Eigen::Index j = 0; j < n; ++j) {
            const Eigen::Index r = r0 + j;
            const double pool = b.never(r, s) + b.lapsed(r, s);
            double r_rep = 0, r_bass = 0;
            if (pool > 0) {
                if (self) {
                    // New self-paying members at the hazard that balanced the leavers at the start.
                    r_rep = base_rate_(r, s) * dt;
                    replacements[j] = base_share_(r, s) * dt * pool;
                } else {
                    r_rep = rate_of_share(replacements[j] / pool);
                }
                if (bass) {
                    double x = b.coverage_seg(r, s);
                    if (pr.rho > 0) x = (1 - pr.rho) * x + pr.rho * b.neighbour_seg(r, s);
                    double p = pr.p;
                    if (uplifted) p *= b.uplift_outreach[r] * b.uplift_regulation[r];
                    r_bass = dt * (p + pr.q * x) * headroom(r, s) / pool;
                }
            }
            rate[j] = r_rep + r_bass;
            share[j] = rate[j] > 0 ? r_rep / rate[j] : 0;
        }
        exp_of(b.h.head(n), -rate);
        b.h.head(n) = 1 - b.h.head(n);
        if (stochastic) {
            exp_of(b.p0_never.head(n), -rate * b.never.col(s).segment(r0, n));
            exp_of(b.p0_lapsed.head(n), -rate * b.lapsed.col(s).segment(r0, n));
            b.ratio.head(n) = b.h.head(n) / (1 - b.h.head(n));
        }
        for (Eigen::Index j = 0; j < n; ++j) {
            const Eigen::Index r = r0 + j;
            const double n_never = b.never(r, s), n_lapsed = b.lapsed(r, s);
            if (n_never + n_lapsed <= 0 || !(rate[j] > 0)) continue;
            double h = b.h[j], rt = rate[j];
            double p0_never = stochastic ? b.p0_never[j] : 0, p0_lapsed = stochastic ? b.p0_lapsed[j] : 0;
            double ratio = stochastic ? b.ratio[j] : 0;
            // Replacing leavers may refill the places they left even above saturation; growth may not.
            const double refill = self ? std::min(replacements[j], b.leavers[j])
                                       : std::min(1.0, pr.replacement[si] * plan_.replacement_factor[si][r]) * b.leavers[j];
            const double room = std::max(headroom(r, s), refill);
            const double expected = h * (n_never + n_lapsed);
            if (expected > room) {
                h *= expected > 0 ? room / expected : 0;
                rt = -portable::log1p(-h);
                const double x[2] = {-rt * n_never, -rt * n_lapsed};
                double p0[2];
                vec::exp(x, p0, 2);
                p0_never = p0[0], p0_lapsed = p0[1];
                ratio = h / (1 - h);
            }
            const auto rr = static_cast<std::size_t>(r);
            double du = binom_core(n_never, h, rt, p0_never, ratio, stochastic ? b.uniforms(j, 0) : 0, rr, k,
                                   flow_id(kEnrolNever, 0, si));
            double dl = binom_core(n_lapsed, h, rt, p0_lapsed, ratio, stochastic ? b.uniforms(j, 1) : 0, rr, k,
                                   flow_id(kEnrolLapsed, 0, si));
            if (stochastic) within_room(du, dl, room);
            const double total = du + dl;
            if (total <= 0) continue;
            double replaced = total * share[j];
            if (stochastic && budget && replaced != total && replaced != 0)
                replaced = binom(total, share[j], rr, k, flow_id(kBudgetSplit, 0, si));
            else if (stochastic)
                replaced = std::round(replaced);
            b.never(r, s) -= du;
            b.lapsed(r, s) -= dl;
            b.active(r, s) += budget ? replaced : total;
            if (budget) b.self_paying(r, s) += total - replaced;
            move(Lever::replacement, r, replaced);
            move(Lever::voluntary, r, total - replaced);
        }
    }

    // 7. Lapse on the tile [r0, r0 + n) of segment s: members who leave a covered job or a
    // budget's list or stop paying, outside funded cohorts (which never lapse while funded); its
    // uniforms come from the one Philox block of the three core flows. Self-paying members of a
    // budget-paid segment lapse at the same rate, from their own stream.
    void lapse(std::size_t k, Eigen::Index s, Eigen::Index r0, Eigen::Index n, double lapse_rate) {
        auto& b = b_;
        const auto si = static_cast<std::size_t>(s);
        const double h_lapse = -portable::expm1(-lapse_rate);
        const double ratio_lapse = h_lapse / (1 - h_lapse);
        if (stochastic_) {
            exp_of(b.p0_lapse.head(n), -lapse_rate * b.active.col(s).segment(r0, n));
            for (Eigen::Index j = 0; j < n; ++j) {
                const auto u = stream(static_cast<std::size_t>(r0 + j), k, flow_id(kCore, 0, si)).four();
                b.uniforms(j, 0) = u[0], b.uniforms(j, 1) = u[1], b.uniforms(j, 2) = u[2];
            }
        }
        for (Eigen::Index j = 0; j < n; ++j) {
            const Eigen::Index r = r0 + j;
            const double d =
                binom_core(b.active(r, s), h_lapse, lapse_rate, stochastic_ ? b.p0_lapse[j] : 0, ratio_lapse,
                           stochastic_ ? b.uniforms(j, 2) : 0, static_cast<std::size_t>(r), k, flow_id(kLapse, 0, si));
            double e = 0;
            if (b.self_paying(r, s) > 0)
                e = binom(b.self_paying(r, s), h_lapse, static_cast<std::size_t>(r), k, flow_id(kSelfLapse, 0, si));
            b.leavers[j] = d;
            b.active(r, s) -= d;
            b.self_paying(r, s) -= e;
            b.lapsed(r, s) += d + e;
            move(Lever::lapse, r, d + e);
        }
    }

    const Engine::Plan& plan_;
    const EngineData& data_;
    const Calendar& cal_;
    DrawBuffers& b_;
    Trajectory* trace_;
    const bool stochastic_;
    Params pr_; // the draw's values; parameter changes take effect from their step
    const std::uint64_t key_;
    const std::uint64_t draw_;
    const Eigen::Index R_, S_;
    Eigen::ArrayXd workers_r_;
    double workers_all_ = 0;
    Eigen::ArrayXXd step_flows_;             // regions x levers, members moved during the step
    Eigen::ArrayXd step_spend_;              // regions, Rp committed during the step
    Eigen::ArrayXXd base_rate_, base_share_; // self-paying segments: new members' monthly hazard and share
    std::vector<char> renewal_due_;          // per step: 1 where a year's budget pays its waiting members again
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
