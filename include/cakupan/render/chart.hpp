// Charts drawn on a Canvas: plain data in, file bytes out. Three kinds cover what the run,
// the report and the sensitivity studies need: time series with shaded bands and reference
// marks, bar charts (grouped, signed, with optional error bars), and labelled scatters.
// Fixed texts (titles, labels) are the caller's, already in the chosen language; the chart
// itself writes only numbers, formatted for `lang`. No global state: same input, same bytes.
#pragma once

#include "cakupan/render/canvas.hpp"
#include "cakupan/render/lang.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cakupan::render {

// How numbers on a value axis (and in value labels) are written.
enum class AxisKind {
    number,  // 1.234,5 / 1,234.5
    percent, // values are shares: 0.2724 -> 27,24% / 27.24%
    rupiah,  // Rp1.234.000 (large values shortened on axes: Rp1,2 M / Rp1.2 M)
};

// One number written as an axis would write it; `step` is the tick spacing so decimals follow
// the spacing (a step of 0.0025 on a percent axis gives 27,25%).
std::string format_axis_value(Lang lang, AxisKind kind, double v, double step);

// Round tick positions covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about
// `target` of them; the first tick <= lo and the last >= hi.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

struct Axis {
    std::string label;
    AxisKind kind = AxisKind::number;
    std::optional<double> min, max; // fixed limits; otherwise from the data (and 0 for bars)
};

// Texts around every chart.
struct ChartText {
    std::string title;
    std::string subtitle;
    std::string source; // note at the bottom left, e.g. "Source: Cakupan run babel-2025, seed 20250101"
};

// ---- time series ---------------------------------------------------------------------------

// One line over dates, optionally with a band (e.g. p5-p95) drawn as a translucent polygon.
struct Series {
    std::string label;            // legend entry
    std::vector<double> y;        // one value per date; NaN leaves a gap
    std::vector<double> band_lo;  // empty or same size as y
    std::vector<double> band_hi;  // empty or same size as y
    int colour = -1;              // index into the chart palette; -1 = the series' position
    bool dashed = false;
    bool line = true;     // false: no line (observations shown as points only)
    bool markers = false; // a dot at each finite value (observations)
    bool hollow = false;  // markers as rings (e.g. observations held out of a fit)
};

struct LineChart {
    ChartText text;
    std::vector<std::string> dates; // ISO dates "2025-01-31", the x axis (evenly spaced by index)
    std::vector<Series> series;
    Axis y;
    std::optional<double> reference;   // horizontal line (the target)
    std::string reference_label;       // e.g. "target 30,00%"
    std::optional<std::string> marker; // ISO date of a vertical line (the deadline)
    std::string marker_label;
    std::string x_label;
};

// ---- bars ----------------------------------------------------------------------------------

// One group of bars per category; one bar per BarSeries in each group. Bars grow from `origin`
// (0 unless given): values below it go below (or left of) the origin line, so losses read as
// losses, and a tornado's low and high ends grow from the base value.
struct BarSeries {
    std::string label;             // legend entry (no legend when there is one series without a label)
    std::vector<double> values;    // one per category; NaN draws nothing
    std::vector<double> err_lo;    // empty or one per category: whisker from err_lo to err_hi
    std::vector<double> err_hi;
    int colour = -1;
};

struct BarChart {
    ChartText text;
    std::vector<std::string> categories;
    std::vector<BarSeries> series;
    Axis value_axis;
    bool horizontal = false;    // categories down the left (tornado charts, long names)
    bool value_labels = false;  // write each bar's value at its end
    std::optional<double> reference; // a line across the value axis (e.g. 0 effect, a baseline)
    std::string reference_label;
    std::optional<double> origin;    // where bars start; 0 when not given (then 0 is on the axis)
};

// ---- scatter -------------------------------------------------------------------------------

struct ScatterPoint {
    double x = 0, y = 0;
    std::string label; // written beside the point; empty for none
    int colour = 0;
};

struct ScatterChart {
    ChartText text;
    std::vector<ScatterPoint> points;
    Axis x, y;
    // Lines through the origin y = k x (Morris: sigma/mu* = 0.1, 0.5, 1), each with a label.
    std::vector<double> ratio_lines;
};

// Default page for a chart: 16 x 10 cm at 300 dpi.
PageSize default_chart_page();

std::string render_line_chart(const LineChart& chart, Format format, PageSize page, Lang lang);
std::string render_bar_chart(const BarChart& chart, Format format, PageSize page, Lang lang);
std::string render_scatter_chart(const ScatterChart& chart, Format format, PageSize page, Lang lang);

// The fixed colours of chart series (colour-blind safe, prints in grey distinguishably);
// index wraps. Each as "#rrggbb".
std::string chart_colour(int index);

} // namespace cakupan::render
