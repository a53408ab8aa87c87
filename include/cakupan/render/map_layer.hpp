// Reading a polygon layer for drawing: names and numeric fields with the shapes in lon/lat. No
// validity repair (filling by the even-odd rule draws invalid rings acceptably), so big layers
// read fast.
#pragma once

#include "cakupan/geo/shapes.hpp"
#include "cakupan/io/statistics.hpp"

#include <string>
#include <vector>

namespace cakupan::render {

struct MapLayerRequest {
    std::string path;
    std::string layer;              // "" = the only layer
    std::string id_field;           // "" = detect (kode, code, id ...); optional
    std::string name_field;         // "" = detect (nama, name ...); optional
    std::string assume_crs;         // for layers that declare no CRS
    std::string encoding;           // of text that is not UTF-8 ("latin1"); "" = none
    std::vector<std::string> fields; // numeric fields to read
    std::string where;              // attribute filter in OGR SQL ("kode LIKE '19.%'"); "" = every feature
    std::string within;             // keep the region with this code and those under it ("19" keeps
                                    // 19, 19.01, 19.01.2001; 1901 under 19 for codes without dots)
};

struct MapLayer {
    std::string source, layer;
    std::vector<std::string> ids;    // empty strings when the layer has no id field
    std::vector<std::string> names;  // ids when the layer has no name field
    std::vector<std::vector<double>> values; // per requested field, NaN for NULL
    ShapeSet shapes;                 // lon/lat; regions without geometry have no parts
};

// InputError for a missing file, layer or field (with "did you mean"), a non-numeric field,
// non-polygon geometry, or a filter (--where, --within) that leaves no region; UsageError for a
// --where GDAL cannot parse.
MapLayer read_map_layer(const MapLayerRequest& request);

// A field of statistics joined to their regions (`map --stats`), one value per region: `workers`,
// `active` (sums over segments), `coverage` (active / workers; NaN where there are no workers),
// `workers_SEG`, `active_SEG`, `coverage_SEG` per segment, and `villages` when the table has it.
// UsageError naming `source` for another name, with the nearest suggested and the fields listed.
std::vector<double> statistics_field(const RegionStatistics& stats, const std::string& field, const std::string& source);
// The names statistics_field accepts, in that order.
std::vector<std::string> statistics_fields(const RegionStatistics& stats);
// Whether a statistics field is a share (coverage, coverage_SEG), written as a percentage.
bool statistics_field_is_share(const std::string& field);

// Layer names of a file, in order.
std::vector<std::string> layer_names(const std::string& path);

} // namespace cakupan::render
