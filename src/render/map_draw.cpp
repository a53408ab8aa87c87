#include "cakupan/render/map.hpp"

#include "map_text.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>

namespace cakupan::render {

namespace {

void set_colour(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// No data: the palette's grey crossed by thin darker diagonals every 3 pt, a pattern repeating in
// user space (so PNG bands join seamlessly; in SVG one <pattern> that every such region's single
// <path> fills with). The caller destroys it.
cairo_pattern_t* no_data_hatch() {
    constexpr double s = 3.0;
    const cairo_rectangle_t extent{0, 0, s, s};
    cairo_surface_t* tile = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extent);
    cairo_t* t = cairo_create(tile);
    const Rgb g = no_data_colour();
    cairo_set_source_rgb(t, g.r, g.g, g.b);
    cairo_paint(t);
    cairo_set_source_rgb(t, 0.62 * g.r, 0.62 * g.g, 0.62 * g.b);
    cairo_set_line_width(t, 0.35);
    // The diagonal and its neighbours through the corners, so the lines continue across tiles.
    for (const double o : {-s, 0.0, s}) {
        cairo_move_to(t, o - 1, s + 1);
        cairo_line_to(t, o + s + 1, -1);
    }
    cairo_stroke(t);
    cairo_destroy(t);
    cairo_pattern_t* p = cairo_pattern_create_for_surface(tile);
    cairo_surface_destroy(tile);
    cairo_pattern_set_extend(p, CAIRO_EXTEND_REPEAT);
    return p;
}

void show_text(cairo_t* cr, const TextBox& t) {
    if (t.text.empty()) return;
    set_map_font(cr, t.size, t.bold);
    cairo_move_to(cr, t.x, t.y);
    cairo_show_text(cr, t.text.c_str());
}

// One path for all parts and rings of a region, filled by the even-odd rule so holes stay
// open. Rings smaller than `tol` points become a dot of that size (shells) or vanish (holes);
// vertices closer than tol/2 to the last one drawn are skipped: invisible at the output's
// resolution and most of the work on the national village layer.
bool region_path(cairo_t* cr, const ShapeSet& s, std::size_t r, const PageTransform& t, double tol, const Rect& clip) {
    bool any = false;
    const double half = tol / 2;
    for (std::size_t part = s.region_start[r]; part < s.region_start[r + 1]; ++part)
        for (std::size_t ring = s.part_start[part]; ring < s.part_start[part + 1]; ++ring) {
            const std::size_t a = s.ring_start[ring], e = s.ring_start[ring + 1];
            if (e - a < 3) continue;
            double x0 = s.x[a], x1 = x0, y0 = s.y[a], y1 = y0;
            for (std::size_t i = a + 1; i < e; ++i) {
                x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
                y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
            }
            const double px0 = t.px(x0), px1 = t.px(x1), py0 = t.py(y1), py1 = t.py(y0);
            if (px1 < clip.x || px0 > clip.x + clip.w || py1 < clip.y || py0 > clip.y + clip.h) continue; // off the frame
            if (px1 - px0 < tol && py1 - py0 < tol) {
                if (ring != s.part_start[part]) continue; // a sub-pixel hole: nothing to see
                const double cx = (px0 + px1) / 2, cy = (py0 + py1) / 2;
                cairo_rectangle(cr, cx - half, cy - half, tol, tol);
                any = true;
                continue;
            }
            double lx = t.px(s.x[a]), ly = t.py(s.y[a]);
            cairo_move_to(cr, lx, ly);
            for (std::size_t i = a + 1; i + 1 < e; ++i) {
                const double px = t.px(s.x[i]), py = t.py(s.y[i]);
                if (std::fabs(px - lx) < half && std::fabs(py - ly) < half) continue;
                cairo_line_to(cr, px, py);
                lx = px, ly = py;
            }
            cairo_close_path(cr);
            any = true;
        }
    return any;
}

void draw_regions(cairo_t* cr, const MapSpec& spec, const ShapeSet& shapes, const MapLayout& L, std::size_t panel,
                  double tol, const Rect& band) {
    const PanelLayout& p = L.panels[panel];
    // Rings off the frame or off the band being drawn are skipped.
    const double x0 = std::max(p.frame.x, band.x), y0 = std::max(p.frame.y, band.y);
    const Rect clip{x0, y0, std::min(p.frame.x + p.frame.w, band.x + band.w) - x0, std::min(p.frame.y + p.frame.h, band.y + band.h) - y0};
    if (clip.w < 0 || clip.h < 0) return;
    const auto& values = spec.panels[panel].values;
    const Classification& c = L.classes.classification;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_width(cr, L.outline_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    // Thousands of grey outlines would grey the whole map: on dense layers each region is
    // outlined in a slightly darker shade of its own colour instead.
    const bool dense = shapes.region_count() > 2000;
    const Rgb grey{0.45, 0.45, 0.45};
    cairo_pattern_t* hatch = nullptr; // made on the first region without data
    for (std::size_t r = 0; r < shapes.region_count(); ++r) {
        if (shapes.empty_region(r)) continue;
        cairo_new_path(cr);
        if (!region_path(cr, shapes, r, p.transform, tol, clip)) continue;
        const double v = r < values.size() ? values[r] : NAN;
        const int k = std::isnan(v) || L.classes.colours.empty() ? -1 : c.class_of(v);
        const Rgb fill = k < 0 ? no_data_colour() : L.classes.colours[static_cast<std::size_t>(k)];
        if (k < 0) {
            if (hatch == nullptr) hatch = no_data_hatch();
            cairo_set_source(cr, hatch);
        } else {
            set_colour(cr, fill);
        }
        cairo_fill_preserve(cr);
        set_colour(cr, dense ? Rgb{0.8 * fill.r, 0.8 * fill.g, 0.8 * fill.b} : grey);
        cairo_stroke(cr);
    }
    if (hatch != nullptr) cairo_pattern_destroy(hatch);
}

// The coarser level's outlines, dark and three times as wide as the regions', so the kecamatan
// of a village map read at a glance.
void draw_parent_outlines(cairo_t* cr, const MapSpec& spec, const PanelLayout& p, double width, double tol) {
    if (spec.parent_outlines.region_count() == 0) return;
    cairo_save(cr);
    cairo_rectangle(cr, p.frame.x, p.frame.y, p.frame.w, p.frame.h);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_width(cr, 3 * width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    for (std::size_t r = 0; r < spec.parent_outlines.region_count(); ++r) {
        if (spec.parent_outlines.empty_region(r)) continue;
        cairo_new_path(cr);
        if (region_path(cr, spec.parent_outlines, r, p.transform, tol, p.frame)) cairo_stroke(cr);
    }
    cairo_restore(cr);
}

void draw_labels(cairo_t* cr, const PanelLayout& p, double size) {
    set_map_font(cr, size, false);
    for (const auto& l : p.labels) {
        // A white halo keeps names legible over dark classes.
        cairo_new_path(cr);
        cairo_move_to(cr, l.x, l.y);
        cairo_text_path(cr, l.text.c_str());
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, size * 0.22);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, l.x, l.y);
        cairo_show_text(cr, l.text.c_str());
    }
}

void draw_legend(cairo_t* cr, const MapLayout& L) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    show_text(cr, L.legend_title);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    show_text(cr, L.legend_note);
    show_text(cr, L.legend_note_more);
    for (const auto& e : L.legend) {
        cairo_new_path(cr);
        cairo_rectangle(cr, e.swatch.x, e.swatch.y, e.swatch.w, e.swatch.h);
        if (e.no_data) {
            cairo_pattern_t* hatch = no_data_hatch();
            cairo_set_source(cr, hatch);
            cairo_fill(cr);
            cairo_pattern_destroy(hatch);
        } else {
            set_colour(cr, e.colour);
            cairo_fill(cr);
        }
        // The border inset by half its width: a different path, which Cairo does not merge with
        // the fill, so in SVG a swatch never looks like a region (filled and stroked at once).
        cairo_rectangle(cr, e.swatch.x + 0.15, e.swatch.y + 0.15, e.swatch.w - 0.3, e.swatch.h - 0.3);
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_set_line_width(cr, 0.3);
        cairo_stroke(cr);
        const double size = L.legend_size;
        set_map_font(cr, size, false);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, e.swatch.x + e.swatch.w + 0.6 * size, e.swatch.y + e.swatch.h * 0.8);
        cairo_show_text(cr, e.label.c_str());
    }
}

void draw_scale_and_north(cairo_t* cr, const MapLayout& L) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (L.scale_length > 0) {
        const double h = L.scale_label.size * 0.45, half = L.scale_length / 2;
        cairo_new_path(cr);
        cairo_rectangle(cr, L.scale_x, L.scale_y - h, half, h);
        cairo_fill(cr);
        cairo_rectangle(cr, L.scale_x, L.scale_y - h, L.scale_length, h);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
        show_text(cr, L.scale_label);
    }
    // North arrow: a dart pointing to north (rotated when the projection turns it).
    cairo_save(cr);
    cairo_translate(cr, L.north_x, L.north_y);
    cairo_rotate(cr, L.north_angle);
    const double s = L.north_size / 2;
    cairo_new_path(cr);
    cairo_move_to(cr, 0, -s);
    cairo_line_to(cr, 0.45 * s, s);
    cairo_line_to(cr, 0, 0.55 * s);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -s);
    cairo_line_to(cr, -0.45 * s, s);
    cairo_line_to(cr, 0, 0.55 * s);
    cairo_close_path(cr);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    cairo_restore(cr);
    show_text(cr, L.north_letter);
}

// PNG regions drawn in horizontal bands of the image, in parallel, each on its own surface, then
// laid on the page in order. The bands are fixed (not one per thread), so the pixels do not depend
// on the thread count; at the national village layer this halves the drawing time on two cores.
void draw_regions_in_bands(cairo_t* page, const MapSpec& spec, const ShapeSet& shapes, const MapLayout& L,
                           std::size_t panels, double tol, PageSize size) {
    constexpr int kBands = 8;
    const double px_per_pt = size.dpi / 72.0;
    const int band_px = (size.height_px + kBands - 1) / kBands;
    std::vector<cairo_surface_t*> bands(kBands, nullptr);
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < kBands; ++b) {
        const int top = b * band_px, rows = std::min(band_px, size.height_px - top);
        if (rows <= 0) continue;
        cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width_px, rows);
        cairo_t* cr = cairo_create(surface);
        cairo_translate(cr, 0, -top);
        cairo_scale(cr, px_per_pt, px_per_pt);
        const Rect band{0, top / px_per_pt - tol, L.width, rows / px_per_pt + 2 * tol};
        for (std::size_t i = 0; i < panels; ++i) draw_regions(cr, spec, shapes, L, i, tol, band);
        cairo_destroy(cr);
        bands[static_cast<std::size_t>(b)] = surface;
    }
    cairo_save(page);
    cairo_identity_matrix(page);
    for (int b = 0; b < kBands; ++b) {
        cairo_surface_t* surface = bands[static_cast<std::size_t>(b)];
        if (surface == nullptr) continue;
        cairo_set_source_surface(page, surface, 0, b * band_px);
        cairo_paint(page);
        cairo_surface_destroy(surface);
    }
    cairo_restore(page);
}

} // namespace

std::string draw_map(const MapSpec& spec, const PlanarShapes& shapes, const MapLayout& L, Format format, PageSize size) {
    if (size.width_px <= 0 || size.height_px <= 0) size = L.page; // a side chosen by the layout
    Canvas canvas(format, size);
    cairo_t* cr = canvas.cr();
    const double tol = 0.5 * 72.0 / size.dpi; // half a pixel at the output's resolution, in points
    const std::size_t panels = std::min(L.panels.size(), spec.panels.size());
    if (format == Format::png) {
        draw_regions_in_bands(cr, spec, shapes.shapes, L, panels, tol, size);
    } else {
        for (std::size_t i = 0; i < panels; ++i) draw_regions(cr, spec, shapes.shapes, L, i, tol, {0, 0, L.width, L.height});
    }
    for (std::size_t i = 0; i < panels; ++i) draw_parent_outlines(cr, spec, L.panels[i], L.outline_width, tol);
    for (const auto& p : L.panels) draw_labels(cr, p, L.label_size);
    cairo_set_source_rgb(cr, 0, 0, 0);
    show_text(cr, L.title);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    show_text(cr, L.subtitle);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (const auto& t : L.panel_titles) show_text(cr, t);
    draw_legend(cr, L);
    draw_scale_and_north(cr, L);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    show_text(cr, L.source);
    return canvas.finish();
}

} // namespace cakupan::render
