// Parent outlines on a fine layer: Tanah Bumbu's 149 villages dissolve into its 12 kecamatan, the
// kecamatan names placed on the village map never overlap, the level drawn by default, the names
// read from the file's other layers, and a run that stores its parents for its maps.
#include "cakupan/geo/code_structure.hpp"
#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/map_layer.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/run/run_output.hpp"
#include "scenario_support.hpp"

#include <filesystem>

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

TEST(MapParents, TheDefaultLevelIsTheLowestWithAtMostSixtyParents) {
    // 38 kab/kota x 18 kecamatan (684) x 2 villages: kecamatan are too many, kab/kota are drawn.
    const auto jatim = test::village_codes(38, 18, 2);
    EXPECT_EQ(default_parent_level(CodeStructure::detect(jatim), jatim), 2);
    // 2 kab/kota x 12 kecamatan x 3 villages: 24 kecamatan, the level just above the villages.
    const auto small = test::village_codes(2, 12, 3);
    EXPECT_EQ(default_parent_level(CodeStructure::detect(small), small), 3);
    // 30 regions or fewer are named themselves; a single parent outlines nothing of use.
    const auto few = test::village_codes(1, 3, 10);
    EXPECT_EQ(default_parent_level(CodeStructure::detect(few), few), 0);
    const auto one = test::village_codes(1, 1, 40);
    EXPECT_EQ(default_parent_level(CodeStructure::detect(one), one), 0);
    std::vector<std::string> flat;
    for (int i = 1; i <= 40; ++i) flat.push_back(std::to_string(i));
    EXPECT_EQ(default_parent_level(CodeStructure::detect(flat), flat), 0);
}

TEST(MapParents, NamesComeFromTheOtherLayersOfTheFile) {
    const MapLayer kecamatan = tanah_bumbu("kecamatan");
    std::vector<std::string> codes = kecamatan.ids;
    codes.push_back("63.10.99"); // no such kecamatan
    const auto names = names_in_other_layers(test::source("geodata/boundaries/tanah_bumbu_63_10.gpkg"), "desa", codes);
    ASSERT_EQ(names.size(), kecamatan.ids.size());
    for (std::size_t i = 0; i < kecamatan.ids.size(); ++i) EXPECT_EQ(names.at(kecamatan.ids[i]), kecamatan.names[i]);
    EXPECT_EQ(names.count("63.10.99"), 0u);
    // A parent without a name leaves every parent unnamed: codes as labels read as noise.
    ParentRegions p;
    p.codes = codes;
    name_parents(p, names);
    EXPECT_TRUE(p.names.empty());
    p.codes.pop_back();
    name_parents(p, names);
    EXPECT_EQ(p.names, kecamatan.names);
}

// A village run stores its kecamatan (dissolved, named) in regions.gpkg; the run read back has the
// same parents; its single maps name them and `parent_outlines = false` leaves them out.
TEST(MapParents, AVillageRunStoresItsParentsForItsMaps) {
    const auto loaded = test::load(test::source("scenarios/tanah-bumbu-1desa100.toml"));
    const RunResult result = test::run(*loaded, Mode::expected, 1);
    const auto dir = std::filesystem::temp_directory_path() / ("cakupan-parents-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    OutputOptions o;
    o.dir = dir.string();
    o.parent_regions = true;
    const RunData mem = write_run_outputs(loaded->in, result, o);
    const RunData read = read_run(dir.string());
    std::filesystem::remove_all(dir);

    ASSERT_EQ(mem.parents.codes.size(), 12u);
    EXPECT_EQ(mem.parents.level, 3);
    const MapLayer kecamatan = tanah_bumbu("kecamatan");
    EXPECT_EQ(std::set<std::string>(mem.parents.codes.begin(), mem.parents.codes.end()),
              std::set<std::string>(kecamatan.ids.begin(), kecamatan.ids.end()));
    ASSERT_EQ(mem.parents.names.size(), 12u);
    EXPECT_EQ(read.parents.codes, mem.parents.codes);
    EXPECT_EQ(read.parents.names, mem.parents.names);
    EXPECT_EQ(read.parents.level, 3);
    EXPECT_EQ(read.parents.shapes.x, mem.parents.shapes.x);
    EXPECT_EQ(read.parents.shapes.ring_start, mem.parents.shapes.ring_start);

    const RunMaps maps(read);
    const RunMapRequest single{MapKind::coverage, read.summary.variants.front().name};
    RunMapOptions with;
    const auto texts = maps.texts(single, with);
    std::size_t named = 0;
    for (const auto& n : mem.parents.names) named += std::count(texts.begin(), texts.end(), n) > 0 ? 1 : 0;
    EXPECT_GE(named, 9u) << "most kecamatan are named on the village map";
    RunMapOptions without;
    without.parent_outlines = false;
    for (const auto& t : maps.texts(single, without)) EXPECT_EQ(std::count(mem.parents.names.begin(), mem.parents.names.end(), t), 0) << t;
    EXPECT_NE(maps.render(single, with), maps.render(single, without));

    // Without maps, nothing is dissolved: regions.gpkg has no parents.
    OutputOptions plain;
    plain.dir = dir.string();
    const RunData none = write_run_outputs(loaded->in, result, plain);
    std::filesystem::remove_all(dir);
    EXPECT_TRUE(none.parents.empty());
}

} // namespace
} // namespace cakupan::render
