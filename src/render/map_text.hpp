// Text on maps: one font, measured the same way when laying out and when drawing.
#pragma once

#include <cairo.h>

#include <string>

namespace cakupan::render {

inline constexpr const char* kMapFont = "DejaVu Sans";

inline void set_map_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, kMapFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// Measures text without a page: a 1x1 image surface carries the font machinery.
class TextMeasure {
public:
    TextMeasure() : surface_(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)), cr_(cairo_create(surface_)) {}
    ~TextMeasure() {
        cairo_destroy(cr_);
        cairo_surface_destroy(surface_);
    }
    TextMeasure(const TextMeasure&) = delete;
    TextMeasure& operator=(const TextMeasure&) = delete;

    double width(const std::string& text, double size, bool bold = false) {
        set_map_font(cr_, size, bold);
        cairo_text_extents_t e;
        cairo_text_extents(cr_, text.c_str(), &e);
        return e.x_advance;
    }
    double ascent(double size) {
        set_map_font(cr_, size, false);
        cairo_font_extents_t e;
        cairo_font_extents(cr_, &e);
        return e.ascent;
    }
    double descent(double size) {
        set_map_font(cr_, size, false);
        cairo_font_extents_t e;
        cairo_font_extents(cr_, &e);
        return e.descent;
    }

private:
    cairo_surface_t* surface_;
    cairo_t* cr_;
};

} // namespace cakupan::render
