// The regions of one boundary layer: ids, names, area, centroid and shapes, in layer order.
#pragma once

#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/shapes.hpp"

#include <Eigen/Core>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cakupan {

struct RegionTable {
    std::string source;     // path of the file read
    std::string layer;      // layer name
    std::string id_field;   // attribute holding the region code
    std::string name_field; // attribute holding the name ("" when the layer has none)
    std::string crs;        // description of the source CRS
    std::string within;     // the code the regions were restricted to ("" = the whole layer)

    std::vector<std::string> ids;   // region codes: Kemendagri "19.01", or any other coding
    CodeStructure codes;            // how the ids nest (declared or detected when read)
    std::vector<std::string> names;
    Eigen::ArrayXd area_km2;        // on the WGS 84 ellipsoid, via an equal-area projection
    Eigen::ArrayXd centroid_lon;    // NaN for regions without geometry
    Eigen::ArrayXd centroid_lat;
    ShapeSet shapes;                // lon/lat

    std::size_t size() const { return ids.size(); }
    std::optional<std::size_t> find(std::string_view id) const;
    void build_index(); // fills the id lookup used by find()

private:
    std::unordered_map<std::string, std::size_t> index_;
};

} // namespace cakupan
