#include "cakupan/engine/engine.hpp"

#include "cakupan/common/error.hpp"
#include "engine/portable_math.hpp"
#include "engine/quantile_sketch.hpp"
#include "engine/random.hpp"
#include "engine/vector_exp.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <numeric>

namespace cakupan {

const char* to_string(Lever lever) {
    switch (lever) {
    case Lever::voluntary: return "voluntary";
    case Lever::reactivation: return "reactivation";
    case Lever::agents: return "agents";
    case Lever::enforcement: return "enforcement";
    case Lever::subsidy: return "subsidy";
    case Lever::village_programme: return "village_programme";
    case Lever::lapse: return "lapse";
    case Lever::funding_end: return "funding_end";
    case Lever::january_gap: return "january_gap";
    case Lever::count: break;
    }
    return "?";
}

namespace {

using std::chrono::days;
using std::chrono::sys_days;


double day_count(Date a, Date b) { return static_cast<double>((sys_days(b) - sys_days(a)).count()); }

// Share of step k that lies inside [start, end] (both inclusive days).
double overlap(const Calendar& c, std::size_t k, Date start, Date end) {
    const sys_days s0 = sys_days(c.boundaries[k]), s1 = sys_days(c.boundaries[k + 1]);
    const sys_days a = std::max(s0, sys_days(start)), b = std::min(s1, sys_days(end) + days(1));
    if (b <= a) return 0;
    return static_cast<double>((b - a).count()) / static_cast<double>((s1 - s0).count());
}

std::size_t step_of(const Calendar& c, Date d) {
    for (std::size_t k = 0; k < c.steps(); ++k)
        if (sys_days(d) < sys_days(c.boundaries[k + 1])) return k;
    return c.steps();
}

// Random streams are keyed by a hash of a name (a variant's, or "parameters" for the parameter
// draws), not a position, so adding or reordering variants leaves the draws of the others
// unchanged (FNV-1a, 64 bit).
std::uint64_t stream_name_key(const std::string& name) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    return h;
}

enum Flow : std::uint64_t {
    kFundingEnd = 1,
    kJanuaryGap,
    kEnforceNever,
    kEnforceLapsed,
    kAgentsNever,
    kAgentsLapsed,
    kVoluntary,
    kReactivation,
    kLapse,
    kCore, // one Philox block shared by voluntary enrolment, reactivation and lapse (inversion)
};

std::uint64_t flow_id(Flow f, std::size_t plan, std::size_t segment) {
    return (static_cast<std::uint64_t>(f) << 16) | (static_cast<std::uint64_t>(plan) << 8) | segment;
}

struct Scope {
    std::vector<std::uint32_t> regions;
    std::vector<int> segments;
    std::vector<char> in_segment; // by segment
};

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

} // namespace

Date Calendar::report_date(std::size_t k) const {
    if (k == 0) return boundaries.front();
    return Date(sys_days(boundaries[k]) - days(1));
}

Calendar make_calendar(const Period& period) {
    Calendar c;
    const Date stop(sys_days(period.end) + days(1)); // the day after the last day
    c.boundaries.push_back(period.start);
    for (int k = 1;; ++k) {
        const Date next = period.step == StepUnit::month ? add_months(period.start, k)
                                                         : Date(sys_days(period.start) + days(7 * k));
        const Date prev = c.boundaries.back();
        const double full = period.step == StepUnit::month ? day_count(prev, next) : 7.0;
        const double unit = period.step == StepUnit::month ? 1.0 : 7.0 / 30.436875; // a week in months
        if (sys_days(next) >= sys_days(stop)) {
            c.boundaries.push_back(stop);
            c.months.push_back(unit * day_count(prev, stop) / full);
            break;
        }
        c.boundaries.push_back(next);
        c.months.push_back(unit);
        if (c.months.size() > rng::Stream::kMaxStep)
            throw ScenarioError("period: more than " + std::to_string(rng::Stream::kMaxStep) + " steps; shorten the period or use monthly steps");
    }
    return c;
}

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
            throw InputError("statistics have no columns workers_" + id + " and active_" + id + " for the model segment '" +
                             id + "' (segments in the statistics: " + [&] {
                                 std::string s2;
                                 for (const auto& x : stats.segments) s2 += (s2.empty() ? "" : ", ") + x;
                                 return s2;
                             }() + ")");
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

// ---- per-variant plan ------------------------------------------------------------------------

struct Engine::Plan {
    std::string name, description;
    Model model; // the variant's model: parameter values and plausible ranges
    std::vector<char> budget_paid;

    struct Funded {
        std::size_t index; // in the variant's interventions
        Lever lever;
        Scope scope;
        int segment;
        std::size_t start_step, end_step; // end_step == steps when funding outlasts the period
        double members_bought = 0;        // subsidy: floor(budget / (premium x months))
        double per_village = 0;
        double premium = 0, months = 0;
        double retention = kUnset; // unset: the model's funded_retention of the draw
    };
    struct Rate {
        std::size_t index;
        Scope scope;
        std::vector<double> active; // share of each step it runs
        double value = kUnset;      // multiplier or hazard; unset: the model's value of the draw
    };
    struct Agents {
        std::size_t index;
        Scope scope;
        std::vector<double> active;
        double agents = 0;
        double productivity = kUnset, active_share = kUnset; // unset: the model's values of the draw
        double cost_per_member = 0;
    };
    std::vector<Funded> funded;
    std::vector<Rate> outreach, regulation, enforcement;
    std::vector<Agents> agents;
    std::vector<double> fixed_cost;             // per intervention
    std::vector<std::vector<double>> cost_share; // per intervention: share of the fixed cost by region
    std::vector<std::string> names;
    std::vector<char> january;                  // per step: starts a new year
};

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
    std::vector<char> january(steps, 0);
    for (std::size_t k = 1; k < steps; ++k) {
        // The step that contains 1 January, other than the first.
        const auto y = Date(sys_days(calendar_.boundaries[k + 1]) - days(1)).year();
        const Date jan1(y, std::chrono::January, std::chrono::day(1));
        if (sys_days(calendar_.boundaries[k]) <= sys_days(jan1) && sys_days(jan1) < sys_days(calendar_.boundaries[k + 1]))
            january[k] = 1;
    }

    for (const auto& v : variants) {
        Plan plan;
        plan.name = v.name;
        plan.description = v.description;
        plan.january = january;
        const Model& m = v.model;
        plan.model = m;
        for (const auto& seg : m.segments) plan.budget_paid.push_back(seg.pays == Payer::budget);

        for (std::size_t i = 0; i < v.interventions.size(); ++i) {
            const Intervention& iv = v.interventions[i];
            plan.names.push_back(iv.name);
            plan.fixed_cost.push_back(iv.cost);
            Scope scope = make_scope(iv, regions, m);
            // Fixed costs are attributed to regions in proportion to their workers.
            std::vector<double> share(regions.size(), 0.0);
            double total = 0;
            for (auto r : scope.regions) total += data_->workers.row(r).sum();
            for (auto r : scope.regions) share[r] = total > 0 ? data_->workers.row(r).sum() / total : 1.0 / static_cast<double>(scope.regions.size());
            plan.cost_share.push_back(std::move(share));
            std::vector<double> active(steps);
            for (std::size_t k = 0; k < steps; ++k) active[k] = overlap(calendar_, k, iv.start, iv.end);
            switch (iv.kind) {
            case InterventionKind::subsidy:
            case InterventionKind::village_programme: {
                Plan::Funded f;
                f.index = i;
                f.lever = iv.kind == InterventionKind::subsidy ? Lever::subsidy : Lever::village_programme;
                f.segment = scope.segments.front();
                f.scope = std::move(scope);
                f.start_step = step_of(calendar_, iv.start);
                f.end_step = step_of(calendar_, Date(sys_days(iv.end) + days(1)));
                f.premium = iv.premium;
                f.months = iv.months;
                f.retention = iv.retention;
                f.per_village = iv.per_village;
                // Budget arithmetic: whole members funded for the whole cohort length.
                f.members_bought = std::floor(iv.budget / (iv.premium * iv.months));
                plan.funded.push_back(std::move(f));
                break;
            }
            case InterventionKind::outreach:
                plan.outreach.push_back({i, std::move(scope), active, iv.uplift});
                break;
            case InterventionKind::regulation:
                plan.regulation.push_back({i, std::move(scope), active, iv.uplift});
                break;
            case InterventionKind::enforcement:
                plan.enforcement.push_back({i, std::move(scope), active, iv.hazard});
                break;
            case InterventionKind::agents: {
                plan.agents.push_back({i, std::move(scope), active, iv.agents, iv.productivity, iv.active_share, iv.cost_per_member});
                break;
            }
            }
        }
        plans_.push_back(std::move(plan));
    }
}

// ---- parameters of one draw -------------------------------------------------------------------

namespace {

// The model's values for one draw. With parameter uncertainty on, every parameter not marked
// "sourced" and not set by the scenario is drawn from a triangular distribution over its
// plausible range with the model's value as mode. The stream is keyed by (seed, draw, parameter name) only, so all variants see
// the same draw of the world and their differences are the programmes'.
struct Params {
    double p, q, rho, reactivation, january_gap, initial_lapsed, retention;
    double outreach_uplift, regulation_uplift, productivity, active_share, enforcement;
    std::vector<double> lapse, saturation;
};

double or_model(double fixed, double model) { return std::isnan(fixed) ? model : fixed; }

Params draw_params(const Model& m, bool vary, std::uint64_t seed, std::uint64_t draw) {
    const std::uint64_t key = rng::Stream::key(seed, stream_name_key("parameters"));
    auto get = [&](const std::string& name) {
        const Parameter* prm = m.find(name);
        const double mode = prm->value;
        if (!vary || prm->evidence == Evidence::sourced || prm->set_by_scenario) return mode;
        const double lo = std::min(prm->low, mode), hi = std::max(prm->high, mode);
        if (!(hi > lo)) return mode;
        rng::Stream s(key, draw, stream_name_key(name) & 0xffffffffu, 0, 0);
        const double u = s.uniform();
        const double c = (mode - lo) / (hi - lo);
        const double x = u < c ? lo + std::sqrt(u * (hi - lo) * (mode - lo)) : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
        return std::clamp(x, prm->min, prm->max);
    };
    Params pr;
    pr.p = get("bass_p");
    pr.q = get("bass_q");
    pr.rho = get("spillover_rho");
    pr.reactivation = get("reactivation");
    pr.january_gap = get("january_gap");
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
    }
    return pr;
}

} // namespace

// ---- one draw --------------------------------------------------------------------------------

namespace {

// Regions per tile of the enrolment and lapse phases.
constexpr Eigen::Index kTile = 512;

struct DrawBuffers {
    Eigen::ArrayXXd never, active, lapsed, workers;
    std::vector<Eigen::ArrayXd> funded; // per funded plan: members funded by region
    Eigen::ArrayXXd coverage_seg, neighbour_seg;
    // scratch of the enrolment and lapse phases, one segment at a time
    Eigen::ArrayXd uplift_outreach, uplift_regulation; // regions
    Eigen::ArrayXd imitation, rate_never, rate_lapsed, h_never, h_lapsed, p0_never, p0_lapsed, p0_lapse; // a tile
    Eigen::ArrayXd ratio_never, ratio_lapsed;                                                         // a tile
    Eigen::ArrayXXd uniforms; // a tile x 3: enrolment, reactivation, lapse
    Eigen::ArrayXXd funded_rs;
    // outputs
    Eigen::ArrayXXd coverage; // regions x (steps + 1)
    Eigen::ArrayXd overall;   // steps + 1
    Eigen::ArrayXXd levers;   // regions x levers
    Eigen::ArrayXXd lever_steps; // steps x levers
    Eigen::ArrayXd spend;     // regions
    std::vector<double> intervention_spend;
};

} // namespace

// out = exp(arg) for a tile, with the kernel that gives the same bits on every machine.
template <class Out, class Arg>
static void exp_of(Out out, const Arg& arg) {
    out = arg;
    vec::exp(out.data(), out.data(), static_cast<std::size_t>(out.size()));
}

// The product of the uplifts of the campaigns in `list` acting on segment si in step k, by region
// (1 where none acts). `model` is the draw's value for campaigns that do not set their own.
static void campaign_uplift(const std::vector<Engine::Plan::Rate>& list, double model, std::size_t k, std::size_t si,
                            Eigen::Index R, Eigen::ArrayXd& out) {
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
static void spill_over(const EngineData& data, const Eigen::ArrayXXd& coverage, Eigen::ArrayXXd& out) {
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

// Runs one draw (or the expected path) of one variant; writes into `b`, and the whole state
// into `trace` when given. Flows are applied in the order documented in docs/model.md.
static void simulate(const Engine::Plan& plan, const EngineData& data, const Calendar& cal, std::uint64_t draw,
                     Mode mode, std::uint64_t seed, bool vary, DrawBuffers& b, Trajectory* trace) {
    const bool stochastic = mode == Mode::stochastic;
    const Params pr = draw_params(plan.model, stochastic && vary, seed, draw);
    const Eigen::Index R = data.workers.rows(), S = data.workers.cols();
    const std::size_t steps = cal.steps();
    const std::uint64_t key = rng::Stream::key(seed, stream_name_key(plan.name));
    auto rng = [&](std::size_t r, std::size_t k, std::uint64_t flow) { return rng::Stream(key, draw, r, k, flow); };
    auto binom = [&](double n, double p, std::size_t r, std::size_t k, std::uint64_t flow) {
        if (n <= 0 || p <= 0) return 0.0;
        if (!stochastic) return n * std::min(p, 1.0);
        auto s = rng(r, k, flow);
        return rng::binomial(n, std::min(p, 1.0), s);
    };
    // The three flows every region, step and segment has take their inversion uniforms from one
    // Philox block; a flow whose mean is large enough for rejection sampling uses its own stream.
    // p0 = (1 - h)^n, the inversion's first term, and h / (1 - h), the ratio of its successive
    // terms, are computed by the caller for whole tiles at once.
    auto binom_core = [&](double n, double h, double rate, double p0, double ratio, double u, std::size_t r, std::size_t k,
                          std::uint64_t flow) {
        if (n <= 0 || h <= 0) return 0.0;
        if (!stochastic) return n * h;
        if (h <= 0.5 && n * h < rng::kInversionLimit) return rng::binomial_inversion_from(n, p0, ratio, u);
        if (h > 0.5) return binom(n, h, r, k, flow);
        auto s = rng(r, k, flow);
        return rng::binomial_small_p(n, h, -rate, s);
    };

    // Initial state: stochastic draws work on whole persons.
    b.workers = stochastic ? data.workers.round() : data.workers;
    b.active = (stochastic ? data.active.round() : data.active).min(b.workers);
    b.lapsed = pr.initial_lapsed * (b.workers - b.active);
    if (stochastic) b.lapsed = b.lapsed.round();
    b.never = b.workers - b.active - b.lapsed;
    b.funded.assign(plan.funded.size(), Eigen::ArrayXd::Zero(R));
    b.funded_rs = Eigen::ArrayXXd::Zero(R, S);
    b.coverage.resize(R, static_cast<Eigen::Index>(steps + 1));
    b.overall.resize(static_cast<Eigen::Index>(steps + 1));
    b.levers = Eigen::ArrayXXd::Zero(R, kLeverCount);
    b.lever_steps = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), kLeverCount);
    b.spend = Eigen::ArrayXd::Zero(R);
    b.intervention_spend.assign(plan.names.size(), 0.0);

    const Eigen::ArrayXd workers_r = b.workers.rowwise().sum();
    const double workers_all = workers_r.sum();
    auto record = [&](std::size_t k) {
        const Eigen::ArrayXd covered = (b.active + b.funded_rs).rowwise().sum();
        b.coverage.col(static_cast<Eigen::Index>(k)) = (workers_r > 0).select(covered / workers_r, 0.0);
        b.overall[static_cast<Eigen::Index>(k)] = workers_all > 0 ? covered.sum() / workers_all : 0.0;
    };
    Eigen::ArrayXXd step_flows = Eigen::ArrayXXd::Zero(R, kLeverCount);
    Eigen::ArrayXd step_spend(R);
    auto push_trace = [&](bool initial) {
        if (trace == nullptr) return;
        trace->never.push_back(b.never);
        trace->active.push_back(b.active);
        trace->funded.push_back(b.funded_rs);
        trace->lapsed.push_back(b.lapsed);
        if (!initial) {
            trace->flows.push_back(step_flows);
            trace->spend.push_back(step_spend);
        }
    };
    record(0);
    push_trace(true);

    // Levers that moved anyone this step: only their columns are added up and cleared, which on
    // large layers saves passes over regions x levers of zeros.
    std::array<char, kLeverCount> moved{};
    auto move = [&](Lever lever, Eigen::Index r, double n) {
        step_flows(r, static_cast<int>(lever)) += n;
        moved[static_cast<std::size_t>(lever)] = 1;
    };
    for (auto* a : {&b.imitation, &b.rate_never, &b.rate_lapsed, &b.h_never, &b.h_lapsed, &b.p0_never, &b.p0_lapsed, &b.p0_lapse,
                    &b.ratio_never, &b.ratio_lapsed})
        a->resize(kTile);
    b.uniforms.resize(kTile, 3);

    for (std::size_t k = 0; k < steps; ++k) {
        const double dt = cal.months[k];
        step_spend.setZero();

        // Coverage at the start of the step drives imitation and spill-over (synchronous update,
        // so the order of regions does not matter).
        b.coverage_seg = (b.workers > 0).select((b.active + b.funded_rs) / b.workers, 0.0);
        if (pr.rho > 0) spill_over(data, b.coverage_seg, b.neighbour_seg);

        // 1. Funding ends: a retained share keeps paying itself, the rest lapse.
        for (std::size_t i = 0; i < plan.funded.size(); ++i) {
            const auto& f = plan.funded[i];
            if (f.end_step != k) continue;
            for (auto r : f.scope.regions) {
                const double n = b.funded[i][r];
                if (n <= 0) continue;
                const double kept = binom(n, or_model(f.retention, pr.retention), r, k, flow_id(kFundingEnd, i, f.segment));
                b.funded[i][r] = 0;
                b.funded_rs(r, f.segment) -= n;
                b.active(r, f.segment) += kept;
                b.lapsed(r, f.segment) += n - kept;
                move(Lever::funding_end, r, n - kept);
            }
        }

        // 2. January: budget-paid members wait for the new year's budget.
        if (plan.january[k] && pr.january_gap > 0)
            for (Eigen::Index s = 0; s < S; ++s)
                for (Eigen::Index r = 0; r < R; ++r) {
                    if (!plan.budget_paid[static_cast<std::size_t>(s)]) continue;
                    const double g = binom(b.active(r, s), pr.january_gap, r, k, flow_id(kJanuaryGap, 0, s));
                    b.active(r, s) -= g;
                    b.lapsed(r, s) += g;
                    move(Lever::january_gap, r, g);
                }

        // 3. Funded cohorts start: a budget buys min(floor(B / (premium x months)), eligible).
        for (std::size_t i = 0; i < plan.funded.size(); ++i) {
            const auto& f = plan.funded[i];
            if (f.start_step != k) continue;
            const int s = f.segment;
            std::vector<double> take(f.scope.regions.size(), 0.0);
            if (f.lever == Lever::village_programme) {
                for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                    const auto r = f.scope.regions[j];
                    take[j] = std::min(std::floor(f.per_village * data.villages[r]), b.never(r, s) + b.lapsed(r, s));
                }
            } else {
                double eligible = 0;
                for (auto r : f.scope.regions) eligible += b.never(r, s) + b.lapsed(r, s);
                const double members = std::min(f.members_bought, eligible);
                if (eligible > 0) {
                    for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                        const auto r = f.scope.regions[j];
                        take[j] = members * (b.never(r, s) + b.lapsed(r, s)) / eligible;
                    }
                    if (stochastic) {
                        // Whole persons: largest remainders, ties to the earlier region.
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
                }
            }
            for (std::size_t j = 0; j < f.scope.regions.size(); ++j) {
                const auto r = f.scope.regions[j];
                const double m = take[j];
                if (m <= 0) continue;
                const double pool = b.never(r, s) + b.lapsed(r, s);
                double from_lapsed = pool > 0 ? m * b.lapsed(r, s) / pool : 0;
                if (stochastic) from_lapsed = std::round(from_lapsed);
                from_lapsed = std::min(from_lapsed, b.lapsed(r, s));
                const double from_never = m - from_lapsed;
                b.never(r, s) -= from_never;
                b.lapsed(r, s) -= from_lapsed;
                b.funded[i][r] += m;
                b.funded_rs(r, s) += m;
                move(f.lever, r, m);
                const double cost = m * f.premium * f.months;
                step_spend[r] += cost;
                b.intervention_spend[f.index] += cost;
            }
        }

        // 4. Enforcement: employers register uncovered workers while a campaign runs.
        for (std::size_t i = 0; i < plan.enforcement.size(); ++i) {
            const auto& e = plan.enforcement[i];
            if (e.active[k] <= 0) continue;
            const double h = 1 - portable::exp(-or_model(e.value, pr.enforcement) * e.active[k] * dt);
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

        // 5. Agents recruit from the uncovered below saturation, where there are most to recruit.
        for (std::size_t i = 0; i < plan.agents.size(); ++i) {
            const auto& a = plan.agents[i];
            const double per_month = a.agents * or_model(a.active_share, pr.active_share) * or_model(a.productivity, pr.productivity);
            if (a.active[k] <= 0 || per_month <= 0) continue;
            const double recruits = per_month * a.active[k] * dt;
            double eligible = 0;
            auto headroom = [&](std::uint32_t r, int s) {
                return std::max(0.0, pr.saturation[static_cast<std::size_t>(s)] * b.workers(r, s) - b.active(r, s) - b.funded_rs(r, s));
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
                    const double cost = (du + dl) * a.cost_per_member;
                    step_spend[r] += cost;
                    b.intervention_spend[a.index] += cost;
                }
        }

        // 6. Voluntary enrolment (Bass) and reactivation, bounded by the saturation share, then
        // 7. lapse of members who pay (or are paid for) outside a funded cohort. Nothing here depends
        // on other regions within the step. Each segment runs over tiles of regions small enough for
        // the scratch to stay in cache: the exponentials (hazards and the zero-term probabilities of
        // the inversion sampler) for a whole tile with the vector kernel, then the scalar draws.
        for (Eigen::Index s = 0; s < S; ++s) {
            const auto si = static_cast<std::size_t>(s);
            // Uplift arrays only when a campaign acts on the segment this step; without one the
            // rates use p and reactivation alone, which is the same to the bit as x 1 x 1.
            bool uplifted = false;
            for (const auto* list : {&plan.outreach, &plan.regulation})
                for (const auto& c : *list) uplifted |= c.active[k] > 0 && c.scope.in_segment[si];
            const auto& uo = b.uplift_outreach;
            const auto& ug = b.uplift_regulation;
            if (uplifted) {
                campaign_uplift(plan.outreach, pr.outreach_uplift, k, si, R, b.uplift_outreach);
                campaign_uplift(plan.regulation, pr.regulation_uplift, k, si, R, b.uplift_regulation);
            }
            const double lapse_rate = pr.lapse[si] * dt;
            const double h_lapse = -portable::expm1(-lapse_rate);
            const double ratio_lapse = h_lapse / (1 - h_lapse);
            const double saturation = pr.saturation[si];
            for (Eigen::Index r0 = 0; r0 < R; r0 += kTile) {
                const Eigen::Index n = std::min(kTile, R - r0);
                const auto own = b.coverage_seg.col(s).segment(r0, n);
                auto imitation = b.imitation.head(n);
                if (pr.rho > 0)
                    imitation = pr.q * ((1 - pr.rho) * own + pr.rho * b.neighbour_seg.col(s).segment(r0, n));
                else
                    imitation = pr.q * own;
                auto rate_never = b.rate_never.head(n);
                auto rate_lapsed = b.rate_lapsed.head(n);
                if (uplifted) {
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
                        const auto u = rng(r0 + j, k, flow_id(kCore, 0, s)).four();
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
                    const double du = binom_core(n_never, h_never, r_never, p0_never, ratio_never, stochastic ? b.uniforms(j, 0) : 0, r, k,
                                                 flow_id(kVoluntary, 0, s));
                    const double dl = binom_core(n_lapsed, h_lapsed, r_lapsed, p0_lapsed, ratio_lapsed, stochastic ? b.uniforms(j, 1) : 0, r,
                                                 k, flow_id(kReactivation, 0, s));
                    b.never(r, s) -= du;
                    b.lapsed(r, s) -= dl;
                    b.active(r, s) += du + dl;
                    move(Lever::voluntary, r, du);
                    move(Lever::reactivation, r, dl);
                }
                if (stochastic) exp_of(b.p0_lapse.head(n), -lapse_rate * b.active.col(s).segment(r0, n));
                for (Eigen::Index j = 0; j < n; ++j) {
                    const Eigen::Index r = r0 + j;
                    const double d = binom_core(b.active(r, s), h_lapse, lapse_rate, stochastic ? b.p0_lapse[j] : 0, ratio_lapse,
                                                stochastic ? b.uniforms(j, 2) : 0, r, k, flow_id(kLapse, 0, s));
                    b.active(r, s) -= d;
                    b.lapsed(r, s) += d;
                    move(Lever::lapse, r, d);
                }
            }
        }

        // Fixed costs are committed when an intervention first acts.
        for (std::size_t i = 0; i < plan.names.size(); ++i) {
            if (plan.fixed_cost[i] <= 0) continue;
            bool starts = false;
            for (const auto& f : plan.funded) starts |= f.index == i && f.start_step == k;
            for (const auto* list : {&plan.outreach, &plan.regulation, &plan.enforcement})
                for (const auto& x : *list) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
            for (const auto& x : plan.agents) starts |= x.index == i && x.active[k] > 0 && (k == 0 || x.active[k - 1] <= 0);
            if (!starts) continue;
            for (Eigen::Index r = 0; r < R; ++r) step_spend[r] += plan.fixed_cost[i] * plan.cost_share[i][static_cast<std::size_t>(r)];
            b.intervention_spend[i] += plan.fixed_cost[i];
        }

        for (int l = 0; l < kLeverCount; ++l)
            if (moved[static_cast<std::size_t>(l)]) {
                b.levers.col(l) += step_flows.col(l);
                b.lever_steps(static_cast<Eigen::Index>(k), l) = step_flows.col(l).sum();
            }
        b.spend += step_spend;
        record(k + 1);
        push_trace(false);
        for (int l = 0; l < kLeverCount; ++l)
            if (moved[static_cast<std::size_t>(l)]) step_flows.col(l).setZero();
        moved.fill(0);
    }
}

Trajectory Engine::trace(std::size_t variant, std::uint64_t draw, Mode mode, std::uint64_t seed, bool vary) const {
    if (variant >= plans_.size()) throw Error("trace: no variant " + std::to_string(variant));
    Trajectory t;
    DrawBuffers b;
    simulate(plans_[variant], *data_, calendar_, draw, mode, seed, vary, b, &t);
    return t;
}

RunResult Engine::run(const RunOptions& options) const {
    RunResult out;
    out.calendar = calendar_;
    out.mode = options.mode;
    out.draws = options.mode == Mode::expected ? 1 : options.draws;
    out.seed = options.seed;
    out.vary_parameters = options.mode == Mode::stochastic && options.vary_parameters;
    out.target = targets_;
    out.overall_target = overall_target_;
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    const auto R = static_cast<Eigen::Index>(region_count());
    const std::size_t steps = calendar_.steps();
    const auto cols = static_cast<Eigen::Index>(steps + 1);
    const int draws = out.draws;
    // Draws run in blocks, then reduce in draw order: the result is the same for any thread count
    // and any block size. Blocks as large as ~512 MB of draw buffers allow (at least one draw,
    // at most 256) keep the threads busy between reductions; where that holds two draws per
    // thread, a multiple of the thread count leaves no thread idle at the end of a block. Memory,
    // not the thread count, bounds the block: 1,000 threads on a big layer must not ask for
    // 2,000 buffers.
    const double bytes_per_draw = 8.0 * static_cast<double>(R) * static_cast<double>(cols + 2 * kLeverCount + 8 * data_->workers.cols() + 2);
    int block = static_cast<int>(std::clamp(512e6 / bytes_per_draw, 1.0, 256.0));
    if (block >= 2 * threads) block -= block % threads;
    const std::size_t total_work = plans_.size() * static_cast<std::size_t>(draws);
    std::size_t done = 0;

    for (std::size_t v = 0; v < plans_.size(); ++v) {
        const Plan& plan = plans_[v];
        VariantResult res;
        res.name = plan.name;
        res.description = plan.description;
        res.intervention_names = plan.names;
        // Percentiles per region at every report date, or at the end only (first_q = cols - 1),
        // which is all that the summary and the region layers need.
        const Eigen::Index first_q = options.region_series ? 0 : cols - 1;
        const Eigen::Index nq = cols - first_q;
        std::vector<QuantileSketch> sketches(static_cast<std::size_t>(R * nq));
        Eigen::ArrayXXd cov_sum = Eigen::ArrayXXd::Zero(R, cols);
        Eigen::ArrayXd met = Eigen::ArrayXd::Zero(R);
        std::vector<std::vector<double>> overall(static_cast<std::size_t>(cols));
        res.lever_mean = Eigen::ArrayXXd::Zero(R, kLeverCount);
        res.lever_step_mean = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), kLeverCount);
        res.spend_mean = Eigen::ArrayXd::Zero(R);
        res.intervention_spend_mean.assign(plan.names.size(), 0.0);
        std::vector<DrawBuffers> buffers(static_cast<std::size_t>(block));
        std::vector<std::exception_ptr> failures(static_cast<std::size_t>(block));

        for (int first = 0; first < draws; first += block) {
            const int count = std::min(block, draws - first);
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::min(threads, count))
            for (int j = 0; j < count; ++j) {
                try {
                    simulate(plan, *data_, calendar_, static_cast<std::uint64_t>(first + j), options.mode, options.seed,
                             options.vary_parameters, buffers[static_cast<std::size_t>(j)], nullptr);
                } catch (...) { // nothing may leave a parallel region
                    failures[static_cast<std::size_t>(j)] = std::current_exception();
                }
            }
            for (int j = 0; j < count; ++j)
                if (failures[static_cast<std::size_t>(j)]) std::rethrow_exception(failures[static_cast<std::size_t>(j)]);
#pragma omp parallel for schedule(static) num_threads(threads)
            for (Eigen::Index r = 0; r < R; ++r)
                for (int j = 0; j < count; ++j) {
                    const auto& b = buffers[static_cast<std::size_t>(j)];
                    for (Eigen::Index k = 0; k < cols; ++k) cov_sum(r, k) += b.coverage(r, k);
                    for (Eigen::Index k = first_q; k < cols; ++k)
                        sketches[static_cast<std::size_t>(r * nq + k - first_q)].add(b.coverage(r, k));
                    if (b.coverage(r, cols - 1) >= targets_[r] - 1e-12) met[r] += 1;
                    res.lever_mean.row(r) += b.levers.row(r);
                    res.spend_mean[r] += b.spend[r];
                }
            for (int j = 0; j < count; ++j) {
                const auto& b = buffers[static_cast<std::size_t>(j)];
                for (Eigen::Index k = 0; k < cols; ++k) overall[static_cast<std::size_t>(k)].push_back(b.overall[k]);
                res.lever_step_mean += b.lever_steps;
                for (std::size_t i = 0; i < plan.names.size(); ++i) res.intervention_spend_mean[i] += b.intervention_spend[i];
            }
            done += static_cast<std::size_t>(count);
            if (options.progress) options.progress(static_cast<double>(done) / static_cast<double>(total_work));
        }

        const double d = draws;
        res.mean = cov_sum / d;
        res.p5.setConstant(R, cols, NAN), res.p50.setConstant(R, cols, NAN), res.p95.setConstant(R, cols, NAN);
        for (Eigen::Index r = 0; r < R; ++r)
            for (Eigen::Index k = first_q; k < cols; ++k) {
                const auto& sk = sketches[static_cast<std::size_t>(r * nq + k - first_q)];
                res.p5(r, k) = sk.quantile(0), res.p50(r, k) = sk.quantile(1), res.p95(r, k) = sk.quantile(2);
            }
        res.region_probability = met / d;
        res.lever_mean /= d;
        res.lever_step_mean /= d;
        res.spend_mean /= d;
        for (auto& x : res.intervention_spend_mean) x /= d;
        res.overall_mean.resize(cols), res.overall_p5.resize(cols), res.overall_p50.resize(cols), res.overall_p95.resize(cols);
        for (Eigen::Index k = 0; k < cols; ++k) {
            auto values = overall[static_cast<std::size_t>(k)];
            res.overall_mean[k] = std::accumulate(values.begin(), values.end(), 0.0) / d;
            std::sort(values.begin(), values.end());
            const int n = static_cast<int>(values.size());
            res.overall_p5[k] = sorted_quantile(values.data(), n, 0.05);
            res.overall_p50[k] = sorted_quantile(values.data(), n, 0.5);
            res.overall_p95[k] = sorted_quantile(values.data(), n, 0.95);
        }
        res.overall_end = overall.back();
        res.overall_probability =
            static_cast<double>(std::count_if(res.overall_end.begin(), res.overall_end.end(),
                                              [&](double x) { return x >= overall_target_ - 1e-12; })) / d;
        res.workers = data_->workers.rowwise().sum();
        res.workers_total = res.workers.sum();
        out.variants.push_back(std::move(res));
    }
    return out;
}

} // namespace cakupan
