// A choropleth map as data: what to draw (MapSpec), where every text and box goes (MapLayout,
// computed before drawing so every fixed text can be checked), and the drawing itself.
#pragma once

#include "cakupan/render/canvas.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/render/map_style.hpp"
#include "cakupan/render/projection.hpp"

#include <string>
#include <vector>

namespace cakupan::render {

struct MapPanel {
    std::string title;          // "" for a single map
    std::vector<double> values; // one per region, NaN = no data
};

struct MapSpec {
    std::vector<std::string> names; // region names, for labels
    std::vector<MapPanel> panels;   // one, or several as small multiples on shared classes
    MapStyle style;
    std::string title, subtitle;
    std::string legend_title;
    std::string source;             // source note, e.g. the file and field
    bool labels = true;             // name the regions when there are few (<= 40) on a single map
    // Regions of a coarser level drawn over the choropleth with thicker outlines (planar, as the
    // map's shapes; dissolve_regions makes them), e.g. the kecamatan of a village map. On a single
    // map with too many regions to name, their names are the labels.
    ShapeSet parent_outlines;
    std::vector<std::string> parent_names; // one per parent region
    // Under the legend title: how the classes were made when they are shared by a set of maps
    // ("classes shared by every variant"). Small multiples without one get "same classes in
    // every panel". A map with a note keeps its empty classes, so the set's legends agree.
    std::string classes_note;
};

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    bool overlaps(const Rect& o) const { return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h; }
    bool contains(const Rect& o) const { return o.x >= x && o.y >= y && o.x + o.w <= x + w && o.y + o.h <= y + h; }
};

struct LegendEntry {
    std::string label;  // "27,24% – 31,00% (12)" style range with the count
    std::string range;  // the range alone
    std::size_t count = 0;
    Rgb colour;
    bool no_data = false;
    Rect swatch;
};

struct RegionLabel {
    std::size_t region = 0;
    std::string text;
    double x = 0, y = 0; // baseline start, page points
    Rect box;
};

struct PanelLayout {
    std::string title;
    Rect frame;
    PageTransform transform;
    std::vector<std::size_t> counts; // per class
    std::size_t no_data = 0;
    std::vector<RegionLabel> labels;
};

struct TextBox {
    std::string text;
    double x = 0, y = 0, size = 8; // baseline start, font size in points
    bool bold = false;
};

struct MapLayout {
    double width = 0, height = 0; // points
    MapClasses classes;
    TextBox title, subtitle, legend_title, legend_note, source, scale_label, north_letter;
    TextBox legend_note_more; // the rest of a note too long for one line of the legend column
    std::vector<TextBox> panel_titles;
    // Classes then the no-data entry (when any region lacks data). Classes no region falls in
    // are left out unless the breaks were given (manual or fixed) or the map is one of a set.
    std::vector<LegendEntry> legend;
    std::vector<PanelLayout> panels;
    double outline_width = 0.25;    // points
    double legend_size = 8, label_size = 6; // font sizes, points
    double scale_x = 0, scale_y = 0, scale_length = 0; // scale bar, page points
    double scale_metres = 0;
    double north_x = 0, north_y = 0, north_size = 0; // arrow centre and height
    double north_angle = 0;
    PageSize page;            // the page laid out on, with both sides resolved
    double legend_bottom = 0; // below the last legend entry, page points
    std::size_t columns = 1;  // of the grid of panels

    // Every text on the map, fixed and data-driven, in drawing order.
    std::vector<std::string> texts() const;
};

// `size` with a side of 0 resolved so the mapped extent fills the map frame (no empty bands
// above and below a wide province): the longer side of the extent gets 2000 px when both are 0.
// The free side stays within 0.4 to 2.5 times the other and leaves room for the legend. A page
// with turn_to_extent is first turned so its long side lies along the extent's.
PageSize page_for_map(const MapSpec& spec, const PlanarShapes& shapes, PageSize size);

// Classes, texts and boxes for the page (page_for_map first). Lang picks the fixed texts and
// the number format. Header, footer and legend column depend on the page alone, so maps of one
// set on one page share their frame and scale.
MapLayout layout_map(const MapSpec& spec, const PlanarShapes& shapes, PageSize size, Lang lang);

// Draws a laid-out map; returns the file's bytes.
std::string draw_map(const MapSpec& spec, const PlanarShapes& shapes, const MapLayout& layout, Format format,
                     PageSize size);

// layout_map then draw_map.
std::string render_map(const MapSpec& spec, const PlanarShapes& shapes, Format format, PageSize size, Lang lang);

// The text of a value in the map's format ("27,24%", "+3,10 pp", "1.234,5").
std::string format_value(ValueFormat format, Lang lang, double v, int decimals);

} // namespace cakupan::render
