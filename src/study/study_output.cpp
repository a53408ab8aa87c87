// The study directory: indices, samples, manifest, charts and the report section. Written by
// process 0 once every point is done, each file atomically.
#include "cakupan/error.hpp"
#include "cakupan/output.hpp"
#include "cakupan/render/chart.hpp"
#include "cakupan/run_output.hpp"
#include "cakupan/study_runner.hpp"
#include "cakupan/version.hpp"
#include "toml_support.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string sha256_text(const std::string& text) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx.get(), text.data(), text.size());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) out += hex[md[i] >> 4], out += hex[md[i] & 15];
    return out;
}

std::string file_safe(const std::string& s) {
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    return out;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

render::AxisKind axis_of(const std::string& output) {
    if (output.rfind("coverage", 0) == 0 || output == "probability") return render::AxisKind::percent;
    if (output == "spend" || output == "cost_per_added_member") return render::AxisKind::rupiah;
    return render::AxisKind::number;
}

const IndexRow* find_row(const std::vector<IndexRow>& rows, const std::string& o, const std::string& p, const std::string& index) {
    for (const auto& r : rows)
        if (r.output == o && r.parameter == p && r.index == index) return &r;
    return nullptr;
}

struct Chart {
    std::string file, title, bytes;
};

// The method's chart for one output column.
std::optional<Chart> chart_for(const Study& st, const std::vector<IndexRow>& rows, const std::string& o) {
    const auto page = render::default_chart_page();
    const auto lang = render::Lang::en;
    const std::string source = "Cakupan sensitivity study " + st.name + ", seed " + std::to_string(st.seed);
    switch (st.method) {
    case StudyMethod::tornado: {
        const IndexRow* base = find_row(rows, o, "", "base");
        if (base == nullptr) return std::nullopt;
        render::BarChart c;
        c.text = {"Tornado: " + o, "output with each parameter at its low and high end, others at their middle", source};
        c.horizontal = true;
        c.value_axis = {o, axis_of(o), {}, {}};
        render::BarSeries lo{"low end", {}, {}, {}, 0}, hi{"high end", {}, {}, {}, 1};
        for (const auto& r : rows) // rows come largest swing first
            if (r.output == o && r.index == "swing") {
                c.categories.push_back(r.parameter);
                lo.values.push_back(find_row(rows, o, r.parameter, "low")->value);
                hi.values.push_back(find_row(rows, o, r.parameter, "high")->value);
            }
        c.series = {lo, hi};
        c.reference = base->value;
        c.reference_label = "base";
        return Chart{"tornado-" + file_safe(o) + ".svg", c.text.title, render::render_bar_chart(c, render::Format::svg, page, lang)};
    }
    case StudyMethod::morris: {
        render::ScatterChart c;
        c.text = {"Morris: " + o, "mean absolute elementary effect against their standard deviation", source};
        c.x = {"mu*", render::AxisKind::number, 0.0, {}};
        c.y = {"sigma", render::AxisKind::number, 0.0, {}};
        c.ratio_lines = {0.1, 0.5, 1.0};
        for (const auto& p : st.parameters) {
            const IndexRow* m = find_row(rows, o, p.label, "mu_star");
            const IndexRow* s = find_row(rows, o, p.label, "sigma");
            if (m && s && std::isfinite(m->value) && std::isfinite(s->value)) c.points.push_back({m->value, s->value, p.label, 0});
        }
        if (c.points.empty()) return std::nullopt;
        return Chart{"morris-" + file_safe(o) + ".svg", c.text.title, render::render_scatter_chart(c, render::Format::svg, page, lang)};
    }
    case StudyMethod::sobol:
    case StudyMethod::lhs: {
        const bool sobol = st.method == StudyMethod::sobol;
        render::BarChart c;
        c.text = {(sobol ? "Sobol indices: " : "Partial rank correlation: ") + o,
                  sobol ? "first-order (S1) and total (ST) effects with " + format_number(100 * st.confidence) + "% intervals"
                        : "PRCC with " + format_number(100 * st.confidence) + "% intervals",
                  source};
        c.horizontal = true;
        c.value_axis = {sobol ? "index" : "PRCC", render::AxisKind::number, {}, {}};
        c.reference = 0.0;
        std::vector<std::pair<std::string, std::string>> kinds =
            sobol ? std::vector<std::pair<std::string, std::string>>{{"S1", "first order"}, {"ST", "total"}}
                  : std::vector<std::pair<std::string, std::string>>{{"prcc", "PRCC"}};
        for (const auto& p : st.parameters) c.categories.push_back(p.label);
        int colour = 0;
        bool any = false;
        for (const auto& [index, name] : kinds) {
            render::BarSeries s{name, {}, {}, {}, colour++};
            bool ci = true;
            for (const auto& p : st.parameters) {
                const IndexRow* r = find_row(rows, o, p.label, index);
                s.values.push_back(r ? r->value : NAN);
                s.err_lo.push_back(r ? r->low : NAN);
                s.err_hi.push_back(r ? r->high : NAN);
                ci &= r && std::isfinite(r->low);
                any |= r && std::isfinite(r->value);
            }
            if (!ci) s.err_lo.clear(), s.err_hi.clear();
            c.series.push_back(std::move(s));
        }
        if (!any) return std::nullopt;
        return Chart{std::string(sobol ? "sobol-" : "prcc-") + file_safe(o) + ".svg", c.text.title,
                     render::render_bar_chart(c, render::Format::svg, page, lang)};
    }
    }
    return std::nullopt;
}

// The parameter that drives each region most (by the method's main index), for the report table.
std::string main_index(StudyMethod m) {
    switch (m) {
    case StudyMethod::tornado: return "swing";
    case StudyMethod::lhs: return "prcc";
    case StudyMethod::morris: return "mu_star";
    case StudyMethod::sobol: return "ST";
    }
    return "";
}

std::string manifest(const Study& st, const StudyModel& model, const StudyRun& run, const StudyOutputOptions& o,
                     const std::vector<std::string>& files) {
    json inputs = json::array();
    for (const auto& f : model.input_files()) inputs.push_back({{"path", f}, {"sha256", sha256_file(f)}});
    json params = json::array();
    for (const auto& p : st.parameters)
        params.push_back({{"key", p.key}, {"label", p.label}, {"distribution", p.distribution.describe()}});
    json doc = {{"cakupan", kVersion},
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

std::string report_html(const Study& st, const StudyModel& model, const std::vector<IndexRow>& rows, const std::vector<Chart>& charts) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + html_escape(st.name) +
                    ": sensitivity</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                    "td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head>\n<body>\n";
    h += "<section id=\"sensitivity\">\n<h2>Sensitivity: " + html_escape(st.title.empty() ? st.name : st.title) + "</h2>\n";
    h += "<p>Method " + std::string(to_string(st.method)) + ", seed " + std::to_string(st.seed) + ", " +
         std::to_string(st.parameters.size()) + " parameters";
    if (st.function.empty())
        h += "; scenario " + html_escape(st.scenario) + (st.variant.empty() ? "" : ", variant " + html_escape(st.variant)) + ", " +
             (st.mode == Mode::expected ? "expected path per point" : std::to_string(st.draws) + " stochastic draws per point");
    else h += "; test function " + html_escape(st.function);
    h += ".</p>\n";
    const std::string main = main_index(st.method);
    for (const auto& o : model.output_names()) {
        if (o.find(':') != std::string::npos) continue;
        h += "<h3>" + html_escape(o) + "</h3>\n<table><tr><th>parameter</th><th>" + main + "</th><th>interval</th></tr>\n";
        for (const auto& r : rows)
            if (r.output == o && r.index == main)
                h += "<tr><td>" + html_escape(r.parameter) + "</td><td>" + (std::isfinite(r.value) ? format_number(r.value) : "") + "</td><td>" +
                     (std::isfinite(r.low) ? format_number(r.low) + " to " + format_number(r.high) : "") + "</td></tr>\n";
        h += "</table>\n";
        for (const auto& c : charts)
            if (c.title.size() >= o.size() && c.title.compare(c.title.size() - o.size(), o.size(), o) == 0)
                h += "<p><img src=\"" + c.file + "\" alt=\"" + html_escape(c.title) + "\"></p>\n";
    }
    // Per region: the parameter with the largest main index.
    const auto& codes = model.region_codes();
    if (!codes.empty()) {
        h += "<h3>The parameter that drives each region most (" + main + " of coverage at the end)</h3>\n<table><tr><th>region</th><th>name</th>"
             "<th>parameter</th><th>" + main + "</th></tr>\n";
        for (std::size_t i = 0; i < codes.size(); ++i) {
            const std::string o = "coverage_end:" + codes[i];
            const IndexRow* best = nullptr;
            for (const auto& r : rows)
                if (r.output == o && r.index == main && std::isfinite(r.value) &&
                    (best == nullptr || std::abs(r.value) > std::abs(best->value)))
                    best = &r;
            h += "<tr><td>" + html_escape(codes[i]) + "</td><td>" + html_escape(i < model.region_names().size() ? model.region_names()[i] : "") +
                 "</td><td>" + (best ? html_escape(best->parameter) : "") + "</td><td>" + (best ? format_number(best->value) : "") + "</td></tr>\n";
        }
        h += "</table>\n";
    }
    h += "<p>Files: indices.csv, indices.json, samples.csv, manifest.json.</p>\n</section>\n</body>\n</html>\n";
    return h;
}

} // namespace

std::string study_identity(const Study& st, const StudyModel& model) {
    std::string text = std::string("cakupan-study ") + kVersion + "\n";
    for (const auto& f : model.input_files()) text += sha256_file(f) + "\n";
    for (const auto& o : model.output_names()) text += o + "\n";
    text += std::to_string(st.parameters.size()) + "\n";
    return sha256_text(text);
}

std::vector<std::string> write_study_outputs(const Study& st, const sensitivity::Design& design, const StudyModel& model,
                                             const StudyRun& run, const StudyOutputOptions& o) {
    const auto rows = study_indices(st, design, model, run);
    std::vector<Chart> charts;
    for (const auto& out : model.output_names())
        if (out.find(':') == std::string::npos)
            if (auto c = chart_for(st, rows, out)) charts.push_back(std::move(*c));
    std::vector<std::pair<std::string, std::string>> files = {
        {"indices.csv", indices_csv(rows)}, {"indices.json", indices_json(st, rows)}, {"samples.csv", samples_csv(st, model, run)}};
    for (auto& c : charts) files.emplace_back(c.file, std::move(c.bytes));
    files.emplace_back("report.html", report_html(st, model, rows, charts));
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.first);
    names.push_back("manifest.json");
    files.emplace_back("manifest.json", manifest(st, model, run, o, names));
    for (const auto& [name, content] : files) write_file_atomically((fs::path(o.dir) / name).string(), content, o.overwrite);
    return names;
}

} // namespace cakupan
