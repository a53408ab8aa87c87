#include "cakupan/plan/plan_problem.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "study/exchange.hpp"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace cakupan {

namespace fs = std::filesystem;

// plan_file.cpp
std::vector<std::pair<std::string, std::string>> plan_inline_interventions(const std::string& path);
std::string default_plan_amount(const std::string& type);

std::vector<double> plan_spend(const VariantResult& result, const std::vector<std::size_t>& spend_index) {
    std::vector<double> out;
    out.reserve(spend_index.size());
    // Every cost of the lever as its funder pays it: premiums and fixed costs, and the levers' own
    // costs (agents' commission and bonus, campaigns by region and month).
    for (auto i : spend_index) out.push_back(result.intervention_cost_mean.at(i));
    return out;
}

namespace {

// The plan's scenario in a private temporary file, loaded, then removed.
template <class F>
auto with_temporary_scenario(const std::string& text, F&& use) {
    // Unique per process and moment: the scenario is read back at once and removed.
    const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
    const fs::path path = fs::temp_directory_path() /
                          ("cakupan-plan-" + std::to_string(::getpid()) + "-" + std::to_string(tick) + ".toml");
    {
        std::ofstream os(path, std::ios::binary);
        os << text;
        if (!os) throw OutputError(path.string() + ": cannot write the plan's scenario");
    }
    struct Remove {
        fs::path p;
        ~Remove() {
            std::error_code ec;
            fs::remove(p, ec);
        }
    } remove{path};
    try {
        return use(path.string());
    } catch (const ScenarioError& e) {
        throw ScenarioError(std::string("the scenario made from the plan: ") + e.what());
    }
}

std::string safe(const std::string& code) {
    std::string s = code;
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return s;
}

double months_between(Date start, Date end_inclusive) {
    using namespace std::chrono;
    const auto days_n = (sys_days(end_inclusive) - sys_days(start)).count() + 1;
    return std::round(static_cast<double>(days_n) / 30.436875 * 100) / 100;
}

} // namespace

PlanProblem::PlanProblem(Plan plan, Diagnostics& notes) : plan_(std::move(plan)) {
    inline_ = plan_inline_interventions(plan_.path);
    const Scenario base = load_scenario(plan_.scenario, notes);
    const Variant* bv = nullptr;
    std::vector<std::string> variant_names;
    for (const auto& v : base.variants) {
        variant_names.push_back(v.name);
        if ((plan_.variant.empty() && bv == nullptr) || v.name == plan_.variant) bv = &v;
    }
    if (bv == nullptr)
        throw ScenarioError(plan_.where + ": plan.variant: the scenario has no variant '" + plan_.variant + "'" +
                            did_you_mean(plan_.variant, variant_names) + "; variants: " + join_list(variant_names));
    base_variant_ = bv->name;
    for (const auto& iv : bv->interventions) base_interventions_.push_back(iv.name);
    std::vector<std::string> declared;
    for (const auto& iv : base.declared) declared.push_back(iv.name);
    for (auto& l : plan_.levers) {
        if (!l.from.empty()) {
            const auto it = std::find_if(base.declared.begin(), base.declared.end(), [&](const Intervention& i) { return i.name == l.from; });
            if (it == base.declared.end())
                throw ScenarioError(l.where + ": lever." + l.name + ".from: the scenario declares no intervention '" + l.from + "'" +
                                    did_you_mean(l.from, declared) + "; interventions: " + join_list(declared));
            l.type = to_string(it->kind);
            if (l.amount.empty()) l.amount = default_plan_amount(l.type);
            if (l.amount.empty())
                throw ScenarioError(l.where + ": lever." + l.name + ".from: a plan sizes subsidy, village_programme, agents, "
                                    "outreach, regulation or enforcement interventions; '" + l.from + "' is " + l.type);
            const bool campaign = it->kind == InterventionKind::outreach || it->kind == InterventionKind::regulation ||
                                  it->kind == InterventionKind::enforcement;
            const bool fits = (l.amount == "budget" && it->kind == InterventionKind::subsidy) ||
                              (l.amount == "agents" && it->kind == InterventionKind::agents) ||
                              (l.amount == "per_village" && it->kind == InterventionKind::village_programme) ||
                              (l.amount == "months" && campaign);
            if (!fits) throw ScenarioError(l.where + ": lever." + l.name + ".amount: a " + l.type + " intervention has no " + l.amount);
            if (l.fee > 0 && l.amount != "agents") throw ScenarioError(l.where + ": lever." + l.name + ".fee: only for agents");
        } else if (std::find(declared.begin(), declared.end(), l.name) != declared.end()) {
            throw ScenarioError(l.where + ": lever." + l.name + ": the scenario already has an intervention '" + l.name +
                                "'; write from = \"" + l.name + "\" to size it, or name the lever differently");
        }
    }

    for (auto& l : plan_.levers)
        if (l.unit <= 0) l.unit = l.amount == "budget" ? 1e6 : 1;
    // First pass: one copy per lever, to learn the regions each lever's selector picks.
    for (std::size_t i = 0; i < plan_.levers.size(); ++i) {
        const auto& l = plan_.levers[i];
        vars_.push_back({l.name, i, {}, l.name, l.min, l.max, l.unit, 0, 0, ""});
    }
    const LoadedScenario first = with_temporary_scenario(scenario_text(lower(), ""), [&](const std::string& p) {
        Diagnostics quiet;
        return load_scenario_inputs(p, quiet);
    });
    std::vector<PlanVariable> vars;
    for (std::size_t i = 0; i < plan_.levers.size(); ++i) {
        const auto& l = plan_.levers[i];
        const auto it = std::find_if(first.scenario.declared.begin(), first.scenario.declared.end(),
                                     [&](const Intervention& x) { return x.name == l.name; });
        const auto picked = select_regions(it->regions, first.regions);
        std::vector<std::string> codes;
        for (auto r : picked) codes.push_back(first.regions.ids[r]);
        if (l.each_region) {
            for (const auto& c : codes) vars.push_back({l.name + "_" + safe(c), i, {c}, l.name + " " + c, l.min, l.max, l.unit, 0, 0, ""});
        } else if (!l.groups.empty()) {
            for (std::size_t g = 0; g < l.groups.size(); ++g) {
                for (const auto& c : l.groups[g])
                    if (std::find(codes.begin(), codes.end(), c) == codes.end())
                        throw ScenarioError(l.where + ": lever." + l.name + ".regions[" + std::to_string(g) + "]: '" + c +
                                            "' is not a region the intervention covers" + did_you_mean(c, codes) +
                                            "; it covers: " + join_list(codes));
                std::string label = l.name;
                for (const auto& c : l.groups[g]) label += " " + c;
                vars.push_back({l.name + "_g" + std::to_string(g + 1), i, l.groups[g], label, l.min, l.max, l.unit, 0, 0, ""});
            }
        } else {
            vars.push_back({l.name, i, {}, l.name, l.min, l.max, l.unit, 0, 0, ""});
        }
    }
    vars_ = std::move(vars);
    sim_ = with_temporary_scenario(scenario_text(lower(), ""), [&](const std::string& p) {
        return std::make_shared<const Simulation>(Simulation::load(p, notes));
    });

    const auto& sc = sim_->inputs().scenario;
    const auto pv = std::find_if(sc.variants.begin(), sc.variants.end(), [](const Variant& v) { return v.name == "plan"; });
    for (auto& v : vars_) {
        const auto iv = std::find_if(pv->interventions.begin(), pv->interventions.end(), [&](const Intervention& i) { return i.name == v.intervention; });
        v.fee_months = iv->kind == InterventionKind::agents ? months_between(iv->start, iv->end) : 0;
        v.year = static_cast<int>(iv->start.year());
        v.month = to_string(iv->start).substr(0, 7);
    }
    // Spend indices and the members the base already adds, from one run at the lower bounds.
    Settings s = settings(lower());
    s.mode = Mode::expected;
    const RunResult r = sim_->evaluate(s, plan_.seed);
    const VariantResult& v = r.variants.front();
    for (const auto& var : vars_) {
        const auto it = std::find(v.intervention_names.begin(), v.intervention_names.end(), var.intervention);
        spend_index_.push_back(static_cast<std::size_t>(it - v.intervention_names.begin()));
    }
    target_ = r.overall_target;
    region_targets_ = r.target;
    region_workers_ = v.workers;
    base_added_ = Eigen::ArrayXd::Zero(0);
    const Candidate at_lower = evaluate(lower());
    base_added_ = Eigen::Map<const Eigen::ArrayXd>(at_lower.region_added.data(), static_cast<Eigen::Index>(at_lower.region_added.size()));
}

std::optional<Date> PlanProblem::reach_date(const std::vector<double>& x, int months) const {
    const auto longer = with_temporary_scenario(scenario_text(x, "", months), [&](const std::string& p) {
        Diagnostics quiet;
        return Simulation::load(p, quiet);
    });
    Settings s = settings(x);
    s.region_series = false;
    const RunResult r = longer.evaluate(s, plan_.seed);
    const auto& v = r.variants.front();
    for (Eigen::Index k = 0; k < v.overall_p50.size(); ++k) {
        const double med = std::isfinite(v.overall_p50[k]) ? v.overall_p50[k] : v.overall_mean[k];
        if (med >= r.overall_target) return r.calendar.report_date(static_cast<std::size_t>(k));
    }
    return std::nullopt;
}

std::vector<double> PlanProblem::lower() const {
    std::vector<double> x;
    for (const auto& v : vars_) x.push_back(v.lo);
    return x;
}

std::vector<double> PlanProblem::upper() const {
    std::vector<double> x;
    for (const auto& v : vars_) x.push_back(v.hi);
    return x;
}

std::vector<double> PlanProblem::snap(std::vector<double> x) const {
    for (std::size_t i = 0; i < x.size(); ++i) {
        const auto& v = vars_[i];
        x[i] = std::clamp(std::round(x[i] / v.unit) * v.unit, v.lo, v.hi);
    }
    return x;
}

std::vector<double> PlanProblem::variable_workers() const {
    std::vector<double> out;
    const auto& regions = sim_->inputs().regions;
    for (const auto& v : vars_) {
        double w = 0;
        if (v.codes.empty()) w = region_workers_.sum();
        for (const auto& c : v.codes)
            if (auto r = regions.find(c)) w += region_workers_[static_cast<Eigen::Index>(*r)];
        out.push_back(w);
    }
    return out;
}

Settings PlanProblem::settings(const std::vector<double>& x) const {
    Settings s;
    s.variant = "plan";
    for (std::size_t i = 0; i < vars_.size(); ++i) {
        const auto& l = plan_.levers[vars_[i].lever];
        s.interventions.push_back({vars_[i].intervention, l.amount, x[i]});
        if (l.fee > 0) s.interventions.push_back({vars_[i].intervention, "cost", std::round(x[i] * l.fee * vars_[i].fee_months)});
    }
    s.mode = plan_.mode;
    s.draws = plan_.draws;
    s.vary_parameters = plan_.vary_parameters;
    s.region_series = false;
    return s;
}

Candidate PlanProblem::evaluate(const std::vector<double>& x, int threads) const {
    // Common random numbers: one seed for every candidate.
    const RunResult r = sim_->evaluate(settings(x), plan_.seed, threads);
    const VariantResult& v = r.variants.front();
    Candidate c;
    c.x = x;
    c.spend = plan_spend(v, spend_index_);
    for (double s : c.spend) c.total_spend += s;
    const Eigen::Index end = v.overall_mean.size() - 1;
    c.probability = v.overall_probability;
    c.median = std::isfinite(v.overall_p50[end]) ? v.overall_p50[end] : v.overall_mean[end];
    std::vector<double> ends = v.overall_end;
    if (ends.empty()) ends.push_back(v.overall_mean[end]);
    std::sort(ends.begin(), ends.end(), std::greater<>());
    const auto k = static_cast<std::size_t>(std::ceil(plan_.probability * static_cast<double>(ends.size()) - 1e-9));
    c.quantile = ends[std::clamp<std::size_t>(k, 1, ends.size()) - 1];
    const Eigen::Index R = v.workers.size();
    c.lowest_region = std::numeric_limits<double>::infinity();
    for (Eigen::Index r2 = 0; r2 < R; ++r2) {
        const double p = v.region_probability[r2];
        const double med = std::isfinite(v.p50(r2, end)) ? v.p50(r2, end) : v.mean(r2, end);
        c.region_probability.push_back(p);
        c.region_median.push_back(med);
        c.lowest_region = std::min(c.lowest_region, med);
        if (p >= plan_.probability) ++c.regions_at_target;
        double added = 0;
        for (Lever l : {Lever::subsidy, Lever::village_programme, Lever::agents}) added += v.lever_mean(r2, static_cast<int>(l));
        c.region_added.push_back(added - (base_added_.size() == R ? base_added_[r2] : 0.0));
    }
    return c;
}

namespace {

constexpr std::size_t kFixed = 6;
std::size_t record_size(std::size_t vars, std::size_t regions) { return 2 * vars + kFixed + 3 * regions; }

void pack(const Candidate& c, std::vector<double>& out) {
    out.insert(out.end(), c.x.begin(), c.x.end());
    out.insert(out.end(), c.spend.begin(), c.spend.end());
    out.insert(out.end(), {c.total_spend, c.probability, c.median, c.quantile, c.lowest_region, static_cast<double>(c.regions_at_target)});
    out.insert(out.end(), c.region_probability.begin(), c.region_probability.end());
    out.insert(out.end(), c.region_median.begin(), c.region_median.end());
    out.insert(out.end(), c.region_added.begin(), c.region_added.end());
}

Candidate unpack(const double* p, std::size_t vars, std::size_t regions) {
    Candidate c;
    c.x.assign(p, p + vars);
    c.spend.assign(p + vars, p + 2 * vars);
    p += 2 * vars;
    c.total_spend = p[0], c.probability = p[1], c.median = p[2], c.quantile = p[3], c.lowest_region = p[4];
    c.regions_at_target = static_cast<int>(p[5]);
    p += kFixed;
    c.region_probability.assign(p, p + regions);
    c.region_median.assign(p + regions, p + 2 * regions);
    c.region_added.assign(p + 2 * regions, p + 3 * regions);
    return c;
}

} // namespace

std::vector<Candidate> PlanProblem::evaluate_all(const std::vector<std::vector<double>>& xs, int threads,
                                                 const ProcessGroup& group) const {
    const std::size_t n = xs.size(), V = vars_.size(), R = static_cast<std::size_t>(region_workers_.size());
    std::vector<std::size_t> mine;
    for (std::size_t i = static_cast<std::size_t>(group.rank()); i < n; i += static_cast<std::size_t>(group.size())) mine.push_back(i);
    std::vector<Candidate> local(mine.size());
    std::vector<std::exception_ptr> failures(mine.size());
    const int t = threads > 0 ? threads : omp_get_max_threads();
    if (mine.size() == 1) {
        try {
            local[0] = evaluate(xs[mine[0]], t); // one candidate: its draws across the threads
        } catch (...) {
            failures[0] = std::current_exception();
        }
    } else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(t)
        for (std::size_t j = 0; j < mine.size(); ++j) {
            try {
                local[j] = evaluate(xs[mine[j]], 1);
            } catch (...) {
                failures[j] = std::current_exception();
            }
        }
    }
    std::exception_ptr failure;
    for (auto& f : failures)
        if (f && !failure) failure = f;
    group.check(failure);

    std::vector<std::uint64_t> idx(mine.begin(), mine.end()), all_idx;
    std::vector<double> values, all_values;
    for (const auto& c : local) pack(c, values);
    detail::gather_results(group, idx, values, all_idx, all_values);
    std::vector<char> bytes;
    if (group.root()) {
        // Candidate order, whichever process evaluated what.
        const std::size_t rec = record_size(V, R);
        std::vector<double> ordered(n * rec);
        for (std::size_t j = 0; j < all_idx.size(); ++j)
            std::copy_n(all_values.begin() + static_cast<std::ptrdiff_t>(j * rec), rec, ordered.begin() + static_cast<std::ptrdiff_t>(all_idx[j] * rec));
        bytes.resize(ordered.size() * sizeof(double));
        std::memcpy(bytes.data(), ordered.data(), bytes.size());
    }
    detail::broadcast_bytes(group, bytes);
    std::vector<double> ordered(bytes.size() / sizeof(double));
    std::memcpy(ordered.data(), bytes.data(), bytes.size());
    std::vector<Candidate> out;
    const std::size_t rec = record_size(V, R);
    for (std::size_t i = 0; i < n; ++i) out.push_back(unpack(ordered.data() + i * rec, V, R));
    return out;
}

} // namespace cakupan
