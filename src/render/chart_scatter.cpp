// Scatter with a label beside each point (Morris mu*-sigma screening: one point per parameter)
// and optional lines y = k x through the origin.
#include "chart_frame.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cakupan::render {

using namespace chart_detail;

std::string render_scatter_chart(const ScatterChart& c, Format format, PageSize page, Lang lang) {
    Canvas canvas(format, page);
    cairo_t* cr = canvas.cr();
    const Rect area = draw_frame(cr, canvas.width(), canvas.height(), c.text, {});

    // Both axes start at zero unless told: mu* and sigma are never negative.
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    for (const auto& p : c.points) {
        if (std::isfinite(p.x)) x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
        if (std::isfinite(p.y)) y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    if (x1 == x0) x1 = x0 + 1;
    if (y1 == y0) y1 = y0 + 1;
    const Ticks xt = axis_ticks(x0, x1, c.x), yt = axis_ticks(y0, y1, c.y);

    const double left = area.x + tick_label_width(cr, yt, c.y, lang) + 6 + (c.y.label.empty() ? 0 : kLabelSize + 6);
    const double right = area.x + area.w - 4;
    const double bottom = area.y + area.h - (kTickSize + 6) - (c.x.label.empty() ? 0 : kLabelSize + 6);
    const double top = area.y;
    const Scale xs{xt.lo, xt.hi, left, right}, ys{yt.lo, yt.hi, bottom, top};

    set_font(cr, kTickSize);
    for (double v : yt.values) {
        stroke_line(cr, left, ys(v), right, ys(v), 0.5, kGrid);
        set_colour(cr, kInk);
        draw_text(cr, format_axis_value(lang, c.y.kind, v, yt.step), left - 4, ys(v) + kTickSize * 0.35, Anchor::right);
    }
    for (double v : xt.values) {
        stroke_line(cr, xs(v), top, xs(v), bottom, 0.5, kGrid);
        set_colour(cr, kInk);
        draw_text(cr, format_axis_value(lang, c.x.kind, v, xt.step), xs(v), bottom + 4 + kTickSize, Anchor::centre);
    }
    set_font(cr, kLabelSize);
    set_colour(cr, kInk);
    if (!c.x.label.empty()) draw_text(cr, c.x.label, (left + right) / 2, area.y + area.h - 2, Anchor::centre);
    if (!c.y.label.empty()) {
        cairo_save(cr);
        cairo_translate(cr, area.x + kLabelSize, (top + bottom) / 2);
        cairo_rotate(cr, -M_PI / 2);
        draw_text(cr, c.y.label, 0, 0, Anchor::centre);
        cairo_restore(cr);
    }

    cairo_save(cr);
    cairo_rectangle(cr, left, top, right - left, bottom - top);
    cairo_clip(cr);
    for (double k : c.ratio_lines) {
        // From the origin to where y = k x leaves the plot.
        const double xe = std::min(xt.hi, k > 0 ? yt.hi / k : xt.hi);
        stroke_line(cr, xs(0), ys(0), xs(xe), ys(k * xe), 0.6, kMuted, true);
        set_font(cr, kTickSize);
        set_colour(cr, kMuted);
        draw_text(cr, "σ/μ* = " + format_number(lang, k, k == std::round(k) ? 0 : 1), xs(xe) - 2, ys(k * xe) + kTickSize + 2,
                  Anchor::right);
    }
    cairo_restore(cr);

    for (const auto& p : c.points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        set_colour(cr, series_colour(p.colour));
        cairo_arc(cr, xs(p.x), ys(p.y), 2.8, 0, 2 * M_PI);
        cairo_fill(cr);
        if (!p.label.empty()) {
            set_font(cr, kTickSize);
            set_colour(cr, kInk);
            const double x = xs(p.x);
            const bool flip = x + 4 + text_width(cr, p.label) > right;
            draw_text(cr, p.label, flip ? x - 4 : x + 4, ys(p.y) - 3, flip ? Anchor::right : Anchor::left);
        }
    }
    stroke_line(cr, left, bottom, right, bottom, 0.8, kInk);
    stroke_line(cr, left, top, left, bottom, 0.8, kInk);
    return canvas.finish();
}

} // namespace cakupan::render
