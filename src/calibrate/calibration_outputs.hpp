// What a calibration reports: parameter estimates, the fit of every observation with its band,
// scores, and the calibrated model file; and the files of the calibration directory.
#pragma once

#include "cakupan/calibrate/calibration.hpp"
#include "calibrate/calibration_fit.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cakupan::calibration {

struct ObservedRow {
    Observation observation;
    std::string table;
    bool holdout = false;
};

// Estimates, bands (posterior predictive: model draws plus each observation's own error) and
// scores of the fitted and the held-out observations.
CalibrationOutcome summarise(const Calibration& c, const Space& space, const Predictor& predictor, const FitResult& best,
                             const Chains& chains, const std::vector<ObservedRow>& rows);

FitScores score(const std::vector<ObservationFit>& fits, bool holdout);

// The model file of `model` with each estimated parameter's value set to its posterior median, its
// range to the 90% interval and its evidence to "calibrated"; comments and order kept.
std::string calibrated_model_text(const Calibration& c, const Space& space, const std::vector<ParameterEstimate>& estimates,
                                  const Model& model);

void write_outputs(const std::filesystem::path& dir, const Calibration& c, const CalibrationConfig& config,
                   const CalibrationOutcome& out, const Chains& chains, const Space& space,
                   const std::vector<std::string>& inputs, const std::vector<std::pair<std::string, std::string>>& figures);

} // namespace cakupan::calibration
