// Shared pieces of every chart: fonts, colours, text, the frame (title, legend, source note)
// and linear scales. Private to the renderer; Cairo is included here, never in public headers.
#pragma once

#include "cakupan/render/chart.hpp"

#include <cairo.h>

#include <string>
#include <vector>

namespace cakupan::render::chart_detail {

struct Colour {
    double r, g, b;
};
Colour series_colour(int index);
void set_colour(cairo_t* cr, Colour c, double alpha = 1.0);

inline constexpr const char* kFont = "DejaVu Sans";
inline constexpr double kTitleSize = 11.0;
inline constexpr double kSubtitleSize = 8.0;
inline constexpr double kLabelSize = 7.5;
inline constexpr double kTickSize = 7.0;
inline constexpr double kSourceSize = 6.0;

enum class Anchor { left, centre, right };

void set_font(cairo_t* cr, double size, bool bold = false);
double text_width(cairo_t* cr, const std::string& s);
// Draws `s` with its baseline at y, anchored horizontally at x.
void draw_text(cairo_t* cr, const std::string& s, double x, double y, Anchor anchor);
// `s` shortened with "..." to fit `width` at the current font.
std::string fit_text(cairo_t* cr, const std::string& s, double width);

// Maps a data interval onto a pixel interval.
struct Scale {
    double d0 = 0, d1 = 1, p0 = 0, p1 = 1;
    double operator()(double v) const { return p0 + (v - d0) / (d1 - d0) * (p1 - p0); }
};

struct LegendItem {
    std::string label;
    Colour colour;
    enum Kind { line, band_line, box, dot } kind = box;
    bool dashed = false;
};

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
};

// Draws title, subtitle, legend (wrapped in rows under the subtitle) and source note; returns
// the space left for the axes and plot.
Rect draw_frame(cairo_t* cr, double width, double height, const ChartText& text, const std::vector<LegendItem>& legend);

// Value-axis limits and ticks: the data range widened to round ticks, fixed limits respected.
struct Ticks {
    double lo = 0, hi = 1, step = 1;
    std::vector<double> values;
};
Ticks axis_ticks(double data_lo, double data_hi, const Axis& axis, int target = 6);

// Ticks whose labels fit along an axis `length` points long: the round ticks nearest `target`
// in number whose neighbouring labels keep a gap (their widths along a horizontal axis, the
// font's height along a vertical one), so labels never run together.
Ticks fitting_ticks(cairo_t* cr, double data_lo, double data_hi, const Axis& axis, Lang lang, double length, bool along_x,
                    int target = 6);

// Widest tick label of the axis, for the margin.
double tick_label_width(cairo_t* cr, const Ticks& ticks, const Axis& axis, Lang lang);

void stroke_line(cairo_t* cr, double x0, double y0, double x1, double y1, double width, Colour c, bool dashed = false);

// Time axis of line charts: days since 1970-01-01 of an ISO date ("2025-06-30"), or -1e300 when
// the text is not one.
double day_number(std::string_view iso);
// Ticks on the first day of a month (every 1, 2, 3, 6 or 12 months, at most 7) between the first
// and last date, so "Jun 2025" stands at 1 June, not at the end-of-June data point.
struct DateTick {
    double day = 0;
    std::string label;
};
std::vector<DateTick> month_ticks(const std::vector<std::string>& dates, Lang lang);

inline constexpr Colour kInk{0.15, 0.15, 0.15};
inline constexpr Colour kGrid{0.86, 0.86, 0.86};
inline constexpr Colour kMuted{0.42, 0.42, 0.42};
inline constexpr Colour kReference{0.75, 0.11, 0.11};

} // namespace cakupan::render::chart_detail
