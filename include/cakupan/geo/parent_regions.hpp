// The regions of a coarser code level drawn over a fine layer (kab/kota over villages, states
// over counties) so that a reader finds their own kabupaten: which level, their outlines dissolved
// from their members, and their names from another layer of the same file.
#pragma once

#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/region_table.hpp"
#include "cakupan/geo/shapes.hpp"

#include <map>
#include <string>
#include <vector>

namespace cakupan {

struct ParentRegions {
    int level = 0;                  // code level (1 = top); 0 = none
    std::vector<std::string> codes; // one per parent, in order of first appearance among the regions
    std::vector<std::string> names; // one per parent, or empty when some parent has no name
    ShapeSet shapes;                // outlines, in the coordinates of the regions' shapes

    bool empty() const { return codes.empty(); }
};

// The level outlined by default over regions `ids` that nest as `cs`: with more than 30 regions,
// the lowest level above theirs with 2 to 60 regions (kab/kota over a province's villages,
// provinces over a nation's); 0 when there are fewer regions, nothing nests or no level fits.
int default_parent_level(const CodeStructure& cs, const std::vector<std::string>& ids);

// The regions of `shapes` merged by group (e.g. each region's parent code; "" = left out): one
// region per distinct group, in order of first appearance, outlined by the union of its members
// (GEOS through OGR, invalid members made valid first; groups in parallel, the result does not
// depend on the thread count). `group_codes` receives the groups.
ShapeSet dissolve_regions(const ShapeSet& shapes, const std::vector<std::string>& groups, std::vector<std::string>& group_codes);

// The parents at `level` of regions `ids` (with their `shapes`), dissolved; no names yet.
ParentRegions parent_regions(const ShapeSet& shapes, const CodeStructure& cs, const std::vector<std::string>& ids, int level);

// Names of `codes` found in the layers of the file at `path` other than `skip_layer`, by their
// code and name fields (kode/code/..., nama/name/...). Attributes only, smallest layers first,
// stopping once every code is named: a file holding a huge village layer beside its kab/kota
// costs no more than the kab/kota. Layers without such fields name nothing.
std::map<std::string, std::string> names_in_other_layers(const std::string& path, const std::string& skip_layer,
                                                         const std::vector<std::string>& codes, const std::string& encoding = "");

// `parents.names` filled from `names` when every parent has one (codes as labels would read as
// noise); left empty otherwise.
void name_parents(ParentRegions& parents, const std::map<std::string, std::string>& names);

// The parents of a layer read for a scenario at default_parent_level, dissolved from its shapes and
// named from the other layers of its file (`encoding` as the layer's); empty without such a level.
ParentRegions default_parents(const RegionTable& regions, const std::string& encoding);

// For tables summed up by parent: each region's ancestor at the lowest level above the regions
// that gives at most `max_groups` groups ("" for a region without one); empty when the codes do
// not nest or no region has a parent.
std::vector<std::string> table_groups(const CodeStructure& cs, const std::vector<std::string>& codes, std::size_t max_groups);

// "kab/kota 35.01", "provinsi 35" (Kemendagri levels in Bahasa Indonesia when `indonesian`): a
// parent without a name, named by its level; the code alone when the level has no name.
std::string level_and_code(const CodeStructure& cs, const std::string& code, bool indonesian);

} // namespace cakupan
