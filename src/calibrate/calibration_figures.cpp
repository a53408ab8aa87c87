// Fit charts and the report of a calibration.
#include "calibrate/calibration_figures.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/render/chart.hpp"
#include "cakupan/report/report.hpp"
#include "engine/portable_math.hpp"
#include "engine/random.hpp"
#include "engine/stream_keys.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <sstream>

namespace cakupan::calibration {

using render::Lang;
using render::tr;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string series_key(const Observation& o) { return std::string(to_string(o.level)) + "-" + (o.code.empty() ? "" : o.code + "-") + o.indicator; }

} // namespace

std::vector<FitSeries> fit_series(const Calibration& c, const Predictor& predictor, const Chains& chains,
                                  const std::vector<ObservationFit>& fits, int threads) {
    const Simulation& sim = predictor.simulation();
    const Calendar& cal = sim.calendar();
    const std::size_t dates = cal.steps() + 1;
    std::vector<FitSeries> out;
    std::vector<std::string> keys;
    const auto& targets = predictor.targets();
    for (std::size_t i = 0; i < fits.size(); ++i) {
        const Observation& o = fits[i].observation;
        const std::string key = series_key(o);
        auto it = std::find(keys.begin(), keys.end(), key);
        if (it == keys.end()) {
            FitSeries s;
            s.level = o.level, s.code = o.code, s.name = o.name, s.indicator = o.indicator;
            s.target = targets[i];
            s.unit = o.unit;
            for (std::size_t k = 0; k < dates; ++k) s.dates.push_back(to_string(cal.report_date(k)));
            s.observed.assign(dates, kNaN);
            s.held_out.assign(dates, kNaN);
            keys.push_back(key);
            out.push_back(std::move(s));
            it = keys.end() - 1;
        }
        FitSeries& s = out[static_cast<std::size_t>(it - keys.begin())];
        auto& slot = (fits[i].holdout ? s.held_out : s.observed)[targets[i].step];
        if (std::isnan(slot)) slot = o.value; // the first table's figure when two give the same date
    }
    if (out.empty() || chains.draws.empty()) return out;

    // Draws evenly spread over the kept ones (chain-major), so every chain contributes.
    const std::size_t n = chains.draws.size(), m = std::min(n, kFitChartDraws);
    std::vector<std::size_t> picked(m);
    for (std::size_t j = 0; j < m; ++j) picked[j] = j * n / m;
    std::vector<Target> groups;
    for (const auto& s : out) groups.push_back(s.target);
    std::vector<std::vector<std::vector<double>>> paths(m);
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
    for (std::size_t j = 0; j < m; ++j) {
        try {
            paths[j] = predictor.paths(chains.draws[picked[j]], groups);
        } catch (...) {
#pragma omp critical(cakupan_fit_paths)
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);

    // Posterior predictive: each path plus the model's discrepancy at that date (the share of
    // the modelled value the fit assumes), from a stream of its own per draw, series and date.
    const std::uint64_t key = streams::calibration_predictive_key(c.seed);
    for (std::size_t si = 0; si < out.size(); ++si) {
        FitSeries& s = out[si];
        s.p5.resize(dates), s.p50.resize(dates), s.p95.resize(dates);
        std::vector<double> v(m);
        for (std::size_t k = 0; k < dates; ++k) {
            for (std::size_t j = 0; j < m; ++j) {
                const double y = paths[j][si][k];
                rng::Stream st(key, picked[j], si, k, 1);
                const double floor = s.unit == ObservationUnit::percent ? 0.01 : 1.0;
                const double d = predictor.observation().discrepancy.value(chains.draws[picked[j]]);
                v[j] = y + std::max(floor, d * std::abs(y)) * portable::normal_quantile(st.uniform());
            }
            s.p5[k] = percentile(v, 0.05);
            s.p50[k] = percentile(v, 0.5);
            s.p95[k] = percentile(v, 0.95);
        }
    }
    return out;
}

std::vector<FitFigure> fit_figures(const Calibration& c, const std::vector<FitSeries>& series, Lang lang) {
    std::vector<FitFigure> out;
    const render::PageSize page = render::default_chart_page();
    for (const auto& s : series) {
        render::LineChart ch;
        const std::string where = s.level == RegionLevel::national ? std::string(tr(lang, "national", "nasional"))
                                                                    : (s.name.empty() ? s.code : s.name + " (" + s.code + ")");
        ch.text.title = where + ": " + s.indicator;
        ch.text.subtitle = tr(lang, "Model: median and 5-95% posterior predictive band; observations as points",
                              "Model: median dan rentang prediktif posterior 5-95%; pengamatan sebagai titik");
        ch.text.source = std::string(tr(lang, "Cakupan calibration ", "Kalibrasi Cakupan ")) + c.name + ", seed " + std::to_string(c.seed);
        ch.dates = s.dates;
        ch.y.label = s.unit == ObservationUnit::percent ? tr(lang, "percent", "persen") : tr(lang, "persons", "orang");
        render::Series model;
        model.label = tr(lang, "model (median, 5-95%)", "model (median, 5-95%)");
        model.y = s.p50, model.band_lo = s.p5, model.band_hi = s.p95;
        model.colour = 0;
        ch.series.push_back(model);
        auto points = [&](const std::vector<double>& y, const char* en, const char* id, int colour, bool hollow) {
            if (std::none_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); })) return;
            render::Series p;
            p.label = tr(lang, en, id);
            p.y = y;
            p.line = false, p.markers = true, p.hollow = hollow, p.colour = colour;
            ch.series.push_back(p);
        };
        points(s.observed, "observed (fitted)", "pengamatan (dipakai fit)", 1, false);
        points(s.held_out, "observed (held out)", "pengamatan (ditahan)", 2, true);
        FitFigure f;
        f.name = "charts/fit-" + std::string(to_string(s.level)) + "-" + (s.code.empty() ? "" : s.code + "-") + s.indicator;
        f.caption = ch.text.title;
        f.svg = render::render_line_chart(ch, render::Format::svg, page, lang);
        f.png = render::render_line_chart(ch, render::Format::png, page, lang);
        out.push_back(std::move(f));
    }
    return out;
}

namespace {

std::string num(Lang lang, double v) {
    if (v == 0 || !std::isfinite(v)) return render::format_number(lang, v, 0);
    const int digits = std::clamp(3 - static_cast<int>(std::floor(std::log10(std::abs(v)))), 0, 8); // 4 significant digits
    std::string s = render::format_number(lang, v, digits);
    const char point = lang == Lang::en ? '.' : ',';
    if (digits > 0 && s.find(point) != std::string::npos) { // 0.01000 -> 0.01
        while (s.back() == '0') s.pop_back();
        if (s.back() == point) s.pop_back();
    }
    return s;
}

void scores_row(std::ostringstream& h, const std::string& what, const FitScores& s, Lang lang) {
    h << "<tr><td>" << escape_html(what) << "</td><td class=\"num\">" << s.n << "</td><td class=\"num\">"
      << escape_html(render::format_number(lang, s.rmse, 0)) << "</td><td class=\"num\">" << escape_html(render::format_number(lang, s.mape, 1))
      << "%</td><td class=\"num\">" << escape_html(render::format_number(lang, s.median_ape, 1)) << "%</td><td class=\"num\">"
      << escape_html(render::format_percent(lang, s.inside90, 0)) << "</td></tr>\n";
}

} // namespace

std::string calibration_report(const Calibration& c, const CalibrationOutcome& out, const std::vector<FitFigure>& figures, Lang lang) {
    std::vector<ReportSection> sections;
    {
        std::ostringstream h;
        h << "<p>" << escape_html(tr(lang, "Posterior from the Metropolis chains; best is the optimiser's fit. R-hat near 1 means the chains agree.",
                                     "Posterior dari rantai Metropolis; terbaik adalah hasil optimasi. R-hat dekat 1 berarti rantai-rantai sepakat."))
          << "</p>\n<table><thead><tr><th>" << escape_html(tr(lang, "Parameter", "Parameter")) << "</th><th>"
          << escape_html(tr(lang, "Prior", "Prior")) << "</th><th class=\"num\">" << escape_html(tr(lang, "Best", "Terbaik"))
          << "</th><th class=\"num\">p50</th><th>" << escape_html(tr(lang, "90% interval", "Interval 90%"))
          << "</th><th class=\"num\">R-hat</th></tr></thead><tbody>\n";
        for (std::size_t j = 0; j < out.parameters.size(); ++j) {
            const auto& e = out.parameters[j];
            const bool log = j < c.parameters.size() && c.parameters[j].prior == Prior::log_uniform;
            const bool pooled = e.key.find('#') != std::string::npos; // Normal(1, sd) on [1 - 4 sd, 1 + 4 sd]
            h << "<tr><td>" << escape_html(e.key) << "</td><td>"
              << escape_html(pooled ? tr(lang, "normal(1, ", "normal(1, ") + num(lang, (e.prior_high - 1) / 4) + ")"
                                    : std::string(log ? tr(lang, "log-uniform", "log-seragam") : tr(lang, "uniform", "seragam")) +
                                          " [" + num(lang, e.prior_low) + ", " + num(lang, e.prior_high) + "]")
              << "</td><td class=\"num\">" << escape_html(num(lang, e.best)) << "</td><td class=\"num\">" << escape_html(num(lang, e.p50))
              << "</td><td>" << escape_html("[" + num(lang, e.p5) + ", " + num(lang, e.p95) + "]") << "</td><td class=\"num\">"
              << escape_html(render::format_number(lang, e.rhat, 3)) << "</td></tr>\n";
        }
        h << "</tbody></table>\n";
        std::vector<std::string> observation;
        for (const auto& p : c.parameters)
            if (p.observation()) observation.push_back(p.key);
        if (!observation.empty())
            h << "<p>" << escape_html(join_list(observation) +
                                      tr(lang, ": parameters of the observation model (what the observed figures count), estimated with the "
                                               "model's but not written into the calibrated model.toml.",
                                         ": parameter model pengamatan (apa yang dihitung angka pengamatan), diestimasi bersama parameter "
                                         "model tetapi tidak ditulis ke model.toml terkalibrasi."))
              << "</p>\n";
        sections.push_back({"estimates", tr(lang, "Estimates", "Estimasi"), h.str()});
    }
    {
        std::ostringstream h;
        h << "<table><thead><tr><th></th><th class=\"num\">" << escape_html(tr(lang, "Observations", "Pengamatan"))
          << "</th><th class=\"num\">" << escape_html(tr(lang, "RMSE (persons)", "RMSE (orang)")) << "</th><th class=\"num\">MAPE</th><th class=\"num\">"
          << escape_html(tr(lang, "Median APE", "APE median")) << "</th><th class=\"num\">" << escape_html(tr(lang, "Inside 90% band", "Di dalam rentang 90%"))
          << "</th></tr></thead><tbody>\n";
        scores_row(h, tr(lang, "fit", "fit"), out.fit, lang);
        if (out.holdout.n > 0) scores_row(h, tr(lang, "hold-out", "data ditahan"), out.holdout, lang);
        for (std::size_t k = 0; k < out.backtest_scores.size(); ++k)
            if (out.backtest_scores[k].n > 0)
                scores_row(h, std::string(tr(lang, "backtest, ", "uji mundur, ")) + std::to_string(k + 1) + tr(lang, " month(s) ahead", " bulan ke depan"),
                           out.backtest_scores[k], lang);
        h << "</tbody></table>\n<p>" << escape_html(std::string(tr(lang, "Posterior acceptance ", "Penerimaan posterior ")) +
                                                       render::format_number(lang, out.acceptance, 2) + "; " + std::to_string(out.evaluations) +
                                                       tr(lang, " model evaluations.", " evaluasi model."))
          << "</p>\n";
        sections.push_back({"scores", tr(lang, "Scores", "Skor"), h.str()});
    }
    {
        std::ostringstream h;
        for (std::size_t i = 0; i < figures.size(); ++i)
            h << "<figure>" << inline_svg(figures[i].svg, "fit" + std::to_string(i) + "-") << "<figcaption>" << escape_html(figures[i].caption)
              << "</figcaption></figure>\n";
        if (figures.empty()) h << "<p>" << escape_html(tr(lang, "No observed series.", "Tidak ada seri pengamatan.")) << "</p>\n";
        sections.push_back({"fit", tr(lang, "Fit per series", "Kecocokan per seri"), h.str()});
    }
    const std::string title = c.title.empty() ? c.name : c.title;
    return report_document(title, std::string(tr(lang, "Calibration ", "Kalibrasi ")) + c.name, sections, lang);
}

} // namespace cakupan::calibration
