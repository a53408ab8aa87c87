// The figures and the report of a run directory: charts (coverage over time, members added by
// lever, cost per added member), maps (render_run_map) and one self-contained HTML file that a
// provincial office can e-mail: every figure as inline SVG, CSS inline, nothing fetched.
#pragma once

#include "cakupan/render/canvas.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/run/run_reader.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// A block of HTML added to the report after the charts (e.g. a sensitivity study). `html` is
// trusted markup: escape input text with escape_html and inline figures with inline_svg.
struct ReportSection {
    std::string id;    // anchor, [a-z0-9-]
    std::string title; // plain text, escaped by the report
    std::string html;
};

struct ReportOptions {
    render::Lang lang = render::Lang::id;
    std::string out;   // "" = RUN_DIR/report.html, or RUN_DIR/report-en.html in English
    bool force = false; // replace an existing report
    bool maps = true;   // draw the maps (off: charts and tables only)
    std::vector<ReportSection> extra_sections;
    // Above this many regions maps are embedded as PNG (base64 data: URIs) instead of inline SVG:
    // an SVG of the 83,403 villages is 35 MB, too big for a browser page or an e-mail.
    std::size_t svg_map_max_regions = 5000;
    // Above this many regions each variant's table lists only the `table_extremes` regions with
    // the lowest and the highest median coverage, and says the full table is in regions.gpkg.
    std::size_t table_max_regions = 200;
    std::size_t table_extremes = 25;
};

// "report.html" for Indonesian (the default language), "report-en.html" for English.
std::string default_report_name(render::Lang lang);

// The whole document, drawn from `run` alone (in memory after a run, or read back by read_run).
std::string report_html(const RunData& run, const ReportOptions& options);

// Reads the run directory, writes the report atomically and returns its path. OutputError if it
// exists and !force; InputError if the run directory cannot be read.
std::string write_report(const std::string& run_dir, const ReportOptions& options);

// One chart of a run: file name without extension ("coverage-all"), caption, bytes.
struct RunFigure {
    std::string name;
    std::string caption;
    std::string bytes;
};

// The run's charts in reading order: coverage over time for all regions, per region (when the
// run has region rows and at most 12 regions), members added by lever, cost per added member.
std::vector<RunFigure> run_charts(const RunData& run, render::Format format, render::Lang lang);

// What `cakupan run` writes beside its data files.
struct FigureOptions {
    render::Lang lang = render::Lang::id;
    std::vector<render::Format> formats = {render::Format::png, render::Format::svg};
    bool formats_chosen = false; // --figure-format was given: write exactly those formats
    bool maps = true;
    bool charts = true;
    bool report = true;
    // Above this many regions the default formats write maps as PNG only, and the report embeds
    // them as PNG; formats the user chose are written as asked.
    std::size_t svg_map_max_regions = 5000;
    std::size_t table_max_regions = 200; // as in ReportOptions
    // Called before each step ("charts", "maps 3/25", "report"): a village layer's maps take
    // seconds, and a terminal shows which step is running.
    std::function<void(const std::string& step)> step;
};

// Writes maps/NAME.EXT, charts/NAME.EXT and the report of `run` into its directory `dir`. Nothing
// is overwritten. `run` is what the data files hold, so `report RUN_DIR` later draws the same.
void write_run_figures(const std::string& dir, const RunData& run, const FigureOptions& options);

// "png,pdf" -> formats; UsageError naming --figure-format otherwise.
std::vector<render::Format> parse_figure_formats(std::string_view list);

// A document of sections alone (e.g. the report.html of a sensitivity study): the run report's
// style, title, lead line, contents and footer around them. Self-contained like the run report.
std::string report_document(std::string_view title, std::string_view lead, const std::vector<ReportSection>& sections,
                            render::Lang lang);

// Text for HTML content and attribute values: & < > " ' escaped.
std::string escape_html(std::string_view text);

// A Cairo SVG made fit to sit inside an HTML document beside others: XML prolog removed, every
// id and every reference to one (href="#..", url(#..)) prefixed with `prefix` so glyphs and clips
// of one figure never resolve to another's, and the size made relative (width 100%).
std::string inline_svg(std::string_view svg, std::string_view prefix);

} // namespace cakupan
