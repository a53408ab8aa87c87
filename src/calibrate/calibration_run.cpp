// The `calibrate` job: load the calibration and its scenario, match the observations to regions
// and report dates, fit, sample the posterior, and write the calibration directory.
#include "cakupan/calibrate/calibration.hpp"

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/common/version.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_directory.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/run/run_output.hpp"
#include "calibrate/calibration_figures.hpp"
#include "calibrate/calibration_fit.hpp"
#include "calibrate/calibration_outputs.hpp"
#include "engine/portable_math.hpp"
#include "io/toml_support.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>

namespace cakupan {

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

std::string month_text(year_month m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()), static_cast<unsigned>(m.month()));
    return buf;
}

// The report date index at the end of month `m`, or none.
std::optional<std::size_t> step_at_end_of(const Calendar& cal, year_month m) {
    const Date last = year_month_day_last(m.year(), month_day_last(m.month()));
    const Date next = Date(sys_days(last) + days(1));
    if (cal.boundaries.front() == next) return 0;
    for (std::size_t k = 1; k <= cal.steps(); ++k)
        if (cal.report_date(k) == last) return k;
    return std::nullopt;
}

struct Matched {
    std::vector<calibration::Target> targets;
    std::vector<calibration::ObservedRow> rows;
};

// Observations of `tables` that the calibration selects, matched to regions and report dates;
// every mismatch is an error naming the row.
void match(const Calibration& c, const std::vector<std::string>& tables, bool holdout, const Simulation& sim,
           const calibration::ObservationModel& om, Matched& out, Diagnostics& diag, std::size_t& skipped) {
    const RegionTable& regions = sim.inputs().regions;
    const Calendar& cal = sim.calendar();
    const auto indicators = c.indicators.empty() ? c.measured_indicators() : c.indicators;
    for (const auto& file : tables) {
        ObservationOptions o;
        o.path = file;
        const ObservationTable t = read_observations(o, diag);
        for (const Observation& ob : t.rows) {
            const bool wanted = std::find(indicators.begin(), indicators.end(), ob.indicator) != indicators.end() &&
                                (!c.level || *c.level == ob.level);
            const bool in_window = (!c.from || ob.period >= *c.from) && (!c.to || ob.period <= *c.to);
            if (!wanted || (!holdout && !in_window)) {
                ++skipped;
                continue;
            }
            const std::string at = file + ":" + std::to_string(ob.row);
            calibration::Target tg;
            tg.measure = om.find(ob.indicator);
            const auto& measure = om.measures[tg.measure];
            if (ob.unit != measure.unit) {
                auto unit = [](ObservationUnit u) { return u == ObservationUnit::percent ? "percent" : "persons"; };
                diag.error(at, "observation of " + ob.indicator + " in " + unit(ob.unit) + ", but its measure (" + measure.where +
                                   ") gives " + unit(measure.unit) + ": set the measure's unit or correct the row");
                continue;
            }
            if (ob.level == RegionLevel::national) {
                for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(regions.size()); ++i) tg.regions.push_back(i);
            } else {
                for (std::size_t i = 0; i < regions.size(); ++i)
                    if (regions.ids[i] == ob.code || regions.codes.is_within(regions.ids[i], ob.code))
                        tg.regions.push_back(static_cast<Eigen::Index>(i));
                if (tg.regions.empty()) {
                    diag.error(at, "observation for region " + ob.code + (ob.name.empty() ? "" : " (" + ob.name + ")") +
                                       ": no region of " + regions.source + " has this code or lies within it");
                    continue;
                }
            }
            const auto step = step_at_end_of(cal, ob.period);
            if (!step) {
                diag.error(at, "observation at the end of " + month_text(ob.period) + " lies outside the period of " +
                                   sim.inputs().scenario.path + " (" + to_string(cal.boundaries.front()) + " to " +
                                   to_string(cal.report_date(cal.steps())) + ") or not at the end of one of its steps");
                continue;
            }
            tg.step = *step;
            tg.observed = ob.value;
            tg.rounding = ob.rounding_sd();
            tg.floor = ob.unit == ObservationUnit::percent ? 0.01 : 1.0; // a person, or a hundredth of a point
            tg.sd = tg.sd_at(c.discrepancy);
            tg.fitted = !holdout;
            out.targets.push_back(std::move(tg));
            out.rows.push_back({ob, file, holdout});
        }
    }
}

// An observation the hold-out table also holds (same level, code, month and indicator) is kept
// aside: it is not fitted, whichever table gave it. Returns the number still fitted.
std::size_t set_aside(Matched& m, std::size_t fitted) {
    auto key = [](const Observation& o) {
        return std::string(to_string(o.level)) + "|" + o.code + "|" + std::to_string(static_cast<int>(o.period.year())) + "-" +
               std::to_string(static_cast<unsigned>(o.period.month())) + "|" + o.indicator;
    };
    std::set<std::string> held;
    for (std::size_t i = fitted; i < m.rows.size(); ++i) held.insert(key(m.rows[i].observation));
    Matched kept;
    for (std::size_t i = 0; i < m.rows.size(); ++i) {
        if (i < fitted && held.count(key(m.rows[i].observation)) != 0) continue;
        kept.targets.push_back(std::move(m.targets[i]));
        kept.rows.push_back(std::move(m.rows[i]));
    }
    const std::size_t removed = m.rows.size() - kept.rows.size();
    m = std::move(kept);
    return fitted - removed;
}

std::vector<double> prior_sds(const calibration::Space& space) {
    std::vector<double> out;
    for (const auto& p : space.parameters) out.push_back(p.prior == Prior::normal ? p.prior_sd : 0.0);
    return out;
}

// Pooled parameters (per = LEVEL): one multiplier KEY#CODE per region of that level, Normal(1,
// pooling) over [max(0, 1 - 4 pooling), 1 + 4 pooling], after the national value.
std::vector<CalibrationParameter> pooled(const CalibrationParameter& p, const RegionTable& regions) {
    const int level = regions.codes.level_named(p.per);
    if (level == 0)
        throw ScenarioError(p.where + ": parameter '" + p.key + "': per = \"" + p.per + "\" is not a level of " + regions.source +
                            did_you_mean(p.per, regions.codes.level_names()) + "; levels: " + join_list(regions.codes.level_names()));
    std::vector<std::string> codes;
    for (const auto& id : regions.ids) {
        const std::string a = regions.codes.level(id) == level ? id : regions.codes.ancestor(id, level);
        if (!a.empty() && std::find(codes.begin(), codes.end(), a) == codes.end()) codes.push_back(a);
    }
    if (codes.empty())
        throw ScenarioError(p.where + ": parameter '" + p.key + "': no region of " + regions.source + " lies at or within the " + p.per +
                            " level");
    std::vector<CalibrationParameter> out;
    for (const auto& code : codes) {
        CalibrationParameter m;
        m.key = p.key + "#" + code;
        m.low = std::max(0.0, 1 - 4 * p.pooling);
        m.high = 1 + 4 * p.pooling;
        m.prior = Prior::normal;
        m.prior_sd = p.pooling;
        m.where = p.where;
        out.push_back(std::move(m));
    }
    return out;
}

calibration::Space make_space(const Calibration& c, const Model& model, const Period& period, const RegionTable& regions) {
    calibration::Space space;
    std::vector<CalibrationParameter> multipliers;
    for (CalibrationParameter p : c.parameters) {
        if (!p.per.empty()) {
            auto m = pooled(p, regions);
            multipliers.insert(multipliers.end(), m.begin(), m.end());
        }
        if (p.observation()) { // bounds required and checked by load_calibration
            if (p.prior == Prior::log_uniform && !(p.low > 0))
                throw ScenarioError(p.where + ": parameter '" + p.key + "': a log-uniform prior needs low > 0");
            space.parameters.push_back(std::move(p));
            continue;
        }
        // KEY@DATE: the model parameter KEY from DATE on, checked as a Simulation setting is.
        const auto at = p.key.find('@');
        const std::string base = p.key.substr(0, at);
        const Parameter* mp = model.find(base);
        if (mp == nullptr)
            throw ScenarioError(p.where + ": parameter: '" + base + "' is not a parameter of model " + model.path +
                                did_you_mean(base, model.keys()));
        if (at != std::string::npos) (void)parameter_change(model, period, base, p.key.substr(at + 1), mp->value, p.where);
        if (std::isnan(p.low)) p.low = mp->low;
        if (std::isnan(p.high)) p.high = mp->high;
        if (!(p.low < p.high))
            throw ScenarioError(p.where + ": parameter '" + p.key + "': the bounds [" + format_number(p.low) + ", " +
                                format_number(p.high) + "] are empty; give low and high");
        if (p.low < mp->min || p.high > mp->max)
            throw ScenarioError(p.where + ": parameter '" + p.key + "': the bounds [" + format_number(p.low) + ", " +
                                format_number(p.high) + "] leave its limits [" + format_number(mp->min) + ", " +
                                format_number(mp->max) + "]");
        if (p.prior == Prior::log_uniform && !(p.low > 0))
            throw ScenarioError(p.where + ": parameter '" + p.key + "': a log-uniform prior needs low > 0");
        space.parameters.push_back(std::move(p));
    }
    // The regional multipliers after every national parameter, so their columns come last.
    space.parameters.insert(space.parameters.end(), multipliers.begin(), multipliers.end());
    return space;
}

int month_index(year_month m) { return static_cast<int>(m.year()) * 12 + static_cast<int>(static_cast<unsigned>(m.month())) - 1; }

// Fits on the observations up to each origin (every month with a fitted observation but the last)
// and projects the fitted observations of the next `horizon` months.
void rolling_backtests(const Calibration& c, int horizon, const calibration::Space& space, const Simulation& sim,
                       const std::string& variant, const std::vector<std::string>& keys,
                       const calibration::ObservationModel& om, const Matched& m, std::size_t fitted,
                       int threads, const ProcessGroup& group, CalibrationOutcome& out,
                       const std::function<void(const std::string&)>& say) {
    std::set<int> months;
    for (std::size_t i = 0; i < fitted; ++i) months.insert(month_index(m.rows[i].observation.period));
    if (months.size() < 2) return;
    months.erase(std::prev(months.end()));
    std::vector<std::vector<ObservationFit>> by_horizon(static_cast<std::size_t>(horizon));
    for (int origin : months) {
        std::vector<calibration::Target> targets;
        std::vector<calibration::ObservedRow> rows;
        std::size_t n_fit = 0;
        for (std::size_t i = 0; i < fitted; ++i) {
            const int mi = month_index(m.rows[i].observation.period);
            if (mi > origin + horizon) continue;
            calibration::Target t = m.targets[i];
            t.fitted = mi <= origin;
            n_fit += t.fitted ? 1 : 0;
            calibration::ObservedRow r = m.rows[i];
            r.holdout = !t.fitted;
            targets.push_back(std::move(t));
            rows.push_back(std::move(r));
        }
        if (n_fit < keys.size() || n_fit == targets.size()) continue;
        calibration::Predictor predictor(sim, variant, keys, targets, om);
        predictor.set_prior_sd(prior_sds(space));
        const auto best = calibration::fit(predictor, space, c.starts, c.evaluations, c.seed, threads, group);
        const auto chains = calibration::sample(predictor, space, best.best_u, c, threads, group);
        const CalibrationOutcome o = calibration::summarise(c, space, predictor, best, chains, rows);
        const year_month origin_month{year{origin / 12}, month{static_cast<unsigned>(origin % 12 + 1)}};
        for (const auto& f : o.fits) {
            if (!f.holdout) continue;
            const int h = month_index(f.observation.period) - origin;
            out.backtest.push_back({origin_month, h, f});
            by_horizon[static_cast<std::size_t>(h - 1)].push_back(f);
        }
        say("backtest from " + month_text(origin_month) + ": fitted " + std::to_string(n_fit) + ", projected " +
            std::to_string(targets.size() - n_fit));
    }
    for (const auto& fits : by_horizon) out.backtest_scores.push_back(calibration::score(fits, true));
}

} // namespace

CalibrationOutcome run_calibration(const CalibrationConfig& config, const ProcessGroup& group) {
    Calibration c = load_calibration(config.calibration);
    auto say = [&](const std::string& line) {
        if (config.progress && group.root()) config.progress(line);
    };
    Diagnostics notes;
    const Simulation sim = Simulation::load(c.scenario, notes);
    for (const auto& d : notes.items()) say(d.line());
    const auto& variants = sim.inputs().scenario.variants;
    std::string variant = c.variant.empty() ? variants.front().name : c.variant;
    const auto vit = std::find_if(variants.begin(), variants.end(), [&](const Variant& v) { return v.name == variant; });
    if (vit == variants.end()) {
        std::vector<std::string> names;
        for (const auto& v : variants) names.push_back(v.name);
        throw ScenarioError(c.where + ": calibration.variant: '" + variant + "' is not a variant of " + c.scenario +
                            did_you_mean(variant, names) + "; variants: " + join_list(names));
    }
    c.variant = variant;
    const calibration::Space space = make_space(c, vit->model, sim.inputs().scenario.period, sim.inputs().regions);
    const calibration::ObservationModel om =
        calibration::resolve_observation_model(c, vit->model, sim.inputs().regions, space.parameters);

    std::vector<std::string> inputs = sim.inputs().scenario.input_files;
    inputs.push_back(config.calibration);
    inputs.insert(inputs.end(), c.observations.begin(), c.observations.end());
    if (!config.holdout.empty()) inputs.push_back(config.holdout);
    check_output_directory(config.out, OutputKind::calibration, config.force, inputs);

    Diagnostics diag;
    Matched m;
    std::size_t skipped = 0;
    match(c, c.observations, false, sim, om, m, diag, skipped);
    std::size_t fitted = m.targets.size();
    if (!config.holdout.empty()) {
        match(c, {config.holdout}, true, sim, om, m, diag, skipped);
        fitted = set_aside(m, fitted);
    }
    diag.throw_if_errors();
    if (fitted == 0)
        throw ScenarioError(c.where + ": calibration: no observation to fit: none of the tables has a row of " +
                            join_list(c.indicators.empty() ? c.measured_indicators() : c.indicators) +
                            (c.level ? std::string(" at level ") + to_string(*c.level) : std::string()) + " in the window");
    say("observations: " + std::to_string(fitted) + " fitted, " + std::to_string(m.targets.size() - fitted) +
        " held out, " + std::to_string(skipped) + " rows not selected");

    std::vector<std::string> keys;
    for (const auto& p : space.parameters) keys.push_back(p.key);
    calibration::Predictor predictor(sim, variant, keys, m.targets, om);
    predictor.set_prior_sd(prior_sds(space));
    const int threads = config.threads > 0 ? config.threads : omp_get_max_threads();

    const auto t0 = steady_clock::now();
    const calibration::FitResult best = calibration::fit(predictor, space, c.starts, c.evaluations, c.seed, threads, group);
    say("fit: best -log likelihood " + format_number(best.best_objective) + " after " + std::to_string(best.evaluations) +
        " evaluations from " + std::to_string(c.starts) + " starts");
    const calibration::Chains chains = calibration::sample(predictor, space, best.best_u, c, threads, group);
    const double seconds = duration<double>(steady_clock::now() - t0).count();
    say("posterior: " + std::to_string(chains.draws.size()) + " draws from " + std::to_string(c.chains) +
        " chains, acceptance " + format_number(std::round(chains.acceptance * 1000) / 1000));

    CalibrationOutcome out = calibration::summarise(c, space, predictor, best, chains, m.rows);
    out.evaluations = best.evaluations + chains.evaluations;
    out.seconds_per_evaluation = seconds / static_cast<double>(std::max<std::size_t>(1, out.evaluations));
    out.model_text = calibration::calibrated_model_text(c, space, out.parameters, vit->model);
    if (config.rolling > 0) rolling_backtests(c, config.rolling, space, sim, variant, keys, om, m, fitted, threads, group, out, say);

    // Fit charts: the model at kept posterior draws over every report date, per observed series.
    const auto figures = calibration::fit_figures(c, calibration::fit_series(c, predictor, chains, out.fits, threads), config.lang);
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& f : figures) files.emplace_back(f.name + ".svg", f.svg), files.emplace_back(f.name + ".png", f.png);
    files.emplace_back("report.html", calibration::calibration_report(c, out, figures, config.lang));
    say("figures: " + std::to_string(figures.size()) + " fit charts and report.html");

    // Every process holds the same results; process 0 writes them.
    if (group.root())
        write_directory_atomically(config.out, [&](const fs::path& dir) {
            calibration::write_outputs(dir, c, config, out, chains, space, inputs, files);
        });
    return out;
}

} // namespace cakupan
