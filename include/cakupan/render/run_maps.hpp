// Maps of a run (RunData, in memory or read from its directory): coverage at the deadline, gap to
// the target, probability of meeting it, change against the baseline variant and the width of the
// uncertainty band, for one variant (its own classes unless shared breaks are asked for) or as small
// multiples of every variant on shared classes.
#pragma once

#include "cakupan/render/canvas.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/run/run_reader.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan::render {

enum class MapKind { coverage, gap, probability, change, uncertainty };

struct RunMapRequest {
    MapKind kind = MapKind::coverage;
    std::string variant; // "" = small multiples of all variants (change: all but the baseline)
};

struct RunMapOptions {
    Lang lang = Lang::id;
    Format format = Format::svg;
    PageSize size{0, 0}; // from the extent, as `cakupan map` (render::page_for_map)
    // Overrides of the kind's defaults ("" / 0 / empty = the default).
    std::string title;
    std::string crs;             // projection, as `cakupan map --crs`
    std::string scheme;          // classification scheme name
    int classes = 0;
    std::vector<double> breaks;  // inner breaks (manual scheme)
    std::string palette;
    // A single variant's map on the classes of every variant of its kind (said in its legend),
    // so that maps of one kind can be compared side by side; otherwise it gets its own classes.
    // Small multiples always share their classes.
    bool shared_breaks = false;
    // Boundaries simplified for display (simplify_shared: neighbours keep one border) to this
    // tolerance in points on the page; 0 = every vertex. The default, half a pixel at 300 dpi,
    // makes no visible change at print size and keeps SVG maps and reports small.
    double simplify_pt = 0.12;
    // The outlines (and, on a single map, names) of the level above, when the run stored them.
    bool parent_outlines = true;
};

// The maps of one run, every one drawn from the results and outlines of RunData: a run draws them
// from memory, `map` and `report` from the directory read back, and both give the same bytes.
// The free functions below each read the run directory afresh.
class RunMaps {
public:
    // Borrows `run`, which must outlive this object.
    explicit RunMaps(const RunData& run);
    // Reads the run directory (read_run): InputError if it cannot be read.
    explicit RunMaps(const std::string& run_dir);
    ~RunMaps();
    RunMaps(RunMaps&&) noexcept;
    RunMaps& operator=(RunMaps&&) noexcept;

    // As default_run_maps.
    std::vector<RunMapRequest> defaults() const;
    // As render_run_map.
    std::string render(const RunMapRequest& request, const RunMapOptions& options) const;
    // As run_map_texts.
    std::vector<std::string> texts(const RunMapRequest& request, const RunMapOptions& options) const;
    // Tooltips for the SVG map render() draws: an SVG group, in the map's page coordinates, of one
    // transparent outline per region and panel with a <title> giving its name and value
    // ("Bangka: 31,20%"), to paste before the map's closing </svg> in an HTML page.
    std::string tooltips(const RunMapRequest& request, const RunMapOptions& options) const;

private:
    struct Data;
    std::unique_ptr<Data> data_;
};

// The maps a report shows for a run, in reading order: coverage of each variant, small multiples
// of coverage, gap and probability of each variant, change against "baseline" of each other
// variant (when a baseline exists), uncertainty of the last variant.
std::vector<RunMapRequest> default_run_maps(const std::string& run_dir);

// The map's file bytes in options.format. InputError for an unreadable run directory, an unknown
// variant or a change map without a baseline.
std::string render_run_map(const std::string& run_dir, const RunMapRequest& request,
                           const RunMapOptions& options);

// Every text the map would carry (title, subtitle, legend, scale, north, source, labels), for
// checking languages and numbers without reading the picture.
std::vector<std::string> run_map_texts(const std::string& run_dir, const RunMapRequest& request,
                                       const RunMapOptions& options);

// "coverage-baseline", "coverage-all", "change-agents" (no extension; variant names made file-safe).
std::string run_map_file_name(const RunMapRequest& request);

const char* to_string(MapKind kind);
// "coverage", "gap", "probability", "change", "uncertainty"; UsageError otherwise (nearest suggested).
MapKind parse_map_kind(std::string_view s);

} // namespace cakupan::render
