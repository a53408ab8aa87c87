// regions.gpkg: one layer per variant with the end-of-period results and the region shapes.
#pragma once

#include "cakupan/engine/engine.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"

#include <string>

namespace cakupan {

// Writes a new GeoPackage at `path` (which must not exist). Layer names are the variant names
// with characters other than letters, digits and _ replaced by _.
void write_region_layers(const std::string& path, const LoadedScenario& inputs, const RunResult& result);

} // namespace cakupan
