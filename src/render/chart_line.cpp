// Time series: lines over evenly spaced dates, p5-p95 bands as translucent polygons, a target
// line across and a deadline marker down.
#include "chart_frame.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

namespace cakupan::render {

using namespace chart_detail;

namespace {

// "Jan 2025" / "Jan 2025"; Indonesian month abbreviations differ for May, Aug, Oct, Dec.
std::string short_date(Lang lang, const std::string& iso) {
    static constexpr std::array<const char*, 12> en = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static constexpr std::array<const char*, 12> id = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                                       "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
    if (iso.size() < 7) return iso;
    const int m = std::atoi(iso.substr(5, 2).c_str());
    if (m < 1 || m > 12) return iso;
    return std::string((lang == Lang::en ? en : id)[static_cast<std::size_t>(m - 1)]) + " " + iso.substr(0, 4);
}

} // namespace

double chart_detail::day_number(std::string_view iso) {
    constexpr double kNotADate = -1e300;
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return kNotADate;
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (iso[i] < '0' || iso[i] > '9') return kNotADate;
    auto field = [&](std::size_t at, std::size_t len) { return std::atoi(std::string(iso.substr(at, len)).c_str()); };
    int y = field(0, 4);
    const int m = field(5, 2), d = field(8, 2);
    if (m < 1 || m > 12 || d < 1 || d > 31) return kNotADate;
    // Days from the civil calendar (proleptic Gregorian), counted from 1970-01-01.
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<double>(era) * 146097 + doe - 719468;
}

std::vector<DateTick> chart_detail::month_ticks(const std::vector<std::string>& dates, Lang lang) {
    std::vector<DateTick> out;
    if (dates.empty()) return out;
    const double first = day_number(dates.front()), last = day_number(dates.back());
    if (first < -1e299 || last < -1e299 || last < first) return out;
    const int y0 = std::atoi(dates.front().substr(0, 4).c_str()), m0 = std::atoi(dates.front().substr(5, 2).c_str());
    const int y1 = std::atoi(dates.back().substr(0, 4).c_str()), m1 = std::atoi(dates.back().substr(5, 2).c_str());
    const int months = (y1 - y0) * 12 + (m1 - m0) + 1; // first days of month that may fall in the range
    int every = 12;
    for (const int e : {1, 2, 3, 6, 12})
        if ((months + e - 1) / e <= 7) {
            every = e;
            break;
        }
    if (months > 7 * 12) every = 12 * ((months + 7 * 12 - 1) / (7 * 12));
    for (int k = 0; k < months; ++k) {
        const int index = (y0 * 12 + (m0 - 1)) + k, y = index / 12, m = index % 12 + 1;
        // Jan, Mar, ... (2); Jan, Apr, ... (3); Jan, Jul (6); January of every year or every few years.
        const bool on = every <= 12 ? (m - 1) % every == 0 : m == 1 && y % (every / 12) == 0;
        if (!on) continue;
        char iso[32];
        std::snprintf(iso, sizeof iso, "%04d-%02d-01", y, m);
        const double day = day_number(iso);
        if (day < first || day > last) continue;
        out.push_back({day, short_date(lang, iso)});
    }
    return out;
}

namespace {

void check(const LineChart& c) {
    if (c.dates.empty()) throw Error("line chart '" + c.text.title + "': no dates");
    for (const auto& s : c.series) {
        if (s.y.size() != c.dates.size())
            throw Error("line chart '" + c.text.title + "': series '" + s.label + "' has " + std::to_string(s.y.size()) +
                        " values for " + std::to_string(c.dates.size()) + " dates");
        if ((!s.band_lo.empty() && s.band_lo.size() != s.y.size()) || s.band_lo.size() != s.band_hi.size())
            throw Error("line chart '" + c.text.title + "': band of series '" + s.label + "' does not match its values");
    }
}

} // namespace

std::string render_line_chart(const LineChart& c, Format format, PageSize page, Lang lang) {
    check(c);
    Canvas canvas(format, page);
    cairo_t* cr = canvas.cr();

    std::vector<LegendItem> legend;
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        if (s.label.empty()) continue;
        legend.push_back({s.label, series_colour(s.colour >= 0 ? s.colour : static_cast<int>(i)),
                          !s.line ? LegendItem::dot : s.band_lo.empty() ? LegendItem::line : LegendItem::band_line, s.dashed});
    }
    if (c.reference && !c.reference_label.empty()) legend.push_back({c.reference_label, kReference, LegendItem::line, true});
    const Rect area = draw_frame(cr, canvas.width(), canvas.height(), c.text, legend);

    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    auto widen = [&](double v) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    for (const auto& s : c.series) {
        for (double v : s.y) widen(v);
        for (double v : s.band_lo) widen(v);
        for (double v : s.band_hi) widen(v);
    }
    if (c.reference) widen(*c.reference);
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    // Margins: tick labels and the axis label on the left, date labels and x label below.
    const double label_w = tick_label_width(cr, axis_ticks(lo, hi, c.y), c.y, lang);
    const double left = area.x + label_w + 6 + (c.y.label.empty() ? 0 : kLabelSize + 6);
    const double right = area.x + area.w - 4;
    const double bottom = area.y + area.h - (kTickSize + 6) - (c.x_label.empty() ? 0 : kLabelSize + 6);
    const double top = area.y + (c.marker && !c.marker_label.empty() ? kTickSize + 4 : 0);
    const std::size_t n = c.dates.size();
    // x is time when every date is one (increasing), so uneven steps (the start on 1 June, then
    // month ends) sit where they belong; otherwise the dates are evenly spaced by index.
    std::vector<double> at(n);
    bool timed = true;
    for (std::size_t k = 0; k < n; ++k) {
        at[k] = day_number(c.dates[k]);
        timed = timed && at[k] > -1e299 && (k == 0 || at[k] > at[k - 1]);
    }
    if (!timed)
        for (std::size_t k = 0; k < n; ++k) at[k] = static_cast<double>(k);
    const Scale xs{at.front(), at.back() > at.front() ? at.back() : at.front() + 1, left, right};
    auto xk = [&](std::size_t k) { return xs(at[k]); };
    const Ticks ticks = fitting_ticks(cr, lo, hi, c.y, lang, bottom - top, false);
    const Scale ys{ticks.lo, ticks.hi, bottom, top};

    // Grid and value ticks.
    set_font(cr, kTickSize);
    for (double v : ticks.values) {
        const double y = ys(v);
        stroke_line(cr, left, y, right, y, 0.5, kGrid);
        set_colour(cr, kInk);
        draw_text(cr, format_axis_value(lang, c.y.kind, v, ticks.step), left - 4, y + kTickSize * 0.35, Anchor::right);
    }
    if (!c.y.label.empty()) {
        set_font(cr, kLabelSize);
        cairo_save(cr);
        cairo_translate(cr, area.x + kLabelSize, (top + bottom) / 2);
        cairo_rotate(cr, -M_PI / 2);
        set_colour(cr, kInk);
        draw_text(cr, c.y.label, 0, 0, Anchor::centre);
        cairo_restore(cr);
    }

    // Date ticks: on the first day of months, labelled with the month; without dates, about six
    // of the given labels, always including the last.
    set_font(cr, kTickSize);
    std::vector<DateTick> ticks_x = timed ? month_ticks(c.dates, lang) : std::vector<DateTick>{};
    if (ticks_x.empty()) {
        const std::size_t every = std::max<std::size_t>(1, (n + 5) / 6);
        for (std::size_t k = 0; k < n; ++k)
            if ((n - 1 - k) % every == 0) ticks_x.push_back({at[k], timed ? format_date(lang, c.dates[k]) : c.dates[k]});
    }
    double last_end = -1e300; // right end of the last date label drawn
    for (const auto& t : ticks_x) {
        const double x = xs(t.day);
        stroke_line(cr, x, bottom, x, bottom + 3, 0.5, kInk);
        set_colour(cr, kInk);
        // Labels near an end are kept inside the plot's width; one that would touch the label
        // before it is left out (its tick stays).
        const double w = text_width(cr, t.label);
        const Anchor a = x - w / 2 < left - 2 ? Anchor::left : x + w / 2 > right + 2 ? Anchor::right : Anchor::centre;
        const double start = a == Anchor::left ? x : a == Anchor::centre ? x - w / 2 : x - w;
        if (start < last_end + 4) continue;
        draw_text(cr, t.label, x, bottom + 4 + kTickSize, a);
        last_end = start + w;
    }
    if (!c.x_label.empty()) {
        set_font(cr, kLabelSize);
        set_colour(cr, kInk);
        draw_text(cr, c.x_label, (left + right) / 2, area.y + area.h - 2, Anchor::centre);
    }

    cairo_save(cr);
    cairo_rectangle(cr, left, top, right - left, bottom - top);
    cairo_clip(cr);
    // Bands first, under every line.
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        if (s.band_lo.empty()) continue;
        set_colour(cr, series_colour(s.colour >= 0 ? s.colour : static_cast<int>(i)), 0.2);
        bool open = false;
        for (std::size_t k = 0; k < n; ++k)
            if (std::isfinite(s.band_hi[k])) {
                const double x = xk(k), y = ys(s.band_hi[k]);
                open ? cairo_line_to(cr, x, y) : cairo_move_to(cr, x, y);
                open = true;
            }
        for (std::size_t k = n; k-- > 0;)
            if (std::isfinite(s.band_lo[k])) cairo_line_to(cr, xk(k), ys(s.band_lo[k]));
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        cairo_save(cr);
        set_colour(cr, series_colour(s.colour >= 0 ? s.colour : static_cast<int>(i)));
        cairo_set_line_width(cr, 1.5);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        if (s.dashed) {
            const double dash[] = {4.0, 2.0};
            cairo_set_dash(cr, dash, 2, 0);
        }
        bool open = false;
        for (std::size_t k = 0; k < n && s.line; ++k) {
            if (!std::isfinite(s.y[k])) {
                open = false;
                continue;
            }
            const double x = xk(k), y = ys(s.y[k]);
            open ? cairo_line_to(cr, x, y) : cairo_move_to(cr, x, y);
            open = true;
        }
        if (s.line && n == 1 && std::isfinite(s.y[0])) cairo_arc(cr, xk(0), ys(s.y[0]), 2, 0, 2 * M_PI);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    cairo_restore(cr); // clip
    // Markers outside the clip: a point on the first or last date stays whole.
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        if (!s.markers) continue;
        set_colour(cr, series_colour(s.colour >= 0 ? s.colour : static_cast<int>(i)));
        cairo_set_line_width(cr, 1.0);
        for (std::size_t k = 0; k < n; ++k) {
            if (!std::isfinite(s.y[k]) || s.y[k] < ticks.lo || s.y[k] > ticks.hi) continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, xk(k), ys(s.y[k]), 2.2, 0, 2 * M_PI);
            if (s.hollow) {
                cairo_stroke(cr);
            } else {
                cairo_fill(cr);
            }
        }
    }

    if (c.reference) stroke_line(cr, left, ys(*c.reference), right, ys(*c.reference), 1.0, kReference, true);
    if (c.marker) {
        // The marker sits at its date, or between the dates around it.
        double x;
        if (timed && day_number(*c.marker) > -1e299) {
            x = xs(std::clamp(day_number(*c.marker), at.front(), at.back()));
        } else {
            const auto it = std::lower_bound(c.dates.begin(), c.dates.end(), *c.marker);
            x = xk(it == c.dates.end() ? n - 1 : static_cast<std::size_t>(it - c.dates.begin()));
        }
        stroke_line(cr, x, top, x, bottom, 0.8, kInk, true);
        if (!c.marker_label.empty()) {
            set_font(cr, kTickSize);
            set_colour(cr, kInk);
            const double w = text_width(cr, c.marker_label);
            draw_text(cr, c.marker_label, x, top - 3, x + w / 2 > right ? Anchor::right : Anchor::centre);
        }
    }
    stroke_line(cr, left, bottom, right, bottom, 0.8, kInk);
    return canvas.finish();
}

} // namespace cakupan::render
