// Scatter with a label beside each point (Morris mu*-sigma screening: one point per parameter)
// and optional lines y = k x through the origin. Labels never overlap: each goes to the first
// free spot around its point, further out with a leader line when the near ones are taken, and
// is left out (the point stays) when there is no room at all.
#include "chart_frame.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cakupan::render {

using namespace chart_detail;

namespace {

// A label's box in points: top-left corner, width and the font's height.
struct TextBox {
    double x, y, w, h;
};

bool overlaps_any(const TextBox& b, const std::vector<TextBox>& placed) {
    constexpr double gap = 1.0;
    for (const auto& o : placed)
        if (b.x < o.x + o.w + gap && o.x < b.x + b.w + gap && b.y < o.y + o.h + gap && o.y < b.y + b.h + gap) return true;
    return false;
}

bool inside(const TextBox& b, const Rect& r) { return b.x >= r.x && b.y >= r.y && b.x + b.w <= r.x + r.w && b.y + b.h <= r.y + r.h; }

} // namespace

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
    // Margins from a first set of ticks; then ticks whose labels fit the axes' lengths.
    const Ticks x_first = axis_ticks(x0, x1, c.x), y_first = axis_ticks(y0, y1, c.y);
    const double left = area.x + tick_label_width(cr, y_first, c.y, lang) + 6 + (c.y.label.empty() ? 0 : kLabelSize + 6);
    const double right = area.x + area.w - std::max(4.0, tick_label_width(cr, x_first, c.x, lang) / 2 + 1);
    const double bottom = area.y + area.h - (kTickSize + 6) - (c.x.label.empty() ? 0 : kLabelSize + 6);
    const double top = area.y + kTickSize / 2; // the top tick label is centred on its tick
    const Ticks xt = fitting_ticks(cr, x0, x1, c.x, lang, right - left, true);
    const Ticks yt = fitting_ticks(cr, y0, y1, c.y, lang, bottom - top, false);
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

    // Labels are placed one by one where they overlap no label placed before and stay inside
    // the plot: the ratio lines' first, then the points' in order of distance from the origin
    // (the important parameters), each at the first free spot around its point.
    std::vector<TextBox> placed;
    const Rect plot{left, top, right - left, bottom - top};
    set_font(cr, kTickSize);
    for (double k : c.ratio_lines) {
        // From the origin to where y = k x leaves the plot.
        const double xe = std::min(xt.hi, k > 0 ? yt.hi / k : xt.hi);
        cairo_save(cr);
        cairo_rectangle(cr, left, top, right - left, bottom - top);
        cairo_clip(cr);
        stroke_line(cr, xs(0), ys(0), xs(xe), ys(k * xe), 0.6, kMuted, true);
        cairo_restore(cr);
        const std::string t = "σ/μ* = " + format_number(lang, k, k == std::round(k) ? 0 : 1);
        const double w = text_width(cr, t);
        const TextBox box{xs(xe) - 2 - w, ys(k * xe) + 2, w, kTickSize};
        if (!inside(box, plot) || overlaps_any(box, placed)) continue;
        set_colour(cr, kMuted);
        draw_text(cr, t, box.x, box.y + kTickSize * 0.8, Anchor::left);
        placed.push_back(box);
    }

    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < c.points.size(); ++i)
        if (std::isfinite(c.points[i].x) && std::isfinite(c.points[i].y)) order.push_back(i);
    for (std::size_t i : order) {
        set_colour(cr, series_colour(c.points[i].colour));
        cairo_arc(cr, xs(c.points[i].x), ys(c.points[i].y), 2.8, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::hypot(xs(c.points[a].x) - left, ys(c.points[a].y) - bottom) >
               std::hypot(xs(c.points[b].x) - left, ys(c.points[b].y) - bottom);
    });
    for (std::size_t i : order) {
        const auto& p = c.points[i];
        if (p.label.empty()) continue;
        set_font(cr, kTickSize);
        const double w = text_width(cr, p.label), h = kTickSize;
        const double px = xs(p.x), py = ys(p.y);
        // Right, left, above, below, then the diagonals, then the same further out with a leader.
        const std::array<std::pair<double, double>, 8> spots = {{{4, -h / 2},
                                                                 {-4 - w, -h / 2},
                                                                 {-w / 2, -4 - h},
                                                                 {-w / 2, 4},
                                                                 {4, -3 - h},
                                                                 {-4 - w, -3 - h},
                                                                 {4, 3},
                                                                 {-4 - w, 3}}};
        bool done = false;
        for (int ring = 0; ring < 4 && !done; ++ring) {
            const double far = ring * (h + 2);
            for (const auto& [dx, dy] : spots) {
                // Further out along the direction from the point to the label's centre.
                auto away = [&](double centre) { return centre > 0.5 ? far : centre < -0.5 ? -far : 0.0; };
                const double ox = dx + away(dx + w / 2), oy = dy + away(dy + h / 2);
                const TextBox box{px + ox, py + oy, w, h};
                if (!inside(box, plot) || overlaps_any(box, placed)) continue;
                if (ring > 0) // a leader from the point to the nearest side of the label
                    stroke_line(cr, px, py, std::clamp(px, box.x, box.x + w), std::clamp(py, box.y, box.y + h), 0.4, kMuted);
                set_colour(cr, kInk);
                draw_text(cr, p.label, box.x, box.y + h * 0.8, Anchor::left);
                placed.push_back(box);
                done = true;
                break;
            }
        }
    }
    stroke_line(cr, left, bottom, right, bottom, 0.8, kInk);
    stroke_line(cr, left, top, left, bottom, 0.8, kInk);
    return canvas.finish();
}

} // namespace cakupan::render
