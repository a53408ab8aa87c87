#include "gdal_support.hpp"

#include "cakupan/error.hpp"
#include "cakupan/suggest.hpp"

#include <filesystem>
#include <mutex>
#include <strings.h>

namespace cakupan::gdal {

void register_drivers() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

ErrorCapture::ErrorCapture() { CPLPushErrorHandlerEx(&ErrorCapture::handler, this); }
ErrorCapture::~ErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL ErrorCapture::handler(CPLErr level, CPLErrorNum, const char* message) {
    if (level < CE_Warning) return;
    auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
    if (self == nullptr) return;
    self->messages_.emplace_back(message ? message : "");
    if (level >= CE_Failure) self->failures_.emplace_back(message ? message : "");
}

std::vector<std::string> ErrorCapture::take_failures() {
    std::vector<std::string> out;
    out.swap(failures_);
    return out;
}

namespace {
bool is_virtual(const std::string& path) { return path.rfind("/vsi", 0) == 0; }

std::string missing_sidecar(const std::string& path) {
    // A shapefile without its .dbf opens in GDAL with no attributes at all; say so plainly.
    const std::filesystem::path p(path);
    auto ext = p.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".shp") return {};
    for (const char* side : {".dbf", ".DBF"}) {
        auto q = p;
        q.replace_extension(side);
        if (std::filesystem::exists(q)) return {};
    }
    auto q = p;
    q.replace_extension(".dbf");
    return q.filename().string();
}
} // namespace

DatasetPtr open_vector(const std::string& path) {
    register_drivers();
    if (!is_virtual(path)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) throw InputError(path + ": file not found");
        if (std::filesystem::is_directory(path, ec) && std::filesystem::is_empty(path, ec))
            throw InputError(path + ": directory is empty");
        const auto dbf = missing_sidecar(path);
        if (!dbf.empty())
            throw InputError(path + ": shapefile is missing its attribute table " + dbf +
                             " (a shapefile needs .shp, .shx and .dbf side by side)");
    }
    ErrorCapture capture;
    GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                        nullptr, nullptr, nullptr);
    if (ds == nullptr) {
        std::string why = capture.last();
        if (why.empty() || why.find("not recognized as a supported file format") != std::string::npos)
            why = "not a vector format GDAL can read";
        throw InputError(path + ": cannot open: " + why);
    }
    return DatasetPtr(ds);
}

OGRLayer& select_layer(GDALDataset& ds, const std::string& path, const std::string& name) {
    std::vector<std::string> names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) names.emplace_back(ds.GetLayer(i)->GetName());
    if (names.empty()) throw InputError(path + ": holds no vector layer");
    if (name.empty()) {
        if (names.size() == 1) return *ds.GetLayer(0);
        throw InputError(path + ": holds " + std::to_string(names.size()) + " layers, choose one with --layer: " +
                         join_list(names));
    }
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        if (names[static_cast<std::size_t>(i)] == name) return *ds.GetLayer(i);
    throw InputError(path + ": no layer '" + name + "'" + did_you_mean(name, names) + "; layers: " +
                     join_list(names));
}

std::string describe_crs(const OGRSpatialReference& srs) {
    std::string out = srs.GetName() ? srs.GetName() : "unnamed CRS";
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code) out += std::string(" (") + auth + ":" + code + ")";
    return out;
}

std::vector<std::string> field_names(OGRLayer& layer) {
    std::vector<std::string> names;
    const OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

int find_field(OGRLayer& layer, const std::string& where, const std::string& requested,
               const std::vector<std::string>& candidates, const std::string& role, bool required) {
    const auto names = field_names(layer);
    if (!requested.empty()) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == requested) return static_cast<int>(i);
        throw InputError(where + ": no " + role + " field '" + requested + "'" + did_you_mean(requested, names) +
                         "; fields: " + (names.empty() ? std::string("(none)") : join_list(names)));
    }
    std::vector<int> hits;
    for (const auto& candidate : candidates) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (strcasecmp(names[i].c_str(), candidate.c_str()) == 0) hits.push_back(static_cast<int>(i));
        if (!hits.empty()) break; // candidates are in order of preference
    }
    if (hits.size() == 1) return hits.front();
    if (hits.size() > 1)
        throw InputError(where + ": several fields could be the " + role + " field; choose one with --" + role +
                         "-field: " + join_list(names));
    if (!required) return -1;
    throw InputError(where + ": cannot tell which field holds the " + role + "; choose one with --" + role +
                     "-field; fields: " + (names.empty() ? std::string("(none)") : join_list(names)));
}

} // namespace cakupan::gdal
