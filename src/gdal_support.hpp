// Private helpers around GDAL/OGR: opening datasets with clear errors, layer and field lookup.
// Kept out of include/ so that the public headers need neither GDAL nor OpenMP.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

namespace cakupan::gdal {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

// Registers the drivers once per process (GDAL's registry is process-wide by design).
void register_drivers();

// Collects GDAL's error messages while alive instead of letting GDAL print them.
class ErrorCapture {
public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;
    const std::vector<std::string>& messages() const { return messages_; }
    std::string last() const { return messages_.empty() ? std::string() : messages_.back(); }
    // Messages of level CE_Failure or worse since the last call, then forgets them.
    std::vector<std::string> take_failures();

private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum number, const char* message);
    std::vector<std::string> messages_;
    std::vector<std::string> failures_;
};

// Opens a vector dataset read-only; throws InputError naming the file and GDAL's reason.
DatasetPtr open_vector(const std::string& path);

// The named layer, or the only one; throws InputError listing the layers otherwise.
OGRLayer& select_layer(GDALDataset& ds, const std::string& path, const std::string& name);

std::vector<std::string> field_names(OGRLayer& layer);

// "WGS 84 (EPSG:4326)": the CRS name with its authority code when it has one.
std::string describe_crs(const OGRSpatialReference& srs);

// Index of `requested`, or when it is empty the single field whose name matches one of
// `candidates` (case-insensitive). Throws InputError listing the fields when not found.
// Returns -1 only when `requested` is empty, nothing matches and `required` is false.
int find_field(OGRLayer& layer, const std::string& where, const std::string& requested,
               const std::vector<std::string>& candidates, const std::string& role, bool required);

} // namespace cakupan::gdal
