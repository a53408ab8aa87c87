// Parent outlines on a fine layer: Tanah Bumbu's 149 villages dissolve into its 12 kecamatan, and
// the kecamatan names placed on the village map never overlap.
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/map_layer.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cakupan::render {
namespace {

MapLayer tanah_bumbu(const std::string& layer) {
    MapLayerRequest r;
    r.path = test::source("geodata/boundaries/tanah_bumbu_63_10.gpkg");
    r.layer = layer;
    return read_map_layer(r);
}

TEST(MapParents, VillagesDissolveIntoTheirKecamatan) {
    const MapLayer desa = tanah_bumbu("desa");
    ASSERT_EQ(desa.ids.size(), 149u);
    const CodeStructure cs = CodeStructure::detect(desa.ids);
    std::vector<std::string> groups;
    for (const auto& id : desa.ids) groups.push_back(cs.ancestor(id, 3));
    const PlanarShapes planar = project(desa.shapes, "");
    std::vector<std::string> codes;
    const ShapeSet kec = dissolve_regions(planar.shapes, groups, codes);
    ASSERT_EQ(kec.region_count(), 12u);
    ASSERT_EQ(codes.size(), 12u);
    // The codes are those of the kecamatan layer, and each dissolved outline has the area of its
    // villages together (the union of neighbours adds no area; dropped slivers take a little).
    const MapLayer kecamatan = tanah_bumbu("kecamatan");
    EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()), std::set<std::string>(kecamatan.ids.begin(), kecamatan.ids.end()));
    for (std::size_t g = 0; g < codes.size(); ++g) EXPECT_FALSE(kec.empty_region(g)) << codes[g];
}

TEST(MapParents, ParentNamesOnAVillageMapDoNotOverlap) {
    const MapLayer desa = tanah_bumbu("desa");
    const MapLayer kecamatan = tanah_bumbu("kecamatan");
    const CodeStructure cs = CodeStructure::detect(desa.ids);
    std::vector<std::string> groups;
    for (const auto& id : desa.ids) groups.push_back(cs.ancestor(id, 3));
    const PlanarShapes planar = project(desa.shapes, "");
    MapSpec spec;
    spec.names = desa.names;
    spec.panels.push_back({"", std::vector<double>(desa.ids.size(), 1.0)});
    std::vector<std::string> codes;
    spec.parent_outlines = dissolve_regions(planar.shapes, groups, codes);
    for (const auto& c : codes)
        for (std::size_t i = 0; i < kecamatan.ids.size(); ++i)
            if (kecamatan.ids[i] == c) spec.parent_names.push_back(kecamatan.names[i]);
    ASSERT_EQ(spec.parent_names.size(), 12u);
    const MapLayout L = layout_map(spec, planar, PageSize{}, Lang::id);
    const auto& labels = L.panels.at(0).labels;
    EXPECT_GE(labels.size(), 9u) << "most kecamatan are named";
    const std::set<std::string> names(spec.parent_names.begin(), spec.parent_names.end());
    for (std::size_t a = 0; a < labels.size(); ++a) {
        EXPECT_TRUE(names.count(labels[a].text)) << labels[a].text << " is a kecamatan, not a village";
        EXPECT_TRUE(L.panels[0].frame.contains(labels[a].box)) << labels[a].text;
        for (std::size_t b = a + 1; b < labels.size(); ++b)
            EXPECT_FALSE(labels[a].box.overlaps(labels[b].box)) << labels[a].text << " / " << labels[b].text;
    }
}

} // namespace
} // namespace cakupan::render
