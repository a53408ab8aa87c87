// What `cakupan info` shows about a file: its layers, fields, CRS, extent and geometry health.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cakupan {

struct FieldInfo {
    std::string name;
    std::string type; // OGR type name: String, Integer, Real, ...
};

struct LayerInfo {
    std::string name;
    std::string geometry_type;   // "None" for tables
    long long feature_count = 0;
    std::vector<FieldInfo> fields;
    std::string crs;             // "" when none is declared
    bool has_extent = false;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0; // in the layer's CRS
    long long vertex_count = 0;
    long long null_geometries = 0;    // features without geometry
    long long empty_geometries = 0;   // geometry present but empty
    long long invalid_geometries = 0; // not valid by GEOS rules (repairable with MakeValid)
    long long non_utf8_values = 0;    // text values that are not UTF-8, even with the encoding named
    std::string first_non_utf8;       // the first of them: where, the bytes and the fix
};

struct DatasetInfo {
    std::string path;
    std::string driver;
    std::vector<LayerInfo> layers;
};

// Reads every feature of every layer (or only `layer`) to count vertices, bad geometries and text
// that is not UTF-8 (recoded from `encoding` when named). InputError for field or layer names that
// are not UTF-8.
DatasetInfo describe_dataset(const std::string& path, const std::string& layer = "", const std::string& encoding = "");

std::string to_text(const DatasetInfo& info);
std::string to_json(const DatasetInfo& info);

} // namespace cakupan
