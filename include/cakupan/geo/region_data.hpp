// Boundaries and statistics read, checked and joined: the input of every simulation.
#pragma once

#include "cakupan/geo/boundaries.hpp"
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/geo/region_table.hpp"
#include "cakupan/io/statistics.hpp"

#include <optional>

namespace cakupan {

struct RegionData {
    RegionTable regions;
    std::optional<RegionStatistics> statistics; // in region order, when statistics were given
};

// Reads the boundaries (throws InputError when unusable), then the statistics, and joins them.
// Every problem in the statistics or the join is collected in `diagnostics`; the caller decides
// whether warnings count (validate --strict) and reports errors.
RegionData load_region_data(const BoundaryOptions& boundaries, const std::optional<StatisticsOptions>& statistics,
                            Diagnostics& diagnostics);

} // namespace cakupan
