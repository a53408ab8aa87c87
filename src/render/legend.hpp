// Legend entries: class ranges written for the language, with counts, and the no-data entry.
#pragma once

#include "cakupan/render/map.hpp"

namespace cakupan::render {

// Decimals for the legend: breaks round at up to two decimals written exactly, the others with
// the fewest decimals (up to 4) that write every break differently.
int legend_decimals(const std::vector<double>& breaks, ValueFormat format, Lang lang);

// One entry per class, then "No data" when no_data > 0. counts empty = no counts in the labels
// (small multiples, where a count would belong to one panel only).
std::vector<LegendEntry> legend_entries(const MapClasses& classes, const std::vector<std::size_t>& counts,
                                        std::size_t no_data, ValueFormat format, Lang lang);

} // namespace cakupan::render
