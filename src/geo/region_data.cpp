#include "cakupan/geo/region_data.hpp"

namespace cakupan {

RegionData load_region_data(const BoundaryOptions& boundaries, const std::optional<StatisticsOptions>& statistics,
                            Diagnostics& diagnostics) {
    RegionData data;
    data.regions = read_boundaries(boundaries, diagnostics);
    if (!statistics) return data;
    const StatisticsTable table = read_statistics(*statistics, diagnostics);
    // Codes are checked even when some values were bad, so that one pass shows every problem.
    if (!table.segments.empty()) data.statistics = join_statistics(data.regions, table, diagnostics);
    return data;
}

} // namespace cakupan
