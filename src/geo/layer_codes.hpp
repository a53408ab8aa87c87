// The code structure of a boundary layer: declared (checked against every id of the layer) or
// detected from its ids. Private: needs GDAL.
#pragma once

#include "cakupan/geo/code_structure.hpp"
#include "io/gdal_support.hpp"

#include <string>
#include <vector>

namespace cakupan {

struct LayerCodes {
    CodeStructure codes;
    std::vector<std::string> ids; // every non-empty id of the layer, in layer order
};

// Reads the ids (field `id_index`) and, when declared, the parent field of every feature with the
// geometry ignored, before any `within` filter, so that the structure is the whole layer's.
// Throws InputError for a missing parent field and for ids that do not fit a declared structure.
LayerCodes read_code_structure(OGRLayer& layer, const std::string& where, int id_index, const CodeSpec& spec);

// What `within` needs, with the layer's structure: throws InputError when `within` cannot
// select (flat codes) or selects nothing, explaining how the codes nest.
void check_within(const LayerCodes& layer, const std::string& where, const std::string& within, std::size_t kept);

} // namespace cakupan
