// The study directory: indices, samples, manifest, charts and the report section. Written by
// process 0 once every point is done, each file atomically.
#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/study/drivers.hpp"
#include "cakupan/study/study_runner.hpp"
#include "cakupan/common/version.hpp"
#include "io/toml_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string manifest(const Study& st, const StudyModel& model, const StudyRun& run, const StudyOutputOptions& o,
                     const std::vector<std::string>& files) {
    json inputs = json::array();
    for (const auto& f : model.input_files()) inputs.push_back({{"path", f}, {"sha256", sha256_file(f)}});
    json params = json::array();
    for (const auto& p : st.parameters)
        params.push_back({{"key", p.key}, {"label", p.label}, {"distribution", p.distribution.describe()}});
    // "written_by" and "kind" let `sensitivity --force` recognise a directory it may empty.
    json doc = {{"cakupan", kVersion},
                {"written_by", "cakupan"},
                {"kind", "study"},
                {"command", o.command_line},
                {"study", st.name},
                {"title", st.title},
                {"method", to_string(st.method)},
                {"seed", st.seed},
                {"samples", st.samples},
                {"points", run.x.rows()},
                {"identity", o.identity},
                {"parameters", std::move(params)},
                {"outputs", model.output_names()},
                {"inputs", std::move(inputs)},
                {"files", files}};
    if (st.function.empty()) {
        doc["scenario"] = st.scenario;
        doc["variant"] = st.variant;
        doc["mode"] = st.mode == Mode::expected ? "expected" : "stochastic";
        if (st.mode == Mode::stochastic) doc["draws"] = st.draws;
    } else {
        doc["function"] = st.function;
        doc["coefficients"] = st.coefficients;
    }
    return doc.dump(2) + "\n";
}

} // namespace

std::string main_index(StudyMethod m) {
    switch (m) {
    case StudyMethod::tornado: return "swing";
    case StudyMethod::lhs: return "prcc";
    case StudyMethod::morris: return "mu_star";
    case StudyMethod::sobol: return "ST";
    }
    return "";
}

std::string study_identity(const Study& st, const StudyModel& model) {
    std::string text = std::string("cakupan-study ") + kVersion + "\n";
    for (const auto& f : model.input_files()) text += sha256_file(f) + "\n";
    for (const auto& o : model.output_names()) text += o + "\n";
    text += std::to_string(st.parameters.size()) + "\n";
    return sha256_text(text);
}

std::vector<std::string> write_study_outputs(const Study& st, const sensitivity::Design& design, const StudyModel& model,
                                             const StudyRun& run, const StudyOutputOptions& o) {
    auto step = [&](const char* name) {
        if (o.progress) o.progress(name);
    };
    step("indices");
    const auto rows = study_indices(st, design, model, run);
    step("figures");
    std::vector<StudyFigure> figures;
    try {
        figures = study_figures(st, model, rows, o.lang, true);
    } catch (const OutputError& e) { // a failed drawing names where it was going, like every error
        throw OutputError(o.dir + ": " + e.what());
    }
    std::vector<std::pair<std::string, std::string>> files = {
        {"indices.csv", indices_csv(rows)}, {"indices.json", indices_json(st, rows)}, {"samples.csv", samples_csv(st, model, run)}};
    if (!model.region_codes().empty()) files.emplace_back("drivers.csv", drivers_csv(st, model, rows));
    for (const auto& f : figures) {
        files.emplace_back(f.name + ".svg", f.svg);
        files.emplace_back(f.name + ".png", f.png);
    }
    const std::string lead = std::string(render::tr(o.lang, "Sensitivity study ", "Studi sensitivitas ")) + st.name + " · " +
                             to_string(st.method) + " · " + render::tr(o.lang, "seed ", "benih acak ") + std::to_string(st.seed);
    step("report");
    files.emplace_back("report.html", report_document(st.title.empty() ? st.name : st.title, lead,
                                                      {study_report_section(st, model, rows, figures, o.lang)}, o.lang));
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.first);
    names.push_back("manifest.json");
    files.emplace_back("manifest.json", manifest(st, model, run, o, names));
    step("writing");
    for (const auto& [name, content] : files) {
        const fs::path path = fs::path(o.dir) / name;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec); // maps/
        if (ec) throw OutputError(path.parent_path().string() + ": cannot create the directory: " + ec.message());
        write_file_atomically(path.string(), content, o.overwrite);
    }
    return names;
}

} // namespace cakupan
