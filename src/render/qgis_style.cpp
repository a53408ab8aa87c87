#include "cakupan/render/qgis_style.hpp"

#include "cakupan/io/number_text.hpp"
#include "legend.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan::render {

namespace {

// XML text and attribute escaping.
std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

int byte(double c) { return static_cast<int>(std::lround(std::clamp(c, 0.0, 1.0) * 255)); }

// QGIS writes colours as "r,g,b,a" with 0..255 components.
std::string qgis_colour(const Rgb& c) {
    return std::to_string(byte(c.r)) + "," + std::to_string(byte(c.g)) + "," + std::to_string(byte(c.b)) + ",255";
}

// The outline width of the maps in millimetres, as QGIS's default polygon outline.
constexpr const char* kOutlineMm = "0.26";

std::string prop(const std::string& k, const std::string& v) { return "          <prop k=\"" + k + "\" v=\"" + esc(v) + "\"/>\n"; }

} // namespace

LayerStyle coverage_layer_style(const RunSummary& summary, std::size_t variant, Lang lang) {
    // As the variant's own coverage map (run_maps.cpp, MapKind::coverage with default options): a
    // single map is classified on its own values.
    MapStyle style;
    style.format = ValueFormat::percent;
    std::vector<double> values;
    for (const auto& g : summary.variants.at(variant).regions) values.push_back(g.coverage_end.p50);
    const MapClasses classes = classify_panels({values}, style);
    const auto entries = legend_entries(classes, {}, 0, style.format, lang);
    LayerStyle out;
    out.field = "coverage_p50";
    const auto& b = classes.classification.breaks;
    for (std::size_t k = 0; k + 1 < b.size() && k < classes.colours.size(); ++k)
        out.ranges.push_back({b[k], b[k + 1], classes.colours[k], k < entries.size() ? entries[k].range : std::string()});
    return out;
}

std::string style_qml(const LayerStyle& style) {
    std::string x = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                    "<qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology\">\n"
                    "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" + esc(style.field) +
                    "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n"
                    "    <ranges>\n";
    for (std::size_t k = 0; k < style.ranges.size(); ++k) {
        const StyleRange& r = style.ranges[k];
        x += "      <range lower=\"" + shortest_text(r.lower) + "\" upper=\"" + shortest_text(r.upper) + "\" symbol=\"" +
             std::to_string(k) + "\" label=\"" + esc(r.label) + "\" render=\"true\"/>\n";
    }
    x += "    </ranges>\n    <symbols>\n";
    for (std::size_t k = 0; k < style.ranges.size(); ++k) {
        x += "      <symbol type=\"fill\" name=\"" + std::to_string(k) + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
             "        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
        x += prop("color", qgis_colour(style.ranges[k].colour));
        x += prop("joinstyle", "round");
        x += prop("outline_color", qgis_colour(style.outline));
        x += prop("outline_style", "solid");
        x += prop("outline_width", kOutlineMm);
        x += prop("outline_width_unit", "MM");
        x += prop("style", "solid");
        x += "        </layer>\n      </symbol>\n";
    }
    x += "    </symbols>\n"
         "    <mode name=\"manual\"/>\n"
         "  </renderer-v2>\n"
         "  <blendMode>0</blendMode>\n"
         "  <featureBlendMode>0</featureBlendMode>\n"
         "  <layerGeometryType>2</layerGeometryType>\n"
         "</qgis>\n";
    return x;
}

std::string style_sld(const LayerStyle& style, const std::string& layer) {
    const std::string f = esc(style.field);
    auto compare = [&](const char* op, double v) {
        return std::string("            <ogc:") + op + ">\n              <ogc:PropertyName>" + f +
               "</ogc:PropertyName>\n              <ogc:Literal>" + shortest_text(v) + "</ogc:Literal>\n            </ogc:" + op + ">\n";
    };
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
                    "xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
                    "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
                    "  <NamedLayer>\n    <se:Name>" + esc(layer) + "</se:Name>\n    <UserStyle>\n      <se:Name>" + esc(layer) +
                    "</se:Name>\n      <se:FeatureTypeStyle>\n";
    for (std::size_t k = 0; k < style.ranges.size(); ++k) {
        const StyleRange& r = style.ranges[k];
        // The first class is closed below; later ones open below, as the map classifies.
        x += "        <se:Rule>\n          <se:Name>" + esc(r.label) + "</se:Name>\n          <se:Description>\n            <se:Title>" +
             esc(r.label) + "</se:Title>\n          </se:Description>\n          <ogc:Filter>\n           <ogc:And>\n";
        x += compare(k == 0 ? "PropertyIsGreaterThanOrEqualTo" : "PropertyIsGreaterThan", r.lower);
        x += compare("PropertyIsLessThanOrEqualTo", r.upper);
        x += "           </ogc:And>\n          </ogc:Filter>\n          <se:PolygonSymbolizer>\n"
             "            <se:Fill>\n              <se:SvgParameter name=\"fill\">" + r.colour.hex() +
             "</se:SvgParameter>\n            </se:Fill>\n            <se:Stroke>\n              <se:SvgParameter name=\"stroke\">" +
             style.outline.hex() + "</se:SvgParameter>\n              <se:SvgParameter name=\"stroke-width\">1</se:SvgParameter>\n"
             "              <se:SvgParameter name=\"stroke-linejoin\">round</se:SvgParameter>\n            </se:Stroke>\n"
             "          </se:PolygonSymbolizer>\n        </se:Rule>\n";
    }
    x += "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
    return x;
}

std::string parent_outline_qml() {
    std::string x = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                    "<qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"1\">\n"
                    "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n"
                    "    <symbols>\n"
                    "      <symbol type=\"fill\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                    "        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
    x += prop("color", "0,0,0,0");
    x += prop("joinstyle", "round");
    x += prop("outline_color", "38,38,38,255");
    x += prop("outline_style", "solid");
    x += prop("outline_width", "0.78"); // three times the regions' 0.26 mm, as on the maps
    x += prop("outline_width_unit", "MM");
    x += prop("style", "no");
    x += "        </layer>\n      </symbol>\n    </symbols>\n  </renderer-v2>\n"
         "  <labeling type=\"simple\">\n"
         "    <settings calloutType=\"simple\">\n"
         "      <text-style fieldName=\"name\" isExpression=\"0\" fontSize=\"8\" fontSizeUnit=\"Point\" textColor=\"38,38,38,255\" textOpacity=\"1\">\n"
         "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"1\"/>\n"
         "      </text-style>\n"
         "      <placement placement=\"1\" centroidInside=\"1\" fitInPolygonOnly=\"0\"/>\n"
         "      <rendering obstacle=\"1\" displayAll=\"0\" upsidedownLabels=\"0\"/>\n"
         "    </settings>\n"
         "  </labeling>\n"
         "  <blendMode>0</blendMode>\n"
         "  <featureBlendMode>0</featureBlendMode>\n"
         "  <layerGeometryType>2</layerGeometryType>\n"
         "</qgis>\n";
    return x;
}

std::string parent_outline_sld(const std::string& layer) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
           "xmlns:se=\"http://www.opengis.net/se\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
           "xsi:schemaLocation=\"http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
           "  <NamedLayer>\n    <se:Name>" + esc(layer) + "</se:Name>\n    <UserStyle>\n      <se:Name>" + esc(layer) +
           "</se:Name>\n      <se:FeatureTypeStyle>\n        <se:Rule>\n          <se:Name>" + esc(layer) +
           "</se:Name>\n          <se:PolygonSymbolizer>\n            <se:Stroke>\n"
           "              <se:SvgParameter name=\"stroke\">#262626</se:SvgParameter>\n"
           "              <se:SvgParameter name=\"stroke-width\">3</se:SvgParameter>\n"
           "              <se:SvgParameter name=\"stroke-linejoin\">round</se:SvgParameter>\n"
           "            </se:Stroke>\n          </se:PolygonSymbolizer>\n"
           "          <se:TextSymbolizer>\n            <se:Label>\n              <ogc:PropertyName>name</ogc:PropertyName>\n"
           "            </se:Label>\n            <se:Halo>\n              <se:Radius>2</se:Radius>\n              <se:Fill>\n"
           "                <se:SvgParameter name=\"fill\">#ffffff</se:SvgParameter>\n              </se:Fill>\n"
           "            </se:Halo>\n            <se:Fill>\n              <se:SvgParameter name=\"fill\">#262626</se:SvgParameter>\n"
           "            </se:Fill>\n          </se:TextSymbolizer>\n        </se:Rule>\n"
           "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
}

} // namespace cakupan::render
