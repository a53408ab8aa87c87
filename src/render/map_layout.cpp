#include "cakupan/render/map.hpp"

#include "labels.hpp"
#include "legend.hpp"
#include "map_text.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan::render {

namespace {

constexpr std::size_t kMaxLabelledRegions = 40;

// The largest 1, 2 or 5 times a power of ten not above v > 0.
double round_down_nice(double v) {
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= v * (1 + 1e-12)) return m * p;
    return p;
}

// Shrinks the font until the text fits the width (long scenario titles).
double fitting_size(TextMeasure& m, const std::string& text, double size, double width, bool bold) {
    while (size > 4 && m.width(text, size, bold) > width) size *= 0.92;
    return size;
}

std::string scale_text(double metres, Lang lang) {
    if (metres >= 1000) return format_number(lang, metres / 1000, metres < 10000 && std::fmod(metres, 1000) != 0 ? 1 : 0) + " km";
    return format_number(lang, metres, 0) + " m";
}

} // namespace

std::vector<std::string> MapLayout::texts() const {
    std::vector<std::string> out;
    for (const TextBox* t : {&title, &subtitle, &legend_title})
        if (!t->text.empty()) out.push_back(t->text);
    for (const auto& e : legend) out.push_back(e.label);
    for (const auto& t : panel_titles) out.push_back(t.text);
    out.push_back(scale_label.text);
    out.push_back(north_letter.text);
    if (!source.text.empty()) out.push_back(source.text);
    for (const auto& p : panels)
        for (const auto& l : p.labels) out.push_back(l.text);
    return out;
}

MapLayout layout_map(const MapSpec& spec, const PlanarShapes& shapes, PageSize size, Lang lang) {
    MapLayout L;
    L.width = size.width_pt();
    L.height = size.height_pt();
    TextMeasure measure;
    const double W = L.width, H = L.height;
    const double m = 0.035 * std::min(W, H);
    const double f = std::clamp(std::min(W, H) / 55.0, 5.0, 14.0); // body font size

    std::vector<std::vector<double>> values;
    for (const auto& p : spec.panels) values.push_back(p.values);
    L.classes = classify_panels(values, spec.style);

    // Header: title and subtitle.
    double y = m;
    L.title = {spec.title, m, 0, fitting_size(measure, spec.title, 1.6 * f, W - 2 * m, true), true};
    y += measure.ascent(L.title.size);
    L.title.y = y;
    y += measure.descent(L.title.size);
    if (!spec.subtitle.empty()) {
        L.subtitle = {spec.subtitle, m, 0, fitting_size(measure, spec.subtitle, 1.05 * f, W - 2 * m, false), false};
        y += 0.3 * f + measure.ascent(L.subtitle.size);
        L.subtitle.y = y;
        y += measure.descent(L.subtitle.size);
    }
    const double header_bottom = y + 0.8 * f;

    // Footer: the source note.
    double footer_top = H - m;
    if (!spec.source.empty()) {
        L.source = {spec.source, m, H - m, fitting_size(measure, spec.source, 0.75 * f, W - 2 * m, false), false};
        footer_top = H - m - measure.ascent(L.source.size) - 0.6 * f;
    }

    // Per-panel counts; the legend counts only when there is a single panel.
    std::size_t any_no_data = 0;
    for (const auto& p : spec.panels) {
        PanelLayout pl;
        pl.title = p.title;
        pl.counts = count_classes(L.classes.classification, p.values, pl.no_data);
        any_no_data += pl.no_data;
        L.panels.push_back(std::move(pl));
    }
    const bool single = L.panels.size() == 1;
    L.legend = legend_entries(L.classes, single ? L.panels[0].counts : std::vector<std::size_t>{},
                              single ? L.panels[0].no_data : any_no_data, spec.style.format, lang);
    for (std::size_t k = 0; k < spec.style.categories.size() && k < L.legend.size(); ++k) { // names, not ranges
        auto& e = L.legend[k];
        e.range = spec.style.categories[k];
        e.label = single ? e.range + "  (" + format_number(lang, static_cast<double>(e.count), 0) + ")" : e.range;
    }

    // Legend column on the right, as wide as its longest text.
    const double lf = 0.9 * f, swatch = 1.4 * lf, row = 1.55 * lf;
    L.legend_size = lf;
    L.label_size = 0.75 * f;
    double text_w = measure.width(spec.legend_title, lf, true);
    for (const auto& e : L.legend) text_w = std::max(text_w, swatch + 0.6 * lf + measure.width(e.label, lf));
    const double col_w = std::min(text_w, 0.4 * W);
    const double col_x = W - m - col_w;
    const Rect area{m, header_bottom, std::max(10.0, col_x - m - 1.2 * f), std::max(10.0, footer_top - header_bottom)};

    double ly = area.y;
    if (!spec.legend_title.empty()) {
        L.legend_title = {spec.legend_title, col_x, ly + measure.ascent(lf), fitting_size(measure, spec.legend_title, lf, col_w, true), true};
        ly += row * 1.2;
    }
    for (auto& e : L.legend) {
        e.swatch = {col_x, ly, swatch, 0.8 * row};
        ly += row;
    }

    // Panels: the grid of columns that gives the biggest scale.
    const Bounds b = bounds_of(shapes.shapes);
    const std::size_t n = std::max<std::size_t>(1, L.panels.size());
    const double gap = single ? 0 : 1.0 * f, title_h = single ? 0 : 1.4 * f;
    std::size_t best_cols = 1;
    double best_scale = -1;
    for (std::size_t c = 1; c <= n; ++c) {
        const auto dc = static_cast<double>(c), dr = static_cast<double>((n + c - 1) / c);
        const double pw = (area.w - (dc - 1) * gap) / dc, ph = (area.h - (dr - 1) * gap) / dr - title_h;
        const double s = std::min(pw / std::max(b.width(), 1e-12), ph / std::max(b.height(), 1e-12));
        if (s > best_scale) best_scale = s, best_cols = c;
    }
    const auto cols = static_cast<double>(best_cols), rows = static_cast<double>((n + best_cols - 1) / best_cols);
    const double pw = (area.w - (cols - 1) * gap) / cols, ph = (area.h - (rows - 1) * gap) / rows;
    for (std::size_t i = 0; i < L.panels.size(); ++i) {
        auto& p = L.panels[i];
        const double px = area.x + static_cast<double>(i % best_cols) * (pw + gap);
        const double py = area.y + static_cast<double>(i / best_cols) * (ph + gap);
        p.frame = {px, py + title_h, pw, ph - title_h};
        p.transform = fit(b, p.frame.x, p.frame.y, p.frame.w, p.frame.h);
        if (!single) {
            const double ts = fitting_size(measure, p.title, 0.95 * f, pw, true);
            L.panel_titles.push_back({p.title, px + (pw - measure.width(p.title, ts, true)) / 2, py + measure.ascent(ts), ts, true});
        }
    }

    // Outlines: visible for provinces and kab/kota, a hairline for tens of thousands of villages.
    const std::size_t regions = shapes.shapes.region_count();
    L.outline_width = std::max(0.05, 0.4 * std::sqrt(50.0 / std::max<double>(50.0, static_cast<double>(regions))));

    // North arrow and scale bar at the foot of the legend column.
    const double scale = L.panels.empty() ? best_scale : L.panels[0].transform.scale; // points per planar unit
    L.north_size = 2.6 * f;
    L.north_angle = shapes.north_angle;
    L.scale_y = area.y + area.h - 0.4 * f;
    L.north_x = col_x + L.north_size / 2 + 0.2 * f;
    L.north_y = L.scale_y - 2.2 * f - L.north_size / 2 - 1.4 * f;
    L.north_letter = {tr(lang, "N", "U"), 0, 0, 0.9 * f, true};
    L.north_letter.x = L.north_x - measure.width(L.north_letter.text, L.north_letter.size, true) / 2;
    L.north_letter.y = L.north_y - L.north_size / 2 - 0.3 * f;
    if (scale > 0 && std::isfinite(scale)) {
        L.scale_metres = round_down_nice(0.8 * col_w / scale * shapes.metres_per_unit);
        L.scale_length = L.scale_metres / shapes.metres_per_unit * scale;
    }
    L.scale_x = col_x;
    L.scale_label = {scale_text(L.scale_metres, lang), col_x, L.scale_y - 0.9 * f, 0.8 * f, false};

    if (single && spec.labels && regions <= kMaxLabelledRegions && spec.names.size() == regions)
        L.panels[0].labels = place_labels(shapes.shapes, spec.names, L.panels[0].transform, L.panels[0].frame, L.label_size, measure);
    return L;
}

std::string render_map(const MapSpec& spec, const PlanarShapes& shapes, Format format, PageSize size, Lang lang) {
    const MapLayout layout = layout_map(spec, shapes, size, lang);
    return draw_map(spec, shapes, layout, format, size);
}

} // namespace cakupan::render
