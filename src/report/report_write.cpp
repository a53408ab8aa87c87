// Writing the report and the figure files of a run directory.
#include "cakupan/error.hpp"
#include "cakupan/output.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report.hpp"
#include "report_texts.hpp"

#include <algorithm>
#include <filesystem>

namespace cakupan {

namespace fs = std::filesystem;

std::vector<render::Format> parse_figure_formats(std::string_view list) {
    std::vector<render::Format> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        const std::string item(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        render::Format f;
        if (item == "png")
            f = render::Format::png;
        else if (item == "svg")
            f = render::Format::svg;
        else if (item == "pdf")
            f = render::Format::pdf;
        else
            throw UsageError("--figure-format: '" + item + "' is not a format (expected a comma-separated list of png, svg, pdf)");
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string write_report(const std::string& run_dir, const ReportOptions& options) {
    const RunData run = read_run(run_dir);
    const std::string path = options.out.empty() ? (fs::path(run_dir) / default_report_name(options.lang)).string() : options.out;
    std::error_code ec;
    if (fs::exists(path, ec) && !options.force) throw OutputError(path + ": exists; pass --force to replace it");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw OutputError(path + ": directory " + parent.string() + " does not exist");
    write_file_atomically(path, report_html(run, options), options.force);
    return path;
}

void write_run_figures(const std::string& dir, const FigureOptions& options) {
    std::error_code ec;
    const fs::path root(dir);
    const RunData run = read_run(dir);
    auto make_dir = [&](const char* name) {
        fs::create_directories(root / name, ec);
        if (ec) throw OutputError((root / name).string() + ": cannot create: " + ec.message());
    };
    if (options.charts && !options.formats.empty()) {
        make_dir("charts");
        for (const auto f : options.formats)
            for (const auto& c : run_charts(run, f, options.lang))
                write_file_atomically((root / "charts" / (c.name + "." + render::to_string(f))).string(), c.bytes, false);
    }
    // Each map is drawn once per format; its SVG (drawn anyway for the report) is also the file.
    std::vector<report_detail::MapFigure> svgs;
    const bool want_svgs = options.maps && options.report;
    if (options.maps && (!options.formats.empty() || want_svgs)) {
        if (!options.formats.empty()) make_dir("maps");
        render::RunMapOptions mo;
        mo.lang = options.lang;
        for (const auto& request : render::default_run_maps(dir)) {
            const std::string base = (root / "maps" / render::run_map_file_name(request)).string();
            for (const auto f : options.formats) {
                if (f == render::Format::svg && want_svgs) continue;
                mo.format = f;
                // PNGs are for pasting into documents and e-mails: the same layout at 150 dpi
                // costs a quarter of the pixels; print from the SVG or PDF.
                mo.size = render::RunMapOptions{}.size;
                if (f == render::Format::png) {
                    mo.size.width_px = static_cast<int>(mo.size.width_px * 150 / mo.size.dpi);
                    mo.size.height_px = static_cast<int>(mo.size.height_px * 150 / mo.size.dpi);
                    mo.size.dpi = 150;
                }
                write_file_atomically(base + "." + render::to_string(f), render::render_run_map(dir, request, mo), false);
            }
            const bool svg_file = std::find(options.formats.begin(), options.formats.end(), render::Format::svg) != options.formats.end();
            if (want_svgs) {
                mo.format = render::Format::svg;
                svgs.push_back({request, render::render_run_map(dir, request, mo)});
                if (svg_file) write_file_atomically(base + ".svg", svgs.back().svg, false);
            }
        }
    }
    if (options.report) {
        ReportOptions ro;
        ro.lang = options.lang;
        ro.maps = options.maps;
        const std::string path = (root / default_report_name(options.lang)).string();
        write_file_atomically(path, report_detail::report_html(run, ro, options.maps ? &svgs : nullptr), false);
    }
}

} // namespace cakupan
