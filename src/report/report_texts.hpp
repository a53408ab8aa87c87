// Names shared by the charts and the report, in both languages.
#pragma once

#include "cakupan/render/lang.hpp"

#include <string>

namespace cakupan::report_detail {

// A lever of summary.json ("village_programme") as a reader calls it; unknown keys as they are.
std::string lever_name(render::Lang lang, const std::string& key);

} // namespace cakupan::report_detail

#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"

#include <unordered_map>
#include <vector>

namespace cakupan::report_detail {

// Shares glyphs and big paths between the inline figures of one document (svg_share.cpp): give
// it each figure after inline_svg, in document order.
class SvgSharer {
public:
    std::string share(std::string svg);
    static constexpr std::size_t kMinShared = 256;  // bytes of a <path/> worth a <use>

private:
    std::unordered_map<std::string, std::string> symbols_; // glyph content -> id of its first symbol
    std::unordered_map<std::string, std::string> paths_;   // whole <path/> element -> id given
    std::unordered_map<std::string, std::string> geometries_; // d="..." of a closed <path/> -> id of its <defs> copy
};

// A map already drawn as SVG, so `cakupan run` draws each map once for its file and the report.
struct MapFigure {
    render::RunMapRequest request;
    std::string svg;
    std::string png; // set instead of svg on big layers: embedded as a data: URI
    std::string tooltips; // with svg: RunMaps::tooltips, laid over the map in the page
};

// The map requests of a run drawn for the report: SVG, or PNG above options.svg_map_max_regions.
std::vector<MapFigure> report_maps(const RunData& run, const ReportOptions& options);

// PNG maps for pasting and for reports: the default map page at 150 dpi.
render::PageSize png_map_page();

std::string base64(std::string_view bytes);

// The "regions" section: tables of each variant's regions under their parents (region_tables.cpp).
std::string region_tables(const RunData& run, const ReportOptions& options);

// report_html with the maps given (nullptr: drawn here when options.maps).
std::string report_html(const RunData& run, const ReportOptions& options, const std::vector<MapFigure>* maps);

} // namespace cakupan::report_detail
