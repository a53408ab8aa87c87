// QGIS styles for the layers of regions.gpkg: a graduated renderer with the classes and colours of
// the run's coverage maps, as QML (what QGIS loads) and SLD 1.1 (what other GIS read), stored in
// the GeoPackage's `layer_styles` table so that QGIS opens each variant with the map's picture.
#pragma once

#include "cakupan/render/lang.hpp"
#include "cakupan/render/map_style.hpp"
#include "cakupan/run/run_reader.hpp"

#include <string>
#include <vector>

namespace cakupan::render {

struct StyleRange {
    double lower = 0, upper = 0; // lower <= v <= upper; a value on a break belongs to the lower class
    Rgb colour;
    std::string label;           // the map legend's range, e.g. "27,24% – 31,00%"
};

struct LayerStyle {
    std::string field;             // the attribute classified, e.g. coverage_p50
    std::vector<StyleRange> ranges;
    Rgb outline{0.45, 0.45, 0.45}; // the outline grey of the maps
};

// The style of a variant's coverage map: the median end coverage (field coverage_p50) in the
// classes of that variant's own map, with the default map options.
LayerStyle coverage_layer_style(const RunSummary& summary, std::size_t variant, Lang lang);

// A QGIS layer style document (<qgis> with a graduatedSymbol renderer), XML.
std::string style_qml(const LayerStyle& style);
// The same classes as an SLD 1.1.0 StyledLayerDescriptor for the layer `layer`, XML.
std::string style_sld(const LayerStyle& style, const std::string& layer);

// The `parents` layer as the maps draw it: no fill, dark outlines three times the regions' width,
// each named (field `name`) in dark grey with a white halo. QML and SLD 1.1.0.
std::string parent_outline_qml();
std::string parent_outline_sld(const std::string& layer);

} // namespace cakupan::render
