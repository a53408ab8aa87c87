// Writing the report and the figure files of a run directory.
#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"
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

render::PageSize report_detail::png_map_page() {
    render::PageSize size = render::RunMapOptions{}.size; // from the extent, at half the resolution
    size.dpi = 150;
    return size;
}

std::vector<report_detail::MapFigure> report_detail::report_maps(const RunData& run, const ReportOptions& options) {
    render::RunMapOptions mo;
    mo.lang = options.lang;
    const bool png = static_cast<std::size_t>(run.summary.region_count) > options.svg_map_max_regions;
    mo.format = png ? render::Format::png : render::Format::svg;
    if (png) mo.size = png_map_page();
    std::vector<MapFigure> out;
    const render::RunMaps maps(run);
    for (const auto& request : maps.defaults()) {
        MapFigure f{request, {}, {}, {}};
        (png ? f.png : f.svg) = maps.render(request, mo);
        if (!png) f.tooltips = maps.tooltips(request, mo);
        out.push_back(std::move(f));
    }
    return out;
}

std::string write_report(const std::string& run_dir, const ReportOptions& options) {
    const std::string path = options.out.empty() ? (fs::path(run_dir) / default_report_name(options.lang)).string() : options.out;
    // An --out elsewhere is checked before the run is read and drawn; the default lies in the run
    // directory, which must be read first to say what is wrong with it.
    if (!options.out.empty()) check_output_file(path, options.force, run_directory_inputs(run_dir));
    const RunData run = read_run(run_dir);
    if (options.out.empty()) check_output_file(path, options.force, run_directory_inputs(run_dir));
    write_file_atomically(path, render::drawn_for(path, [&] { return report_html(run, options); }), options.force);
    return path;
}

void write_run_figures(const std::string& dir, const RunData& run, const FigureOptions& options) {
    std::error_code ec;
    const fs::path root(dir);
    auto make_dir = [&](const char* name) {
        fs::create_directories(root / name, ec);
        if (ec) throw OutputError((root / name).string() + ": cannot create: " + ec.message());
    };
    const auto step = [&](const std::string& s) {
        if (options.step) options.step(s);
    };
    if (options.charts && !options.formats.empty()) {
        step("charts");
        make_dir("charts");
        for (const auto f : options.formats) {
            std::vector<RunFigure> charts;
            try {
                charts = run_charts(run, f, options.lang);
            } catch (const OutputError& e) { // a failed drawing names its file, like every error
                throw OutputError((root / "charts").string() + ": " + e.what());
            }
            for (const auto& c : charts)
                write_file_atomically((root / "charts" / (c.name + "." + render::to_string(f))).string(), c.bytes, false);
        }
    }
    // Each map is drawn once per format and serves both its file and the report. On big layers
    // (more regions than svg_map_max_regions) the default png,svg gives PNG maps only and the
    // report embeds the PNGs: an SVG of 83,403 villages is 35 MB and slow to draw and to open.
    const bool big = static_cast<std::size_t>(run.summary.region_count) > options.svg_map_max_regions;
    std::vector<render::Format> map_formats = options.formats;
    if (big && !options.formats_chosen) map_formats = {render::Format::png};
    const auto has = [&](render::Format f) { return std::find(map_formats.begin(), map_formats.end(), f) != map_formats.end(); };
    std::vector<report_detail::MapFigure> figures;
    const bool for_report = options.maps && options.report;
    const render::Format report_format = big ? render::Format::png : render::Format::svg;
    if (options.maps && (!map_formats.empty() || for_report)) {
        if (!map_formats.empty()) make_dir("maps");
        render::RunMapOptions mo;
        mo.lang = options.lang;
        std::vector<render::Format> draw = map_formats;
        if (for_report && !has(report_format)) draw.push_back(report_format);
        const render::RunMaps maps(run);
        const auto requests = maps.defaults();
        for (const auto& request : requests) {
            step("maps " + std::to_string(&request - requests.data() + 1) + "/" + std::to_string(requests.size()));
            const std::string base = (root / "maps" / render::run_map_file_name(request)).string();
            report_detail::MapFigure figure{request, {}, {}, {}};
            for (const auto f : draw) {
                mo.format = f;
                // PNGs are for pasting into documents and e-mails: the same layout at 150 dpi
                // costs a quarter of the pixels; print from the SVG or PDF.
                mo.size = f == render::Format::png ? report_detail::png_map_page() : render::RunMapOptions{}.size;
                std::string bytes = render::drawn_for(base + "." + render::to_string(f), [&] { return maps.render(request, mo); });
                if (has(f)) write_file_atomically(base + "." + render::to_string(f), bytes, false);
                if (for_report && f == report_format) (big ? figure.png : figure.svg) = std::move(bytes);
            }
            if (for_report && !big) {
                mo.size = render::RunMapOptions{}.size;
                figure.tooltips = maps.tooltips(request, mo);
            }
            if (for_report) figures.push_back(std::move(figure));
        }
    }
    if (options.report) {
        step("report");
        ReportOptions ro;
        ro.lang = options.lang;
        ro.maps = options.maps;
        ro.svg_map_max_regions = options.svg_map_max_regions;
        ro.table_max_regions = options.table_max_regions;
        const std::string path = (root / default_report_name(options.lang)).string();
        write_file_atomically(path,
                              render::drawn_for(path, [&] { return report_detail::report_html(run, ro, options.maps ? &figures : nullptr); }),
                              false);
    }
}

} // namespace cakupan
