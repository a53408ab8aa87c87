#include "cakupan/geo/parent_regions.hpp"

#include "cakupan/common/error.hpp"
#include "io/gdal_support.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <memory>
#include <set>

namespace cakupan {

namespace {

constexpr std::size_t kFewRegions = 30; // at most this many regions are named themselves
constexpr std::size_t kMostParents = 60;

// The union of regions `members` of `shapes` as one region of a set of its own.
ShapeSet dissolve_group(const ShapeSet& shapes, const std::vector<std::size_t>& members) {
    const gdal::ErrorCapture quiet; // GEOS's validity notes, per thread; a failed union keeps the members' outlines
    OGRMultiPolygon mp;
    for (std::size_t r : members)
        for (std::size_t part = shapes.region_start[r]; part < shapes.region_start[r + 1]; ++part) {
            OGRPolygon poly = gdal::part_polygon(shapes, part);
            // Each member valid on its own: the union of the parts (touching along shared edges,
            // so never a valid multipolygon themselves) is then well defined.
            if (poly.IsValid()) {
                mp.addGeometry(&poly);
            } else if (std::unique_ptr<OGRGeometry> fixed(poly.MakeValid()); fixed) {
                ShapeSet parts;
                parts.begin_region();
                gdal::append_polygons(fixed.get(), parts);
                parts.finish();
                for (std::size_t q = 0; q < parts.region_start[1]; ++q) {
                    OGRPolygon fixed_poly = gdal::part_polygon(parts, q);
                    mp.addGeometry(&fixed_poly);
                }
            }
        }
    ShapeSet out;
    out.begin_region();
    std::unique_ptr<OGRGeometry> merged(mp.UnionCascaded());
    // Gaps between neighbours that do not quite meet become holes of the union: small ones are
    // slivers, not enclaves, and would draw as thick lines inside the parent.
    gdal::append_polygons(merged ? merged.get() : &mp, out, 0.05);
    out.finish();
    return out;
}

} // namespace

int default_parent_level(const CodeStructure& cs, const std::vector<std::string>& ids) {
    if (ids.size() <= kFewRegions || !cs.nests()) return 0;
    int finest = 0;
    for (const auto& id : ids) {
        if (id.empty()) return 0;
        finest = std::max(finest, cs.level(id));
    }
    for (int level = finest - 1; level >= 1; --level) {
        std::set<std::string> parents;
        for (const auto& id : ids)
            if (const std::string a = cs.ancestor(id, level); !a.empty()) parents.insert(a);
        if (parents.size() > kMostParents) continue;
        return parents.size() >= 2 ? level : 0;
    }
    return 0;
}

ShapeSet dissolve_regions(const ShapeSet& shapes, const std::vector<std::string>& groups, std::vector<std::string>& group_codes) {
    gdal::register_drivers();
    group_codes.clear();
    std::vector<std::vector<std::size_t>> members;
    std::map<std::string, std::size_t> index;
    for (std::size_t r = 0; r < shapes.region_count() && r < groups.size(); ++r) {
        if (groups[r].empty() || shapes.empty_region(r)) continue;
        auto [it, fresh] = index.emplace(groups[r], group_codes.size());
        if (fresh) group_codes.push_back(groups[r]), members.emplace_back();
        members[it->second].push_back(r);
    }
    // Each group on its own: unions of a national village layer take seconds per province.
    std::vector<ShapeSet> merged(members.size());
    const auto n = static_cast<std::ptrdiff_t>(members.size());
#pragma omp parallel for schedule(dynamic, 1)
    for (std::ptrdiff_t g = 0; g < n; ++g)
        merged[static_cast<std::size_t>(g)] = dissolve_group(shapes, members[static_cast<std::size_t>(g)]);
    ShapeSet out;
    for (const auto& m : merged) out.append_regions(m, 0, 1);
    out.finish();
    return out;
}

ParentRegions parent_regions(const ShapeSet& shapes, const CodeStructure& cs, const std::vector<std::string>& ids, int level) {
    ParentRegions out;
    if (level < 1) return out;
    std::vector<std::string> groups;
    groups.reserve(ids.size());
    for (const auto& id : ids) groups.push_back(cs.ancestor(id, level));
    out.level = level;
    out.shapes = dissolve_regions(shapes, groups, out.codes);
    return out;
}

std::map<std::string, std::string> names_in_other_layers(const std::string& path, const std::string& skip_layer,
                                                         const std::vector<std::string>& codes, const std::string& encoding) {
    std::map<std::string, std::string> out;
    std::set<std::string> wanted(codes.begin(), codes.end());
    if (wanted.empty()) return out;
    const gdal::TextEncoding text_encoding{encoding, "--encoding"};
    auto ds = gdal::open_vector(path, text_encoding);
    // Smallest layers first (a GeoPackage knows its counts without reading): the parents' own
    // layer is usually far smaller than the layer mapped.
    std::vector<std::pair<GIntBig, int>> order;
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* layer = ds->GetLayer(i);
        if (layer == nullptr || skip_layer == layer->GetName()) continue;
        const GIntBig count = layer->GetFeatureCount(FALSE);
        order.emplace_back(count < 0 ? std::numeric_limits<GIntBig>::max() : count, i);
    }
    std::stable_sort(order.begin(), order.end());
    for (const auto& [count, i] : order) {
        OGRLayer& layer = *ds->GetLayer(i);
        const std::string where = path + ": layer " + layer.GetName();
        int id_index = -1, name_index = -1;
        try {
            id_index = gdal::find_field(layer, where, "", {"kode", "code", "kode_wilayah", "region_code", "id"}, "id", false);
            name_index = gdal::find_field(layer, where, "", {"nama", "name", "nama_wilayah", "region_name"}, "name", false);
        } catch (const InputError&) {
            continue; // several candidate fields: this layer does not say which holds the names
        }
        if (id_index < 0 || name_index < 0) continue;
        const OGRFeatureDefn* defn = layer.GetLayerDefn();
        CPLStringList ignored;
        for (int f = 0; f < defn->GetFieldCount(); ++f)
            if (f != id_index && f != name_index) ignored.AddString(defn->GetFieldDefn(f)->GetNameRef());
        ignored.AddString("OGR_GEOMETRY");
        ignored.AddString("OGR_STYLE");
        layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
        const gdal::TextDecoder text(*ds, layer, where, text_encoding);
        layer.ResetReading();
        for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
            const std::string code = text.text(*f, id_index);
            if (wanted.erase(code) == 1) out.emplace(code, text.text(*f, name_index));
        }
        if (wanted.empty()) break;
    }
    return out;
}

void name_parents(ParentRegions& parents, const std::map<std::string, std::string>& names) {
    parents.names.clear();
    for (const auto& c : parents.codes) {
        const auto it = names.find(c);
        if (it == names.end()) {
            parents.names.clear();
            return;
        }
        parents.names.push_back(it->second);
    }
}

ParentRegions default_parents(const RegionTable& regions, const std::string& encoding) {
    const int level = default_parent_level(regions.codes, regions.ids);
    if (level < 1) return {};
    ParentRegions out = parent_regions(regions.shapes, regions.codes, regions.ids, level);
    name_parents(out, names_in_other_layers(regions.source, regions.layer, out.codes, encoding));
    return out;
}

std::vector<std::string> table_groups(const CodeStructure& cs, const std::vector<std::string>& codes, std::size_t max_groups) {
    if (!cs.nests()) return {};
    std::vector<std::string> parent(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) parent[i] = cs.parent(codes[i]);
    auto count = [&] { return std::set<std::string>(parent.begin(), parent.end()).size(); };
    for (int up = 0; up < 8 && count() > max_groups; ++up) // one level up while there are too many
        for (auto& p : parent)
            if (std::string q = cs.parent(p); !q.empty()) p = std::move(q);
    if (std::all_of(parent.begin(), parent.end(), [](const std::string& p) { return p.empty(); })) return {};
    return parent;
}

std::string level_and_code(const CodeStructure& cs, const std::string& code, bool indonesian) {
    std::string level = cs.level_name(cs.level(code));
    if (indonesian && cs.kind() == CodeStructure::Kind::kemendagri) {
        if (level == "province") level = "provinsi";
        if (level == "village") level = "desa";
    }
    return level.empty() ? code : level + " " + code;
}

} // namespace cakupan
