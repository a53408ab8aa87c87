#include "cakupan/render/canvas.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

namespace cakupan::render {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// Cairo names SVG groups after a process-wide surface counter ("surface17"), which would make
// the bytes depend on what was drawn before; number them by order of appearance instead.
std::string renumber_svg_surfaces(const std::string& svg) {
    static const std::regex id(R"(surface(\d+))");
    std::string out;
    std::vector<std::string> seen;
    auto last = svg.cbegin();
    for (std::sregex_iterator it(svg.begin(), svg.end(), id), end; it != end; ++it) {
        const std::string n = (*it)[1].str();
        auto pos = std::find(seen.begin(), seen.end(), n);
        if (pos == seen.end()) pos = seen.insert(seen.end(), n);
        out.append(last, (*it)[0].first);
        out += "surface" + std::to_string(pos - seen.begin() + 1);
        last = (*it)[0].second;
    }
    out.append(last, svg.cend());
    return out;
}

} // namespace

PageSize paper_page(const std::string& name, bool landscape, double dpi) {
    struct Paper {
        const char* name;
        double w_mm, h_mm;
    };
    static constexpr Paper papers[] = {{"a4", 210, 297}, {"a3", 297, 420}, {"letter", 215.9, 279.4}};
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& p : papers)
        if (lower == p.name) {
            const double w = landscape ? p.h_mm : p.w_mm, h = landscape ? p.w_mm : p.h_mm;
            PageSize size;
            size.dpi = dpi;
            size.width_px = static_cast<int>(std::lround(w / 25.4 * dpi));
            size.height_px = static_cast<int>(std::lround(h / 25.4 * dpi));
            return size;
        }
    throw UsageError("--page: unknown paper size '" + name + "'; use A4, A3 or letter");
}

Format format_for_path(const std::string& path) {
    const auto dot = path.find_last_of('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == "png") return Format::png;
    if (ext == "svg") return Format::svg;
    if (ext == "pdf") return Format::pdf;
    throw UsageError(path + ": unknown image format '" + ext + "' (expected .png, .svg or .pdf)");
}

const char* to_string(Format format) {
    switch (format) {
    case Format::png: return "png";
    case Format::svg: return "svg";
    case Format::pdf: return "pdf";
    }
    return "?";
}

struct Canvas::Impl {
    Format format;
    PageSize size;
    std::string bytes; // SVG and PDF stream here as Cairo writes
    cairo_surface_t* surface = nullptr;
    cairo_t* cr = nullptr;
    bool finished = false;
};

Canvas::Canvas(Format format, PageSize size) : impl_(std::make_unique<Impl>()) {
    if (size.width_px < 16 || size.height_px < 16 || size.width_px > 20000 || size.height_px > 20000)
        throw UsageError("image size " + std::to_string(size.width_px) + "x" + std::to_string(size.height_px) +
                         " px is outside 16..20000");
    if (!(size.dpi >= 36 && size.dpi <= 2400)) throw UsageError("--dpi must be between 36 and 2400");
    impl_->format = format;
    impl_->size = size;
    switch (format) {
    case Format::png:
        impl_->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size.width_px, size.height_px);
        break;
    case Format::svg:
        impl_->surface = cairo_svg_surface_create_for_stream(append, &impl_->bytes, size.width_pt(), size.height_pt());
        cairo_svg_surface_restrict_to_version(impl_->surface, CAIRO_SVG_VERSION_1_1);
        break;
    case Format::pdf:
        impl_->surface = cairo_pdf_surface_create_for_stream(append, &impl_->bytes, size.width_pt(), size.height_pt());
        // A fixed date keeps the bytes reproducible; the run manifest records when it ran.
        cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_CREATOR, "Cakupan");
        break;
    }
    impl_->cr = cairo_create(impl_->surface);
    if (cairo_status(impl_->cr) != CAIRO_STATUS_SUCCESS)
        throw OutputError(std::string("cannot create a drawing surface: ") + cairo_status_to_string(cairo_status(impl_->cr)));
    if (format == Format::png) cairo_scale(impl_->cr, size.dpi / 72.0, size.dpi / 72.0);
    // Glyphs unhinted with unrounded advances on every surface: otherwise a PNG's text depends on
    // which fonts earlier drawings in the same process left in Cairo's cache.
    cairo_font_options_t* fonts = cairo_font_options_create();
    cairo_font_options_set_hint_style(fonts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fonts, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(impl_->cr, fonts);
    cairo_font_options_destroy(fonts);
    // Print-ready: an opaque white page, not a transparent one.
    cairo_set_source_rgb(impl_->cr, 1, 1, 1);
    cairo_paint(impl_->cr);
}

Canvas::~Canvas() {
    if (impl_->cr) cairo_destroy(impl_->cr);
    if (impl_->surface) cairo_surface_destroy(impl_->surface);
}

Format Canvas::format() const { return impl_->format; }
double Canvas::width() const { return impl_->size.width_pt(); }
double Canvas::height() const { return impl_->size.height_pt(); }

cairo_t* Canvas::cr() {
    if (impl_->finished) throw Error("canvas used after finish()");
    return impl_->cr;
}

std::string Canvas::finish() {
    if (impl_->finished) throw Error("canvas finished twice");
    impl_->finished = true;
    const cairo_status_t drawn = cairo_status(impl_->cr);
    cairo_destroy(impl_->cr);
    impl_->cr = nullptr;
    if (drawn != CAIRO_STATUS_SUCCESS) throw OutputError(std::string("drawing failed: ") + cairo_status_to_string(drawn));
    std::string out;
    if (impl_->format == Format::png) {
        cairo_surface_flush(impl_->surface);
        const cairo_status_t s = cairo_surface_write_to_png_stream(impl_->surface, append, &out);
        if (s != CAIRO_STATUS_SUCCESS) throw OutputError(std::string("PNG encoding failed: ") + cairo_status_to_string(s));
    } else {
        cairo_surface_finish(impl_->surface); // flushes the document into impl_->bytes
        const cairo_status_t s = cairo_surface_status(impl_->surface);
        if (s != CAIRO_STATUS_SUCCESS) throw OutputError(std::string("document writing failed: ") + cairo_status_to_string(s));
        out = impl_->format == Format::svg ? renumber_svg_surfaces(impl_->bytes) : std::move(impl_->bytes);
    }
    cairo_surface_destroy(impl_->surface);
    impl_->surface = nullptr;
    return out;
}

std::string drawn_for(const std::string& path, const std::function<std::string()>& draw) {
    try {
        return draw();
    } catch (const OutputError& e) {
        throw OutputError(path + ": " + e.what());
    }
}

void save(Canvas& canvas, const std::string& path, bool overwrite) {
    write_file_atomically(path, drawn_for(path, [&] { return canvas.finish(); }), overwrite);
}

} // namespace cakupan::render
