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
    if (!legend_note.text.empty()) // one text, however many lines it is drawn on
        out.push_back(legend_note.text + (legend_note_more.text.empty() ? "" : " " + legend_note_more.text));
    for (const auto& e : legend) out.push_back(e.label);
    for (const auto& t : panel_titles) out.push_back(t.text);
    out.push_back(scale_label.text);
    out.push_back(north_letter.text);
    if (!source.text.empty()) out.push_back(source.text);
    for (const auto& p : panels)
        for (const auto& l : p.labels) out.push_back(l.text);
    return out;
}

namespace {

// The layout on a page whose sides are both given.
MapLayout layout_on(const MapSpec& spec, const PlanarShapes& shapes, PageSize size, Lang lang) {
    MapLayout L;
    L.page = size;
    L.width = size.width_pt();
    L.height = size.height_pt();
    TextMeasure measure;
    const double W = L.width, H = L.height;
    const double m = size.margin_pt >= 0 ? std::min(size.margin_pt, 0.25 * std::min(W, H)) : 0.035 * std::min(W, H);
    // Body font size in points: with the page up to a 16 cm side, then 10 pt whatever the paper
    // (an A3 print reads as an A4 one, with more map).
    const double f = std::clamp(std::min(W, H) / 55.0, 5.0, 10.0);

    std::vector<std::vector<double>> values;
    for (const auto& p : spec.panels) values.push_back(p.values);
    L.classes = classify_panels(values, spec.style);

    // Header: title and subtitle, and footer: the source note. Their heights are those of the
    // full-size fonts whatever the texts (a long title is set smaller, a missing subtitle leaves
    // its line), so every map of a set on one page has the same frame and scale.
    double y = m;
    L.title = {spec.title, m, 0, fitting_size(measure, spec.title, 1.6 * f, W - 2 * m, true), true};
    y += measure.ascent(1.6 * f);
    L.title.y = y;
    y += measure.descent(1.6 * f) + 0.3 * f + measure.ascent(1.05 * f);
    if (!spec.subtitle.empty()) L.subtitle = {spec.subtitle, m, y, fitting_size(measure, spec.subtitle, 1.05 * f, W - 2 * m, false), false};
    y += measure.descent(1.05 * f);
    const double header_bottom = y + 0.8 * f;
    const double footer_top = H - m - measure.ascent(0.75 * f) - 0.6 * f;
    if (!spec.source.empty())
        L.source = {spec.source, m, H - m, fitting_size(measure, spec.source, 0.75 * f, W - 2 * m, false), false};

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
    // A set of maps says its classes are shared; a map on its own lists only the classes that
    // occur, unless their breaks were given.
    const std::string note = !spec.classes_note.empty() ? spec.classes_note
                             : single                   ? std::string()
                                                        : std::string(tr(lang, "same classes in every panel", "kelas sama di setiap panel"));
    const bool given = spec.style.scheme == Scheme::manual || (!spec.style.fixed.empty() && spec.style.categories.empty());
    if (note.empty() && !given) {
        const auto& pooled = L.classes.classification.counts;
        for (std::size_t k = L.legend.size(); k-- > 0;)
            if (!L.legend[k].no_data && (single ? L.legend[k].count : (k < pooled.size() ? pooled[k] : 1)) == 0)
                L.legend.erase(L.legend.begin() + static_cast<std::ptrdiff_t>(k));
    }

    // Legend column on the right, of a width set by the page alone (so the map frame is too);
    // the legend's font shrinks when its longest text would not fit.
    const double col_w = std::min(14 * 0.9 * f, 0.4 * W);
    double lf = 0.9 * f;
    const auto legend_w = [&](double font) {
        double w = 0;
        for (const auto& e : L.legend) w = std::max(w, 1.4 * font + 0.6 * font + measure.width(e.label, font));
        return w;
    };
    if (legend_w(lf) > col_w) lf = std::max(0.6 * lf, lf * col_w / legend_w(lf));
    const double swatch = 1.4 * lf, row = 1.55 * lf;
    L.legend_size = lf;
    L.label_size = 0.75 * f;
    const double col_x = W - m - col_w;
    const Rect area{m, header_bottom, std::max(10.0, col_x - m - 1.2 * f), std::max(10.0, footer_top - header_bottom)};

    double ly = area.y;
    if (!spec.legend_title.empty()) {
        L.legend_title = {spec.legend_title, col_x, ly + measure.ascent(lf), fitting_size(measure, spec.legend_title, lf, col_w, true), true};
        ly += row * 1.2;
    }
    if (!note.empty()) {
        // On one line when it fits at two thirds of the legend's size, else on two lines broken at
        // the space that makes the longer one shortest ("classes shared by every variant / but
        // the baseline" in the narrow column of a small page).
        std::string first = note, rest;
        const double fitted = fitting_size(measure, note, 0.8 * lf, col_w, false);
        if (measure.width(note, fitted, false) > col_w || fitted < 0.66 * lf) {
            double best = measure.width(note, 0.8 * lf, false);
            for (std::size_t at = note.find(' '); at != std::string::npos; at = note.find(' ', at + 1)) {
                const double w = std::max(measure.width(note.substr(0, at), 0.8 * lf, false), measure.width(note.substr(at + 1), 0.8 * lf, false));
                if (w < best) best = w, first = note.substr(0, at), rest = note.substr(at + 1);
            }
        }
        const double ns = std::min(fitting_size(measure, first, 0.8 * lf, col_w, false), fitting_size(measure, rest, 0.8 * lf, col_w, false));
        L.legend_note = {first, col_x, ly + measure.ascent(ns) - 0.2 * lf, ns, false};
        ly += row;
        if (!rest.empty()) {
            L.legend_note_more = {rest, col_x, L.legend_note.y + 1.5 * ns, ns, false};
            ly += 1.5 * ns;
        }
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
    L.columns = best_cols;
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
    else if (single && spec.labels && spec.parent_outlines.region_count() > 0 && spec.parent_names.size() == spec.parent_outlines.region_count())
        L.panels[0].labels = place_labels(spec.parent_outlines, spec.parent_names, L.panels[0].transform, L.panels[0].frame, L.label_size, measure);
    L.legend_bottom = ly;
    return L;
}

} // namespace

PageSize page_for_map(const MapSpec& spec, const PlanarShapes& shapes, PageSize size) {
    const Bounds b = bounds_of(shapes.shapes);
    const double aspect = b.width() > 0 && b.height() > 0 ? b.width() / b.height() : 1.0;
    if (size.turn_to_extent && (aspect > 1) != (size.width_px > size.height_px)) std::swap(size.width_px, size.height_px);
    if (size.width_px > 0 && size.height_px > 0) return size;
    // Neither side given: the longer side of the extent gets 6 2/3 in (2000 px at 300 dpi), so a
    // map has the same size in print, and its texts the same size on it, at any resolution.
    if (size.width_px <= 0 && size.height_px <= 0)
        (aspect >= 1 ? size.width_px : size.height_px) = static_cast<int>(std::lround(2000 * size.dpi / 300));
    const bool free_height = size.height_px <= 0;
    const int fixed = free_height ? size.width_px : size.height_px;
    const double px_per_pt = size.dpi / 72.0;
    int free = fixed; // start square, then remove (or add) what the frame does not use
    for (int round = 0; round < 6; ++round) {
        PageSize trial = size;
        (free_height ? trial.height_px : trial.width_px) = free;
        const MapLayout L = layout_on(spec, shapes, trial, Lang::en);
        if (L.panels.empty()) break;
        const Rect& fr = L.panels[0].frame;
        const auto cols = static_cast<double>(L.columns);
        const double rows = std::ceil(static_cast<double>(L.panels.size()) / cols);
        double change = free_height ? rows * (fr.w / aspect - fr.h) : cols * (fr.h * aspect - fr.w);
        // The legend column must fit above the north arrow and scale bar.
        if (free_height) change = std::max(change, L.legend_bottom - (L.north_y - L.north_size / 2 - 2.0 * L.north_letter.size));
        const int next = std::clamp(static_cast<int>(std::lround(free + change * px_per_pt)), fixed * 2 / 5, fixed * 5 / 2);
        if (next == free) break;
        free = next;
    }
    (free_height ? size.height_px : size.width_px) = std::clamp(free, 16, 20000);
    return size;
}

MapLayout layout_map(const MapSpec& spec, const PlanarShapes& shapes, PageSize size, Lang lang) {
    return layout_on(spec, shapes, page_for_map(spec, shapes, size), lang);
}

std::string render_map(const MapSpec& spec, const PlanarShapes& shapes, Format format, PageSize size, Lang lang) {
    const MapLayout layout = layout_map(spec, shapes, size, lang);
    return draw_map(spec, shapes, layout, format, layout.page);
}

} // namespace cakupan::render
