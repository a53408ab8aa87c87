// Reading administrative boundaries from any vector format GDAL/OGR reads.
#pragma once

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/geo/region_table.hpp"

#include <string>

namespace cakupan {

struct BoundaryOptions {
    std::string path;
    std::string layer;      // "" = the only layer of the file
    std::string id_field;   // "" = detect (kode, code, id, ...)
    std::string name_field; // "" = detect (nama, name, ...)
    std::string assume_crs; // CRS for layers that declare none, e.g. "EPSG:4326"
    std::string within;     // keep only regions inside this code ("35" = Jawa Timur); "" = all
    CodeSpec codes;         // how the ids nest; empty = detect (Kemendagri, dotted, else flat)
    std::string encoding{}; // encoding of text that is not UTF-8 ("latin1", "cp1252"); "" = none
    std::string encoding_option = "--encoding"; // how the user names it, for messages
};

// Reads polygons, repairs invalid ones with MakeValid, reprojects to lon/lat and measures areas.
// Throws InputError for anything that makes the layer unusable (missing file or layer or field,
// duplicate ids, non-polygon geometry). Recoverable oddities (repaired, NULL or empty geometries)
// go to `notes` as warnings. The table's code structure is the declared one, checked against
// every id of the layer, or the one detected from them.
RegionTable read_boundaries(const BoundaryOptions& options, Diagnostics& notes);

} // namespace cakupan
