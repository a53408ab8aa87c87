// Private helpers around GDAL/OGR: opening datasets with clear errors, layer and field lookup.
// Kept out of include/ so that the public headers need neither GDAL nor OpenMP.
#pragma once

#include "cakupan/geo/shapes.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

namespace cakupan::gdal {

// Closes the dataset, then removes the in-memory copy it was opened from, if any.
struct DatasetCloser {
    std::string memory_copy; // /vsimem/ path, or ""
    void operator()(GDALDataset* ds) const;
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

// How text fields become UTF-8: GDAL's own recoding (a Shapefile's .cpg or code page byte), else
// the encoding the user names for text that is not UTF-8.
struct TextEncoding {
    std::string name;                   // "latin1", "cp1252", ...; "" = none named
    std::string option = "--encoding";  // how the user names it, for messages ("data.encoding")
};

// Opens a vector dataset read-only; throws InputError naming the file and GDAL's reason. A Shapefile
// is opened with GDAL's ENCODING option when an encoding is named. A one-column CSV, which GDAL's CSV
// driver refuses for want of a separator, is read through an in-memory copy with one added.
DatasetPtr open_vector(const std::string& path, const TextEncoding& encoding = {});

// Whether `path` is a CSV file whose header is separated by ';' (how spreadsheets in locales with a
// decimal comma write CSV).
bool semicolon_separated(GDALDataset& ds, const std::string& path);

// Reads text fields of one layer as UTF-8, or refuses them with the file, field, feature, the bytes
// and the fix. The layer's field names are checked when it is made.
class TextDecoder {
public:
    TextDecoder(GDALDataset& ds, OGRLayer& layer, std::string where, TextEncoding encoding);
    std::string text(OGRFeature& feature, int index) const;
    const std::vector<std::string>& fields() const { return fields_; } // the layer's field names, UTF-8
    // `raw` as UTF-8 (recoded from the named encoding when it is not); `place` says where it was read,
    // after the file, or in full when `file_in_place` ("data.csv:4:2: 'workers'").
    std::string decode(const std::string& raw, const std::string& place, bool file_in_place = false) const;

private:
    std::string where_;
    TextEncoding encoding_;
    bool recode_ = false;   // recode text that is not UTF-8 from encoding_.name (GDAL did not)
    bool shapefile_ = false;
    std::vector<std::string> fields_;
};

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

// Part `part` of `shapes` (its shell and holes) as an OGR polygon.
OGRPolygon part_polygon(const ShapeSet& shapes, std::size_t part);

// The polygons of `g` (a polygon, multipolygon or collection holding them; null: none) appended to
// the current region of `out` as parts; holes under `min_hole` of their shell's area left out.
void append_polygons(const OGRGeometry* g, ShapeSet& out, double min_hole = 0);

} // namespace cakupan::gdal
