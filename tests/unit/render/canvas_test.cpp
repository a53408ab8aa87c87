#include "cakupan/common/error.hpp"
#include "cakupan/render/canvas.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <string>

using namespace cakupan;
using namespace cakupan::render;

namespace {

std::string draw_square(Format format, PageSize size) {
    Canvas canvas(format, size);
    cairo_t* cr = canvas.cr();
    cairo_rectangle(cr, 0, 0, canvas.width() / 2, canvas.height() / 2);
    cairo_set_source_rgb(cr, 1, 0, 0);
    cairo_fill(cr);
    return canvas.finish();
}

cairo_status_t read_from(void* closure, unsigned char* data, unsigned int length) {
    auto* s = static_cast<std::string*>(closure);
    if (s->size() < length) return CAIRO_STATUS_READ_ERROR;
    s->copy(reinterpret_cast<char*>(data), length);
    s->erase(0, length);
    return CAIRO_STATUS_SUCCESS;
}

} // namespace

TEST(Canvas, FormatComesFromTheExtension) {
    EXPECT_EQ(format_for_path("map.PNG"), Format::png);
    EXPECT_EQ(format_for_path("a/b.svg"), Format::svg);
    EXPECT_EQ(format_for_path("x.pdf"), Format::pdf);
    try {
        format_for_path("map.jpg");
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "map.jpg: unknown image format 'jpg' (expected .png, .svg or .pdf)");
    }
}

TEST(Canvas, PngHasThePixelSizeAndPointsScaleWithDpi) {
    const PageSize size{400, 200, 144};
    EXPECT_DOUBLE_EQ(size.width_pt(), 200);
    std::string png = draw_square(Format::png, size);
    ASSERT_EQ(png.compare(1, 3, "PNG"), 0);
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read_from, &png);
    ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    EXPECT_EQ(cairo_image_surface_get_width(s), 400);
    EXPECT_EQ(cairo_image_surface_get_height(s), 200);
    // The square covers the top-left quarter in pixels, whatever the DPI: red there, white page elsewhere.
    const unsigned char* px = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    auto pixel = [&](int x, int y) { return *reinterpret_cast<const std::uint32_t*>(px + y * stride + x * 4); };
    EXPECT_EQ(pixel(10, 10), 0xffff0000u);
    EXPECT_EQ(pixel(390, 190), 0xffffffffu);
    EXPECT_EQ(pixel(199, 99), 0xffff0000u);
    EXPECT_EQ(pixel(200, 100), 0xffffffffu);
    cairo_surface_destroy(s);
}

TEST(Canvas, SameDrawingGivesTheSameBytesInEveryFormat) {
    for (Format f : {Format::png, Format::svg, Format::pdf}) {
        // A canvas drawn in between must not change the bytes (Cairo numbers surfaces process-wide).
        const std::string first = draw_square(f, {300, 300, 72});
        draw_square(Format::svg, {100, 100, 72});
        EXPECT_EQ(first, draw_square(f, {300, 300, 72})) << to_string(f);
    }
}

TEST(Canvas, SvgAndPdfAreSizedInPoints) {
    const std::string svg = draw_square(Format::svg, {600, 300, 300});
    EXPECT_NE(svg.find("width=\"144pt\""), std::string::npos) << svg.substr(0, 300);
    EXPECT_NE(svg.find("height=\"72pt\""), std::string::npos);
    const std::string pdf = draw_square(Format::pdf, {600, 300, 300});
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_NE(pdf.find("/MediaBox [ 0 0 144 72 ]"), std::string::npos);
}

TEST(Canvas, RefusesAbsurdSizes) {
    EXPECT_THROW(Canvas(Format::png, {0, 100, 72}), UsageError);
    EXPECT_THROW(Canvas(Format::png, {100, 100, 5}), UsageError);
}

// A drawing that fails (here a matrix that cannot be inverted) is an output error that names the
// file it was for; the canvas alone used to say only "drawing failed".
TEST(Canvas, FailedDrawingNamesItsFile) {
    using namespace cakupan;
    const std::string path = ::testing::TempDir() + "cakupan-failed-drawing.png";
    render::Canvas canvas(render::Format::png, render::PageSize{100, 100, 72});
    cairo_scale(canvas.cr(), 0, 0);
    cairo_rectangle(canvas.cr(), 0, 0, 10, 10);
    try {
        render::save(canvas, path, false);
        FAIL() << "no error";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), path + ": drawing failed: invalid matrix (not invertible)");
    }
    EXPECT_EQ(render::drawn_for("maps/x.svg", [] { return std::string("ok"); }), "ok");
}
