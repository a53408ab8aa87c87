// A scenario with everything it names loaded and checked: the regions, their statistics and
// contiguity. `cakupan validate SCENARIO` stops here; `cakupan run` goes on to the engine.
#pragma once

#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/engine/engine.hpp"
#include "cakupan/geo/region_data.hpp"
#include "cakupan/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace cakupan {

struct LoadedScenario {
    Scenario scenario;
    RegionTable regions;
    RegionStatistics statistics;
    Adjacency adjacency;
    std::vector<double> villages; // per region
};

// Reads the scenario, its model, boundaries and statistics, builds contiguity and runs every check.
// Scenario problems throw ScenarioError (exit 4), data problems InputError (exit 3); warnings go
// to `notes`.
LoadedScenario load_scenario_inputs(const std::string& path, Diagnostics& notes);

EngineData make_engine_data(const LoadedScenario& loaded);

} // namespace cakupan
