#include "geo/layer_codes.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <set>

namespace cakupan {

namespace {

// Ids that have no level in a declared structure, named with what would fit.
void check_ids_fit(const CodeStructure& codes, const std::string& where, const std::string& id_field,
                   const std::vector<std::string>& ids) {
    std::vector<std::string> misfits;
    for (const auto& id : ids)
        if (codes.level(id) == 0) misfits.push_back(id);
    if (misfits.empty()) return;
    std::string what;
    switch (codes.kind()) {
    case CodeStructure::Kind::kemendagri: what = "Kemendagri codes (NN, NN.NN, NN.NN.NN or NN.NN.NN.NNNN)"; break;
    case CodeStructure::Kind::prefix: what = "codes of one of the declared lengths (" + codes.rule() + ")"; break;
    case CodeStructure::Kind::separator: what = "codes of non-empty parts separated by " + codes.rule(); break;
    case CodeStructure::Kind::parent_field: what = "codes whose chain of parents in " + codes.parent_field_name() + " ends"; break;
    case CodeStructure::Kind::flat: return;
    }
    throw InputError(where + ": " + std::to_string(misfits.size()) + " id(s) in field '" + id_field + "' are not " + what +
                     ": " + join_list(misfits, 10));
}

} // namespace

LayerCodes read_code_structure(OGRLayer& layer, const std::string& where, int id_index, const CodeSpec& spec) {
    const int parent_index =
        spec.parent_field.empty() ? -1 : gdal::find_field(layer, where, spec.parent_field, {}, "parent", true);

    // Attributes only: GeoPackage and Shapefile then skip the geometry blobs.
    const auto names = gdal::field_names(layer);
    std::vector<std::string> ignored = {"OGR_GEOMETRY", "OGR_STYLE"};
    for (std::size_t i = 0; i < names.size(); ++i)
        if (static_cast<int>(i) != id_index && static_cast<int>(i) != parent_index) ignored.push_back(names[i]);
    std::vector<const char*> list;
    for (const auto& n : ignored) list.push_back(n.c_str());
    list.push_back(nullptr);
    layer.SetIgnoredFields(list.data());

    std::vector<std::string> ids;
    std::unordered_map<std::string, std::string> parents;
    const gdal::ErrorCapture quiet; // a feature GDAL cannot read is reported, with its id, by the full read
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        std::string id = f->IsFieldSetAndNotNull(id_index) ? f->GetFieldAsString(id_index) : "";
        if (id.empty()) continue; // the full read names the feature
        if (parent_index >= 0)
            parents.emplace(id, f->IsFieldSetAndNotNull(parent_index) ? f->GetFieldAsString(parent_index) : "");
        ids.push_back(std::move(id));
    }
    layer.SetIgnoredFields(nullptr);
    layer.ResetReading();

    const std::string id_field = layer.GetLayerDefn()->GetFieldDefn(id_index)->GetNameRef();
    CodeStructure codes;
    if (spec.structure == "flat") codes = CodeStructure::flat();
    else if (spec.structure == "kemendagri") codes = CodeStructure::kemendagri();
    else if (!spec.lengths.empty()) codes = CodeStructure::prefix_lengths(spec.lengths);
    else if (!spec.separator.empty()) codes = CodeStructure::separated_by(spec.separator);
    else if (parent_index >= 0) codes = CodeStructure::parent_field(names[static_cast<std::size_t>(parent_index)], std::move(parents));
    else codes = CodeStructure::detect(ids);
    if (spec.declared()) check_ids_fit(codes, where, id_field, ids);
    if (!spec.level_names.empty()) codes.name_levels(spec.level_names);
    return {std::move(codes), std::move(ids)};
}

void check_within(const LayerCodes& layer, const std::string& where, const std::string& within, std::size_t kept) {
    const CodeStructure& codes = layer.codes;
    const std::vector<std::string>& all_ids = layer.ids;
    if (within.empty() || kept > 0) return;
    const std::string declare = "declare how they nest (data.code_levels, data.parent or data.code_separator in a scenario; "
                                "--code-levels, --parent-field or --code-separator on the command line)";
    if (!codes.nests())
        throw InputError(where + ": within '" + within + "': " + codes.describe(all_ids) +
                         ", so no region lies within another; " + declare);
    // Candidates: every code a region lies within.
    std::set<std::string> seen;
    std::vector<std::string> ancestors;
    for (const auto& id : all_ids)
        for (std::string p = codes.parent(id); !p.empty(); p = codes.parent(p))
            if (seen.insert(p).second) ancestors.push_back(p);
    throw InputError(where + ": no region lies within '" + within + "': " + codes.describe(all_ids) +
                     ", and within takes the code of a higher level" + did_you_mean(within, ancestors));
}

} // namespace cakupan
