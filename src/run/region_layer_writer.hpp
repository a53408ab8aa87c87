// regions.gpkg: the region outlines once, in the table `regions` (fid, code, name, geometry), the
// results of each variant in an attribute table, and one spatial view per variant joining the two,
// registered as a feature layer (QGIS and ogrinfo list it as a layer named after the variant);
// on a fine layer, the outlines of the level above in the table `parents`.
#pragma once

#include "cakupan/run/run_reader.hpp"

#include <string>

namespace cakupan {

// Writes a new GeoPackage at `path` (which must not exist) from `run`. Layer names are the variant
// names with characters other than letters, digits and _ replaced by _.
void write_region_layers(const std::string& path, const RunData& run);

// The outlines of the table `regions`, checked against the region codes of `run.summary`.
ShapeSet read_region_shapes(const std::string& path, const RunSummary& summary);

// The table `parents` (fid, code, name, geometry) when the run wrote one; empty otherwise.
ParentRegions read_parent_regions(const std::string& path);

} // namespace cakupan
