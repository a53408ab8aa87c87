#include "chart_frame.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace cakupan::render {

namespace {

// Okabe & Ito's colour-blind safe set, ordered so neighbours also differ in lightness.
constexpr std::array<chart_detail::Colour, 8> kSeries = {{
    {0.000, 0.447, 0.698}, // blue
    {0.902, 0.624, 0.000}, // orange
    {0.000, 0.620, 0.451}, // bluish green
    {0.800, 0.475, 0.655}, // reddish purple
    {0.337, 0.706, 0.914}, // sky blue
    {0.835, 0.369, 0.000}, // vermillion
    {0.941, 0.894, 0.259}, // yellow
    {0.400, 0.400, 0.400}, // grey
}};

// Decimals needed to write multiples of `step` exactly (step 0.25 -> 2, 5 -> 0).
int decimals_for(double step) {
    step = std::fabs(step);
    if (!(step > 0) || !std::isfinite(step)) return 0;
    // Up to 12: effects of a millionth (rounding noise of an output in rupiah) have steps of 5e-7.
    for (int d = 0; d < 12; ++d) {
        const double s = step * std::pow(10.0, d);
        if (std::round(s) >= 1 && std::fabs(s - std::round(s)) < 1e-6 * s) return d;
    }
    return 12;
}

} // namespace

std::string chart_colour(int index) {
    const auto& c = kSeries[static_cast<std::size_t>(((index % 8) + 8) % 8)];
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(c.r * 255)),
                  static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)));
    return buf;
}

PageSize default_chart_page() {
    PageSize p;
    p.dpi = 300;
    p.width_px = 1890;  // 16 cm
    p.height_px = 1181; // 10 cm
    return p;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) throw Error("nice_ticks: limits are not finite");
    if (hi < lo) std::swap(lo, hi);
    if (hi == lo) {
        const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    target = std::max(2, target);
    const double raw = (hi - lo) / target;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    const double first = std::floor(lo / step + 1e-9) * step;
    const double last = std::ceil(hi / step - 1e-9) * step;
    std::vector<double> out;
    const auto n = static_cast<int>(std::lround((last - first) / step));
    // Rounded to the step's decimals, so 3 x 0.2 is 0.6 and not 0.6000000000000001.
    const double scale = std::pow(10.0, decimals_for(step));
    for (int i = 0; i <= n; ++i) {
        const double v = std::round((first + i * step) * scale) / scale;
        out.push_back(v == 0 ? 0.0 : v); // no "-0"
    }
    return out;
}

std::string format_axis_value(Lang lang, AxisKind kind, double v, double step) {
    switch (kind) {
    case AxisKind::percent: return format_percent(lang, v, decimals_for(step * 100));
    case AxisKind::number: return format_number(lang, v, decimals_for(step));
    case AxisKind::rupiah: {
        // Axes of billions read better shortened: Rp1,5 miliar / Rp1.5 bn, Rp500 juta / Rp500 m.
        struct Unit {
            double size;
            const char* en;
            const char* id;
        };
        static constexpr std::array<Unit, 3> units = {{{1e12, "tn", "triliun"}, {1e9, "bn", "miliar"}, {1e6, "m", "juta"}}};
        const double s = std::fabs(step) > 0 ? std::fabs(step) : std::fabs(v);
        for (const auto& u : units)
            if (s >= u.size / 2) {
                const std::string n = format_number(lang, std::fabs(v) / u.size, decimals_for(s / u.size));
                return std::string(v < 0 && n.find_first_not_of("0.,") != std::string::npos ? "-" : "") + "Rp" + n + " " +
                       tr(lang, u.en, u.id);
            }
        const std::string n = format_number(lang, std::fabs(v), decimals_for(s));
        return std::string(v < 0 && n.find_first_not_of("0.,") != std::string::npos ? "-" : "") + "Rp" + n;
    }
    }
    return format_number(lang, v, 2);
}

namespace chart_detail {

Colour series_colour(int index) { return kSeries[static_cast<std::size_t>(((index % 8) + 8) % 8)]; }

void set_colour(cairo_t* cr, Colour c, double alpha) {
    if (alpha >= 1.0)
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
    else
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void set_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

void draw_text(cairo_t* cr, const std::string& s, double x, double y, Anchor anchor) {
    if (s.empty()) return;
    const double w = text_width(cr, s);
    const double x0 = anchor == Anchor::left ? x : anchor == Anchor::centre ? x - w / 2 : x - w;
    cairo_move_to(cr, x0, y);
    cairo_show_text(cr, s.c_str());
    cairo_new_path(cr);
}

std::string fit_text(cairo_t* cr, const std::string& s, double width) {
    if (text_width(cr, s) <= width) return s;
    std::string t = s;
    while (!t.empty()) {
        t.pop_back();
        while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back(); // whole UTF-8 characters
        if (!t.empty()) t.pop_back();
        if (text_width(cr, t + "...") <= width) return t + "...";
    }
    return "...";
}

void stroke_line(cairo_t* cr, double x0, double y0, double x1, double y1, double width, Colour c, bool dashed) {
    cairo_save(cr);
    set_colour(cr, c);
    cairo_set_line_width(cr, width);
    if (dashed) {
        const double dash[] = {3.0, 2.0};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    cairo_restore(cr);
}

Rect draw_frame(cairo_t* cr, double width, double height, const ChartText& text, const std::vector<LegendItem>& legend) {
    const double margin = 10;
    double y = margin;
    set_colour(cr, kInk);
    if (!text.title.empty()) {
        set_font(cr, kTitleSize, true);
        y += kTitleSize;
        draw_text(cr, fit_text(cr, text.title, width - 2 * margin), margin, y, Anchor::left);
        y += 4;
    }
    if (!text.subtitle.empty()) {
        set_font(cr, kSubtitleSize);
        set_colour(cr, kMuted);
        y += kSubtitleSize;
        draw_text(cr, fit_text(cr, text.subtitle, width - 2 * margin), margin, y, Anchor::left);
        y += 4;
    }
    if (!legend.empty()) {
        set_font(cr, kLabelSize);
        const double row = kLabelSize + 5, swatch = 12;
        double x = margin;
        y += row;
        for (const auto& item : legend) {
            const std::string label = fit_text(cr, item.label, width - 2 * margin - swatch - 4);
            const double w = swatch + 4 + text_width(cr, label) + 12;
            if (x > margin && x + w > width - margin) {
                x = margin;
                y += row;
            }
            const double mid = y - kLabelSize * 0.35;
            switch (item.kind) {
            case LegendItem::band_line:
                set_colour(cr, item.colour, 0.2);
                cairo_rectangle(cr, x, mid - 3.5, swatch, 7);
                cairo_fill(cr);
                stroke_line(cr, x, mid, x + swatch, mid, 1.5, item.colour, item.dashed);
                break;
            case LegendItem::line: stroke_line(cr, x, mid, x + swatch, mid, 1.5, item.colour, item.dashed); break;
            case LegendItem::box:
                set_colour(cr, item.colour);
                cairo_rectangle(cr, x + 2, mid - 4, swatch - 4, 8);
                cairo_fill(cr);
                break;
            case LegendItem::dot:
                set_colour(cr, item.colour);
                cairo_arc(cr, x + swatch / 2, mid, 3, 0, 2 * M_PI);
                cairo_fill(cr);
                break;
            }
            set_colour(cr, kInk);
            draw_text(cr, label, x + swatch + 4, y, Anchor::left);
            x += w;
        }
        y += 4;
    }
    double bottom = height - margin;
    if (!text.source.empty()) {
        set_font(cr, kSourceSize);
        set_colour(cr, kMuted);
        draw_text(cr, fit_text(cr, text.source, width - 2 * margin), margin, bottom, Anchor::left);
        bottom -= kSourceSize + 4;
    }
    return Rect{margin, y + 6, width - 2 * margin, std::max(10.0, bottom - (y + 6))};
}

Ticks axis_ticks(double data_lo, double data_hi, const Axis& axis, int target) {
    double lo = axis.min.value_or(data_lo), hi = axis.max.value_or(data_hi);
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
    Ticks t;
    t.values = nice_ticks(lo, hi, target);
    t.step = t.values.size() > 1 ? t.values[1] - t.values[0] : 1;
    t.lo = axis.min ? *axis.min : t.values.front();
    t.hi = axis.max ? *axis.max : t.values.back();
    if (t.hi <= t.lo) t.hi = t.lo + t.step;
    // Fixed limits may cut the round ticks; keep only those inside.
    std::erase_if(t.values, [&](double v) { return v < t.lo - t.step * 1e-9 || v > t.hi + t.step * 1e-9; });
    return t;
}

Ticks fitting_ticks(cairo_t* cr, double data_lo, double data_hi, const Axis& axis, Lang lang, double length, bool along_x,
                    int target) {
    set_font(cr, kTickSize);
    Ticks t;
    for (int n = target; n >= 1; --n) {
        t = axis_ticks(data_lo, data_hi, axis, n);
        const double per = length / (t.hi - t.lo);
        bool fits = true;
        for (std::size_t i = 0; fits && i + 1 < t.values.size(); ++i) {
            const double gap = (t.values[i + 1] - t.values[i]) * per;
            const double need = along_x ? (text_width(cr, format_axis_value(lang, axis.kind, t.values[i], t.step)) +
                                           text_width(cr, format_axis_value(lang, axis.kind, t.values[i + 1], t.step))) / 2 + 6
                                        : kTickSize + 3;
            fits = gap >= need;
        }
        if (fits) return t;
    }
    // Even two ticks do not fit (a very short axis): keep the ends only.
    if (t.values.size() > 2) t.values = {t.values.front(), t.values.back()};
    return t;
}

double tick_label_width(cairo_t* cr, const Ticks& ticks, const Axis& axis, Lang lang) {
    set_font(cr, kTickSize);
    double w = 0;
    for (double v : ticks.values) w = std::max(w, text_width(cr, format_axis_value(lang, axis.kind, v, ticks.step)));
    return w;
}

} // namespace chart_detail

} // namespace cakupan::render
