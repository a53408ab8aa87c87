// The observation model of a calibration: what each observed indicator counts in the model's state
// (covered members of some segments, scaled, in persons or as a percentage of their workers), and
// where members are counted (workplace vs residence). Its numbers may be observation parameters,
// estimated with the model's but never passed to the Simulation.
#pragma once

#include "cakupan/calibrate/calibration.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <vector>

namespace cakupan::calibration {

// A constant, or entry `parameter` of the parameter values (or 1 minus it).
struct ScaleRef {
    double constant = 1;
    std::ptrdiff_t parameter = -1;
    bool complement = false;
    double value(const std::vector<double>& x) const {
        if (parameter < 0) return constant;
        const double p = x[static_cast<std::size_t>(parameter)];
        return complement ? 1 - p : p;
    }
};

struct MeasureRef {
    std::string indicator;
    std::vector<Eigen::Index> segments; // model segment columns
    bool all_segments = false;
    ScaleRef scale;
    ObservationUnit unit = ObservationUnit::persons;
    std::string where;
};

struct WorkplaceRef {
    std::vector<bool> in_hub; // per region
    std::vector<Eigen::Index> segments;
    ScaleRef share;
};

struct ObservationModel {
    std::vector<MeasureRef> measures;
    std::vector<WorkplaceRef> workplaces; // hubs of disjoint regions
    // The model's error as a share of the observed value: calibration.discrepancy, or the
    // parameter `observation.discrepancy` with discrepancy = "estimate".
    ScaleRef discrepancy;
    bool estimated_discrepancy() const { return discrepancy.parameter >= 0; }
    // Index of the measure of `indicator`, or measures.size().
    std::size_t find(const std::string& indicator) const;
};

// Resolves the calibration's measures and workplace against the variant's model, the regions and
// the estimated parameters (`keys`, in the order of the parameter values): ScenarioError naming the
// file:line:column of an unknown segment (with the nearest), a hub that matches no region or shares
// one with another hub, or an observation parameter whose bounds leave what it stands for (a share
// outside 0 to 1).
ObservationModel resolve_observation_model(const Calibration& c, const Model& model, const RegionTable& regions,
                                           const std::vector<CalibrationParameter>& parameters);

// The model state at one report date as the observations count it.
class ObservedState {
public:
    // `workers`: regions x segments, as the statistics give them (Simulation::workers()).
    ObservedState(const ObservationModel& om, const Eigen::ArrayXXd& workers, const Eigen::ArrayXXd& never,
                  const Eigen::ArrayXXd& active, const Eigen::ArrayXXd& funded, const Eigen::ArrayXXd& lapsed,
                  const std::vector<double>& x);
    // The value of measure `m` over `regions`.
    double value(std::size_t m, const std::vector<Eigen::Index>& regions) const;

private:
    const ObservationModel& om_;
    std::vector<double> scales_; // per measure, at the parameter values
    Eigen::ArrayXXd members_;  // A + F where members live
    Eigen::ArrayXXd counted_;  // A + F where they are counted (workplace applied)
    Eigen::ArrayXXd labour_;   // N + A + F + L, the workers of each segment at this date
    Eigen::ArrayXd everyone_;  // every segment's members as the engine reports coverage: (A+F)/w x w
};

} // namespace cakupan::calibration
