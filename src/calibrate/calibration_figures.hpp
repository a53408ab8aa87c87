// The figures of a calibration: one fit chart per observed series (the model's posterior
// predictive band and median at every report date, the observations as points, held-out ones as
// rings) and the calibration's report.html (estimates, scores, the charts) in Indonesian or English.
#pragma once

#include "cakupan/render/lang.hpp"
#include "calibrate/calibration_fit.hpp"
#include "calibrate/calibration_outputs.hpp"

#include <string>
#include <vector>

namespace cakupan::calibration {

// One (level, code, indicator) with observations, and the model's band over every report date.
struct FitSeries {
    RegionLevel level = RegionLevel::national;
    std::string code, name, indicator;
    Target target;                   // regions and measure (its step unused)
    ObservationUnit unit = ObservationUnit::persons;
    std::vector<std::string> dates;  // report dates 0..steps
    std::vector<double> p5, p50, p95; // posterior predictive, in the unit, one per date
    std::vector<double> observed, held_out; // NaN where there is none
};

// The model at up to `kFitChartDraws` kept posterior draws (evenly spread over the chains) at
// every report date, plus each date's discrepancy, for every series of `fits`. The draws are
// evaluated in parallel into fixed slots, so the result does not depend on `threads`.
inline constexpr std::size_t kFitChartDraws = 100;
std::vector<FitSeries> fit_series(const Calibration& c, const Predictor& predictor, const Chains& chains,
                                  const std::vector<ObservationFit>& fits, int threads);

struct FitFigure {
    std::string name; // "charts/fit-kabkota-19.01-bpjstk_participants_active"
    std::string caption;
    std::string svg, png;
};

std::vector<FitFigure> fit_figures(const Calibration& c, const std::vector<FitSeries>& series, render::Lang lang);

// The calibration's report: estimates (prior, best, p50, 90% interval, R-hat), scores (fit,
// hold-out, backtests per horizon) and the fit charts, self-contained like the run report.
std::string calibration_report(const Calibration& c, const CalibrationOutcome& out, const std::vector<FitFigure>& figures,
                               render::Lang lang);

} // namespace cakupan::calibration
