// A drawing surface on Cairo that becomes a PNG, SVG or PDF file. Layout works in points
// (1/72 inch) whatever the format, so a map laid out once prints the same at any DPI; PNG
// pixels are points scaled by dpi/72.
#pragma once

#include <functional>
#include <memory>
#include <string>

typedef struct _cairo cairo_t; // NOLINT: Cairo's own opaque type, so callers need not include cairo.h

namespace cakupan::render {

enum class Format { png, svg, pdf };

// Runs `draw`, which returns a figure's bytes, and puts `path` in front of any OutputError it
// throws: a canvas knows what failed ("drawing failed: invalid matrix") but not which file the
// figure was for, and every error line names its file.
std::string drawn_for(const std::string& path, const std::function<std::string()>& draw);

// ".png", ".svg" or ".pdf" (any case); UsageError for anything else.
Format format_for_path(const std::string& path);
const char* to_string(Format format);

// A page in pixels at `dpi`; points are pixels x 72 / dpi. For maps a side of 0 is chosen from
// the mapped extent (render::page_for_map) and `margin_pt` < 0 means 3.5% of the shorter side.
struct PageSize {
    int width_px = 2000;
    int height_px = 2000;
    double dpi = 300;
    double margin_pt = -1;
    bool turn_to_extent = false; // maps: a page turned to landscape for a wide extent, portrait for a tall one
    double width_pt() const { return width_px * 72.0 / dpi; }
    double height_pt() const { return height_px * 72.0 / dpi; }
};

// A named paper size: "A4" (210 x 297 mm), "A3" (297 x 420 mm) or "letter" (8.5 x 11 in), any
// case, portrait unless `landscape`, in pixels at `dpi`. UsageError naming the known sizes.
PageSize paper_page(const std::string& name, bool landscape, double dpi);

class Canvas {
public:
    Canvas(Format format, PageSize size);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    Format format() const;
    double width() const;  // points
    double height() const; // points
    // The Cairo context, user space in points with the origin top left. Valid until finish().
    cairo_t* cr();

    // Ends drawing and returns the file's bytes. Same drawing -> same bytes (no dates, no
    // random ids). Throws OutputError if Cairo reports an error.
    std::string finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// finish() and write the bytes atomically to `path` (OutputError if it exists and !overwrite).
void save(Canvas& canvas, const std::string& path, bool overwrite);

} // namespace cakupan::render
