// Running a sensitivity study: the model that turns one design point into outputs, and the runner
// that evaluates every point of a design across threads (OpenMP) and processes (MPI, when built
// with CAKUPAN_WITH_MPI), keeps a checkpoint and resumes from it. Results are stored by point
// index, so they do not depend on the thread or process count.
#pragma once

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/geo/parent_regions.hpp"
#include "cakupan/geo/shapes.hpp"
#include "cakupan/sensitivity/design.hpp"
#include "cakupan/study/study.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cakupan {

// Evaluates design points. Inputs are read and prepared once, when the model is made; evaluate()
// only changes parameter values, and is safe to call from several threads at once.
class StudyModel {
public:
    virtual ~StudyModel() = default;
    // Output columns, e.g. "coverage_end", "coverage_end:19.01", "spend".
    virtual const std::vector<std::string>& output_names() const = 0;
    // Writes the outputs of point `index` with parameter values x (one per study parameter) into y.
    virtual void evaluate(std::size_t index, std::span<const double> x, std::span<double> y) const = 0;
    // Every file read (study, scenario, model, boundaries, statistics), for hashes in the manifest.
    virtual const std::vector<std::string>& input_files() const = 0;
    // Region codes and names, in the order of the per-region outputs (empty without them).
    virtual const std::vector<std::string>& region_codes() const = 0;
    virtual const std::vector<std::string>& region_names() const = 0;
    // Boundaries file and layer of the scenario ("" for a test function), for maps.
    virtual std::string boundaries() const { return {}; }
    virtual std::string boundaries_layer() const { return {}; }
    // Shapes of those regions in lon/lat, in the same order, for the driver maps (null without).
    virtual const ShapeSet* region_shapes() const { return nullptr; }
    // The level above those regions on a fine layer (kab/kota over villages), dissolved and named
    // on the first call (geo/parent_regions.hpp); null on small or flat layers and without shapes.
    virtual const ParentRegions* region_parents() const { return nullptr; }
};

// The scenario variant or test function of a study, with its parameter keys checked: an unknown
// key is refused with the nearest valid key, an intervention the variant does not run, a field that
// cannot vary, and a distribution whose support leaves the parameter's hard limits are refused
// (ScenarioError, exit 4, at the parameter's file:line:column). A support beyond the plausible
// range gives a warning in `notes`.
std::unique_ptr<StudyModel> make_study_model(const Study& study, Diagnostics& notes);

// The processes of a run: one without MPI; under mpirun, every rank. Collective operations must
// be called by every process in the same order.
class ProcessGroup {
public:
    ProcessGroup();  // initialises MPI when built with it
    ~ProcessGroup(); // finalises it
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    bool root() const { return rank_ == 0; }

    // Collective: when any process failed (local is set), every process throws: process 0 the
    // first failure (its own, or another's message and exit code), the others an Error.
    void check(std::exception_ptr local) const;

private:
    int rank_ = 0;
    int size_ = 1;
    bool initialised_here_ = false;
};

struct StudyRunOptions {
    int threads = 0;         // 0 = OpenMP's default
    std::string checkpoint;  // file of finished points; "" = none
    std::string identity;    // hash of the study and its inputs, written in the checkpoint's header
    bool resume = false;     // read the checkpoint and evaluate only the missing points
    std::size_t stop_after = 0; // stop after this many evaluations (test hook); 0 = never
    std::size_t batch = 0;   // points per checkpoint flush; 0 = a default
    std::function<void(std::size_t done, std::size_t total)> progress; // on process 0
};

struct StudyRun {
    Eigen::MatrixXd x; // points x parameters: parameter values
    Eigen::MatrixXd y; // points x outputs (process 0 only)
    std::size_t evaluated = 0; // points evaluated by this run (all processes)
    std::size_t resumed = 0;   // points read from the checkpoint
    bool complete = false;     // every point has its outputs (false when stopped early)
};

// Evaluates every point of `design` (in parameter space through each parameter's distribution).
// Process 0 reads and appends the checkpoint (flushed and synced after every batch) and alone
// holds y. A checkpoint written for another identity is refused (OutputError); a torn last
// record is dropped.
StudyRun run_study(const Study& study, const sensitivity::Design& design, const StudyModel& model,
                   const StudyRunOptions& options, const ProcessGroup& group);

// Parameter values of every design point (points x parameters).
Eigen::MatrixXd design_values(const Study& study, const sensitivity::Design& design);

} // namespace cakupan

namespace cakupan {

// SHA-256 over the study file, every input file, the version and the output columns: a
// checkpoint is only resumed by a study with the same identity.
std::string study_identity(const Study& study, const StudyModel& model);

struct StudyOutputOptions {
    std::string dir;
    bool overwrite = false;   // replace files of an earlier run (--force, --resume)
    std::string command_line; // recorded in manifest.json only
    std::string identity;
    render::Lang lang = render::Lang::id; // of every fixed text in charts, maps and the report
    // Called before each step ("indices", "figures", "report", "writing"), for a progress display.
    std::function<void(const std::string& step)> progress;
};

// One estimate of the study's method: output column, parameter ("" for a whole-output figure such
// as the tornado base or the LHS mean; "a*b" for a Sobol pair), index name, value and interval
// (NaN when the method gives none).
struct IndexRow {
    std::string output, parameter, index;
    double value = 0, low = 0, high = 0;
};
std::vector<IndexRow> study_indices(const Study& study, const sensitivity::Design& design, const StudyModel& model,
                                    const StudyRun& run);

// Name of the method's main index: "swing" (tornado), "prcc" (LHS), "mu_star" (Morris), "ST" (Sobol).
std::string main_index(StudyMethod method);

// Per region (model.region_codes() order): the position in study.parameters of the parameter with
// the largest |main index| of coverage_end in that region, or -1 when the region has no finite index.
std::vector<int> region_drivers(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows);

// The categorical map of region_drivers: one category per parameter that drives some region, most
// regions first (beyond 12, the 11 first and "other"), regions without a result as no data.
// nullopt without per-region coverage or region shapes, or when no region has a driver.
std::optional<render::MapSpec> driver_map_spec(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows,
                                               render::Lang lang);

// One figure of a study: file name without extension ("tornado-coverage_end", "maps/driver-coverage_end"),
// caption and bytes (png empty unless asked for).
struct StudyFigure {
    std::string name, caption, svg, png;
    // A map of more regions than ReportOptions::svg_map_max_regions: the PNG at half the
    // resolution that the report embeds in place of the SVG, as the run report does (else empty).
    std::string report_png;
};

// The method's chart of every whole-region output, then the driver map of per-region coverage
// (when the study has it and the model has region shapes). Every fixed text in `lang`.
std::vector<StudyFigure> study_figures(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows,
                                       render::Lang lang, bool png);

// The sensitivity section of a report: what was varied, tables of indices with intervals, the
// figures as inline SVG, the driver of each region. Self-contained, ids prefixed "sens-".
ReportSection study_report_section(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows,
                                   const std::vector<StudyFigure>& figures, render::Lang lang);

std::string indices_csv(const std::vector<IndexRow>& rows);
std::string indices_json(const Study& study, const std::vector<IndexRow>& rows);
std::string samples_csv(const Study& study, const StudyModel& model, const StudyRun& run);

// Writes indices.csv, indices.json, samples.csv, manifest.json, the charts of the method (SVG and
// PNG), with per-region coverage drivers.csv and maps/driver-coverage_end.svg|png, and report.html (one self-contained file) into options.dir
// (each file atomically); returns the names written.
std::vector<std::string> write_study_outputs(const Study& study, const sensitivity::Design& design, const StudyModel& model,
                                             const StudyRun& run, const StudyOutputOptions& options);

} // namespace cakupan
