// Bar charts: groups of bars per category, vertical or horizontal, bars grow from the origin (zero
// unless given) so values below it point the other way; optional whiskers for confidence intervals.
#include "chart_frame.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cakupan::render {

using namespace chart_detail;

namespace {

void check(const BarChart& c) {
    if (c.categories.empty()) throw Error("bar chart '" + c.text.title + "': no categories");
    for (const auto& s : c.series) {
        if (s.values.size() != c.categories.size())
            throw Error("bar chart '" + c.text.title + "': series '" + s.label + "' has " + std::to_string(s.values.size()) +
                        " values for " + std::to_string(c.categories.size()) + " categories");
        if ((!s.err_lo.empty() && s.err_lo.size() != s.values.size()) || s.err_lo.size() != s.err_hi.size())
            throw Error("bar chart '" + c.text.title + "': error bars of series '" + s.label + "' do not match its values");
    }
}

} // namespace

std::string render_bar_chart(const BarChart& c, Format format, PageSize page, Lang lang) {
    check(c);
    Canvas canvas(format, page);
    cairo_t* cr = canvas.cr();

    std::vector<LegendItem> legend;
    const bool show_legend = c.series.size() > 1 || (c.series.size() == 1 && !c.series[0].label.empty());
    if (show_legend)
        for (std::size_t i = 0; i < c.series.size(); ++i)
            legend.push_back({c.series[i].label, series_colour(c.series[i].colour >= 0 ? c.series[i].colour : static_cast<int>(i)),
                              LegendItem::box, false});
    if (c.reference && !c.reference_label.empty()) legend.push_back({c.reference_label, kReference, LegendItem::line, true});
    const Rect area = draw_frame(cr, canvas.width(), canvas.height(), c.text, legend);

    // Bars start at the origin, so the origin is always on the axis; the rest fits the data.
    const double origin = c.origin.value_or(0.0);
    double lo = origin, hi = origin;
    auto widen = [&](double v) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    for (const auto& s : c.series) {
        for (double v : s.values) widen(v);
        for (double v : s.err_lo) widen(v);
        for (double v : s.err_hi) widen(v);
    }
    if (c.reference) widen(*c.reference);
    if (lo == hi) hi = lo == 0 ? 1 : lo + std::fabs(lo) * 0.1;

    const std::size_t ncat = c.categories.size();
    const std::size_t nser = std::max<std::size_t>(1, c.series.size());
    set_font(cr, kTickSize);
    double cat_w = 0;
    for (const auto& s : c.categories) cat_w = std::max(cat_w, text_width(cr, s));

    // Plot rectangle and the two scales: `vs` along the value axis, `cs` along categories. Tick
    // labels are measured on a first set of ticks, then the ticks are chosen so their labels fit.
    const Ticks first = axis_ticks(lo, hi, c.value_axis);
    const double tick_w = tick_label_width(cr, first, c.value_axis, lang);
    double left = 0, right = 0, top = area.y, bottom = 0;
    const double axis_label = c.value_axis.label.empty() ? 0 : kLabelSize + 6;
    // Room for value labels beyond the bar ends.
    const double end_room = c.value_labels ? 6 + tick_w : 4;
    if (c.horizontal) {
        cat_w = std::min(cat_w, area.w * 0.35);
        // Tick labels are centred on their ticks: half the widest stays inside the page.
        left = area.x + std::max(cat_w + 6, tick_w / 2);
        right = area.x + area.w - std::max(end_room, tick_w / 2 + 1);
        bottom = area.y + area.h - (kTickSize + 6) - axis_label;
    } else {
        left = area.x + tick_w + 6 + axis_label;
        right = area.x + area.w - 4;
        bottom = area.y + area.h - (kTickSize + 6);
        top += c.value_labels ? kTickSize + 3 : 0;
    }
    if (c.horizontal && c.value_labels && lo < origin) left += end_room; // labels of bars below the origin left of them
    const Ticks ticks = c.horizontal ? fitting_ticks(cr, lo, hi, c.value_axis, lang, right - left, true)
                                     : fitting_ticks(cr, lo, hi, c.value_axis, lang, bottom - top, false);
    const Scale vs = c.horizontal ? Scale{ticks.lo, ticks.hi, left, right} : Scale{ticks.lo, ticks.hi, bottom, top};
    const double cat_lo = c.horizontal ? top : left, cat_hi = c.horizontal ? bottom : right;
    const double band = (cat_hi - cat_lo) / static_cast<double>(ncat);
    const double bar = band * 0.8 / static_cast<double>(nser);

    // Grid and value tick labels.
    set_font(cr, kTickSize);
    for (double v : ticks.values) {
        const double p = vs(v);
        const std::string t = format_axis_value(lang, c.value_axis.kind, v, ticks.step);
        set_colour(cr, kInk);
        if (c.horizontal) {
            stroke_line(cr, p, top, p, bottom, 0.5, kGrid);
            set_colour(cr, kInk);
            draw_text(cr, t, p, bottom + 4 + kTickSize, Anchor::centre);
        } else {
            stroke_line(cr, left, p, right, p, 0.5, kGrid);
            set_colour(cr, kInk);
            draw_text(cr, t, left - 4, p + kTickSize * 0.35, Anchor::right);
        }
    }
    if (!c.value_axis.label.empty()) {
        set_font(cr, kLabelSize);
        set_colour(cr, kInk);
        if (c.horizontal) {
            draw_text(cr, c.value_axis.label, (left + right) / 2, area.y + area.h - 2, Anchor::centre);
        } else {
            cairo_save(cr);
            cairo_translate(cr, area.x + kLabelSize, (top + bottom) / 2);
            cairo_rotate(cr, -M_PI / 2);
            draw_text(cr, c.value_axis.label, 0, 0, Anchor::centre);
            cairo_restore(cr);
        }
    }

    // Category labels.
    set_font(cr, kTickSize);
    set_colour(cr, kInk);
    for (std::size_t k = 0; k < ncat; ++k) {
        const double mid = cat_lo + band * (static_cast<double>(k) + 0.5);
        if (c.horizontal)
            draw_text(cr, fit_text(cr, c.categories[k], cat_w), left - 4 - (c.value_labels && lo < origin ? end_room : 0),
                      mid + kTickSize * 0.35, Anchor::right);
        else
            draw_text(cr, fit_text(cr, c.categories[k], band - 2), mid, bottom + 4 + kTickSize, Anchor::centre);
    }

    // Bars, one filled rectangle each, then whiskers and value labels over them.
    const double zero = vs(std::clamp(origin, ticks.lo, ticks.hi));
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        const Colour colour = series_colour(s.colour >= 0 ? s.colour : static_cast<int>(i));
        for (std::size_t k = 0; k < ncat; ++k) {
            const double v = s.values[k];
            const double start = cat_lo + band * (static_cast<double>(k) + 0.1) + bar * static_cast<double>(i);
            if (std::isfinite(v)) {
                const double end = vs(std::clamp(v, ticks.lo, ticks.hi));
                set_colour(cr, colour);
                if (c.horizontal)
                    cairo_rectangle(cr, std::min(zero, end), start, std::fabs(end - zero), bar);
                else
                    cairo_rectangle(cr, start, std::min(zero, end), bar, std::fabs(end - zero));
                cairo_fill(cr);
            }
            if (!s.err_lo.empty() && std::isfinite(s.err_lo[k]) && std::isfinite(s.err_hi[k])) {
                const double a = vs(std::clamp(s.err_lo[k], ticks.lo, ticks.hi)), b = vs(std::clamp(s.err_hi[k], ticks.lo, ticks.hi));
                const double mid = start + bar / 2, cap = std::min(3.0, bar / 3);
                if (c.horizontal) {
                    stroke_line(cr, a, mid, b, mid, 0.8, kInk);
                    stroke_line(cr, a, mid - cap, a, mid + cap, 0.8, kInk);
                    stroke_line(cr, b, mid - cap, b, mid + cap, 0.8, kInk);
                } else {
                    stroke_line(cr, mid, a, mid, b, 0.8, kInk);
                    stroke_line(cr, mid - cap, a, mid + cap, a, 0.8, kInk);
                    stroke_line(cr, mid - cap, b, mid + cap, b, 0.8, kInk);
                }
            }
            if (c.value_labels && std::isfinite(v)) {
                const double end = vs(std::clamp(v, ticks.lo, ticks.hi));
                const std::string t = format_axis_value(lang, c.value_axis.kind, v, ticks.step / 10);
                set_font(cr, kTickSize);
                set_colour(cr, kInk);
                if (c.horizontal)
                    draw_text(cr, t, v < origin ? end - 3 : end + 3, start + bar / 2 + kTickSize * 0.35,
                              v < origin ? Anchor::right : Anchor::left);
                else
                    draw_text(cr, t, start + bar / 2, v < origin ? end + kTickSize + 2 : end - 2, Anchor::centre);
            }
        }
    }
    if (c.reference) {
        const double p = vs(std::clamp(*c.reference, ticks.lo, ticks.hi));
        if (c.horizontal)
            stroke_line(cr, p, top, p, bottom, 1.0, kReference, true);
        else
            stroke_line(cr, left, p, right, p, 1.0, kReference, true);
    }
    // The origin line, over the bars' feet.
    if (c.horizontal)
        stroke_line(cr, zero, top, zero, bottom, 0.8, kInk);
    else
        stroke_line(cr, left, zero, right, zero, 0.8, kInk);
    return canvas.finish();
}

} // namespace cakupan::render
