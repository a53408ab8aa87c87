#include "calibrate/calibration_outputs.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/version.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/run/run_output.hpp"
#include "engine/portable_math.hpp"
#include "engine/stream_keys.hpp"
#include "io/csv.hpp"
#include "io/toml_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace cakupan::calibration {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string month_text(std::chrono::year_month m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()), static_cast<unsigned>(m.month()));
    return buf;
}

} // namespace

FitScores score(const std::vector<ObservationFit>& fits, bool holdout) {
    FitScores s;
    double sq = 0, ape = 0, inside = 0;
    std::vector<double> apes;
    for (const auto& f : fits) {
        if (f.holdout != holdout) continue;
        const double y = f.observation.value, e = f.p50 - y;
        sq += e * e;
        if (y > 0) apes.push_back(100 * std::abs(e) / y), ape += apes.back();
        inside += f.p5 <= y && y <= f.p95 ? 1 : 0;
        ++s.n;
    }
    if (s.n == 0) return s;
    const auto n = static_cast<double>(s.n);
    s.rmse = std::sqrt(sq / n);
    s.mape = apes.empty() ? 0 : ape / static_cast<double>(apes.size());
    s.median_ape = percentile(apes, 0.5);
    s.inside90 = inside / n;
    return s;
}

namespace {

std::string number(double v) { return format_number(v); }

// Rounded to 6 significant digits: a printed estimate does not pretend to more.
double six(double v) {
    if (v == 0 || !std::isfinite(v)) return v;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
}

} // namespace

CalibrationOutcome summarise(const Calibration& c, const Space& space, const Predictor& predictor, const FitResult& best,
                             const Chains& chains, const std::vector<ObservedRow>& rows) {
    CalibrationOutcome out;
    out.best_objective = best.best_objective;
    out.acceptance = chains.acceptance;
    const std::vector<double> best_x = space.to_values(best.best_u);
    const std::vector<double> best_pred = predictor.predict(best_x);
    for (std::size_t j = 0; j < space.parameters.size(); ++j) {
        ParameterEstimate e;
        e.key = space.parameters[j].key;
        e.best = best_x[j];
        std::vector<double> v;
        for (const auto& d : chains.draws) v.push_back(d[j]);
        e.p5 = percentile(v, 0.05);
        e.p50 = percentile(v, 0.5);
        e.p95 = percentile(v, 0.95);
        e.rhat = chains.rhat[j];
        e.prior_low = space.parameters[j].low;
        e.prior_high = space.parameters[j].high;
        out.parameters.push_back(e);
    }
    const auto& targets = predictor.targets();
    const std::uint64_t key = streams::calibration_predictive_key(c.seed);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        ObservationFit f;
        f.observation = rows[i].observation;
        f.table = rows[i].table;
        f.holdout = rows[i].holdout;
        f.best = best_pred[i];
        std::vector<double> v;
        v.reserve(chains.predictions.size());
        for (std::size_t k = 0; k < chains.predictions.size(); ++k) {
            rng::Stream s(key, k, i, 0, 0);
            v.push_back(chains.predictions[k][i] + predictor.sd(i, chains.draws[k]) * portable::normal_quantile(s.uniform()));
        }
        f.p5 = percentile(v, 0.05);
        f.p50 = percentile(v, 0.5);
        f.p95 = percentile(v, 0.95);
        out.fits.push_back(std::move(f));
    }
    out.fit = score(out.fits, false);
    out.holdout = score(out.fits, true);
    return out;
}

std::string calibrated_model_text(const Calibration& c, const Space& space, const std::vector<ParameterEstimate>& estimates,
                                  const Model& model) {
    std::ifstream in(model.path, std::ios::binary);
    if (!in) throw InputError(model.path + ": cannot read the model file to write its calibrated copy");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    auto trimmed = [](const std::string& s) {
        const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    auto set_in_block = [&](const std::string& header, const std::vector<std::pair<std::string, std::string>>& values) {
        std::size_t h = lines.size();
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (trimmed(lines[i]) == header) h = i;
        if (h == lines.size()) throw Error(model.path + ": no " + header + " table to write the calibrated value into");
        for (const auto& [k, v] : values) {
            bool done = false;
            for (std::size_t i = h + 1; i < lines.size() && !done; ++i) {
                const std::string t = trimmed(lines[i]);
                if (!t.empty() && t[0] == '[') break;
                if (t.rfind(k + " ", 0) == 0 || t.rfind(k + "=", 0) == 0) lines[i] = k + " = " + v, done = true;
            }
            if (!done) lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(h) + 1, k + " = " + v);
        }
    };
    set_in_block("[model]", {{"name", "\"" + c.model_name + "\""},
                             {"title", "\"" + (model.title.empty() ? model.name : model.title) + " (calibrated: " + c.name + ")\""}});
    // A parameter estimated piecewise in time (KEY@DATE) carries the value of its last piece, the
    // one in force at the end of the observed period: what a projection from there continues.
    auto base_of = [](const std::string& k) { return k.substr(0, k.find('@')); };
    auto date_of = [](const std::string& k) {
        const auto at = k.find('@');
        if (at == std::string::npos) return std::string();
        const std::string d = k.substr(at + 1);
        return d.size() == 7 ? d + "-01" : d;
    };
    std::map<std::string, std::size_t> written; // base key -> the estimate written
    for (std::size_t j = 0; j < estimates.size(); ++j) {
        // Observation parameters and regional multipliers (KEY#CODE) are not the model's.
        if (space.parameters[j].observation() || estimates[j].key.find('#') != std::string::npos) continue;
        const std::string b = base_of(estimates[j].key);
        const auto it = written.find(b);
        if (it == written.end() || date_of(estimates[j].key) > date_of(estimates[it->second].key)) written[b] = j;
    }
    for (const auto& [base, j] : written) {
        const auto& e = estimates[j];
        const Parameter* p = model.find(base);
        const double lo = std::clamp(six(e.p5), p->min, p->max), hi = std::clamp(six(e.p95), p->min, p->max);
        const double mid = std::clamp(six(e.p50), lo, hi);
        const auto& sp = space.parameters[j];
        const std::string from = date_of(e.key).empty() ? std::string() : " of its value from " + date_of(e.key);
        set_in_block("[parameters." + base + "]",
                     {{"value", number(mid)},
                      {"range", "[" + number(lo) + ", " + number(hi) + "]"},
                      {"evidence", "\"calibrated\""},
                      {"source", "\"calibrated by " + c.name + ": posterior median and 90% interval" + from + "; prior " +
                                     (sp.prior == Prior::uniform ? "uniform" : "log-uniform") + " on [" + number(sp.low) + ", " +
                                     number(sp.high) + "]\""}});
    }
    std::string text = "# Calibrated by `cakupan calibrate " + fs::path(c.path).filename().string() + "` from " +
                       fs::path(model.path).filename().string() + ".\n";
    for (const auto& l : lines) text += l + "\n";
    return text;
}

void write_outputs(const fs::path& dir, const Calibration& c, const CalibrationConfig& config, const CalibrationOutcome& out,
                   const Chains& chains, const Space& space, const std::vector<std::string>& inputs,
                   const std::vector<std::pair<std::string, std::string>>& figures) {
    std::vector<std::string> files;
    auto put = [&](const std::string& name, const std::string& text) {
        write_file_atomically((dir / name).string(), text, false);
        files.push_back(name);
    };
    put("model.toml", out.model_text);

    std::string fit;
    csv::Writer fw(fit);
    fw.record({"region_level", "kode", "region_name", "period", "indicator", "observed", "best", "p5", "p50", "p95", "table"});
    std::string hold;
    csv::Writer hw(hold);
    hw.record({"region_level", "kode", "period", "indicator", "observed", "p5", "p50", "p95"});
    for (const auto& f : out.fits) {
        const auto& o = f.observation;
        const std::string table = fs::path(f.table).filename().string();
        if (f.holdout)
            hw.record({to_string(o.level), o.code, month_text(o.period), o.indicator, number(o.value), number(std::round(f.p5)),
                       number(std::round(f.p50)), number(std::round(f.p95))});
        else
            fw.record({to_string(o.level), o.code, o.name, month_text(o.period), o.indicator, number(o.value),
                       number(std::round(f.best)), number(std::round(f.p5)), number(std::round(f.p50)), number(std::round(f.p95)),
                       table});
    }
    put("fit.csv", fit);
    if (!config.holdout.empty()) put("holdout.csv", hold);
    if (config.rolling > 0) {
        std::string bt;
        csv::Writer bw(bt);
        bw.record({"origin", "horizon_months", "region_level", "kode", "period", "indicator", "observed", "p5", "p50", "p95"});
        for (const auto& b : out.backtest) {
            const auto& o = b.fit.observation;
            bw.record({month_text(b.origin), std::to_string(b.horizon), to_string(o.level), o.code, month_text(o.period), o.indicator,
                       number(o.value), number(std::round(b.fit.p5)), number(std::round(b.fit.p50)), number(std::round(b.fit.p95))});
        }
        put("backtest.csv", bt);
    }

    std::string post;
    csv::Writer pw(post);
    std::vector<std::string> head{"draw"};
    for (const auto& p : space.parameters) head.push_back(p.key);
    pw.record(head);
    for (std::size_t k = 0; k < chains.draws.size(); ++k) {
        std::vector<std::string> row{std::to_string(k)};
        for (double x : chains.draws[k]) row.push_back(number(x));
        pw.record(row);
    }
    put("posterior.csv", post);

    json params = json::array(), observation = json::array();
    for (std::size_t j = 0; j < out.parameters.size(); ++j) {
        const auto& e = out.parameters[j];
        (space.parameters[j].observation() ? observation : params)
            .push_back({{"key", e.key}, {"best", e.best}, {"p5", e.p5}, {"p50", e.p50}, {"p95", e.p95}, {"rhat", e.rhat},
                        {"prior", {e.prior_low, e.prior_high}}});
    }
    auto scores = [](const FitScores& s) {
        return json{{"observations", s.n}, {"rmse", s.rmse}, {"mape_pct", s.mape}, {"median_ape_pct", s.median_ape},
                    {"inside_90", s.inside90}};
    };
    json doc = {{"schema", "cakupan.calibration/1"},
                {"calibration", c.name},
                {"title", c.title},
                {"scenario", c.scenario},
                {"variant", c.variant},
                {"seed", c.seed},
                {"discrepancy", c.estimate_discrepancy ? json("estimate") : json(c.discrepancy)},
                {"parameters", params},
                {"observation_parameters", observation},
                {"fit", scores(out.fit)},
                {"holdout", scores(out.holdout)},
                {"rolling", [&] {
                     json r = json::array();
                     for (std::size_t h = 0; h < out.backtest_scores.size(); ++h) {
                         json e = scores(out.backtest_scores[h]);
                         e["horizon_months"] = h + 1;
                         r.push_back(e);
                     }
                     return r;
                 }()},
                {"best_objective", out.best_objective},
                {"evaluations", out.evaluations},
                {"posterior", {{"chains", c.chains}, {"burn_in", c.burn_in}, {"samples", c.samples}, {"thin", c.thin},
                               {"draws", chains.draws.size()}, {"acceptance", out.acceptance}}}};
    put("calibration.json", doc.dump(2) + "\n");
    // The fit charts and report.html (calibration_figures), drawn before anything was written.
    if (!figures.empty()) fs::create_directories(dir / "charts");
    for (const auto& [name, bytes] : figures) put(name, bytes);

    json in = json::array();
    for (const auto& f : inputs) in.push_back({{"path", f}, {"sha256", sha256_file(f)}});
    files.push_back("manifest.json");
    json manifest = {{"cakupan", kVersion}, {"written_by", "cakupan"}, {"kind", "calibration"}, {"command", config.command_line},
                     {"calibration", c.name}, {"inputs", in}, {"files", files}};
    write_file_atomically((dir / "manifest.json").string(), manifest.dump(2) + "\n", false);
}

} // namespace cakupan::calibration
