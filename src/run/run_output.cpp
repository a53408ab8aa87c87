#include "cakupan/run/run_output.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_directory.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/io/temporaries.hpp"
#include "cakupan/common/version.hpp"
#include "io/csv.hpp"
#include "run/region_layer_writer.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>


namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// Fixed decimals keep files stable and readable; coverage to 1e-6, persons and Rp to 0.01.
std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1); // no "-0.00"
    return s;
}
double round_to(double v, int decimals) {
    // 10^decimals is a double for decimals <= 22, and every libm build's pow (error below 1 ulp)
    // returns it exactly: the same bits on every CPU.
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    return r == 0 ? 0.0 : r; // no "-0"
}

const char* mode_name(Mode m) { return m == Mode::expected ? "expected" : "stochastic"; }

} // namespace

std::vector<VariantSummary> summarize(const RunResult& result) {
    std::vector<VariantSummary> out;
    const VariantResult* baseline = nullptr;
    for (const auto& v : result.variants)
        if (v.name == "baseline") baseline = &v;
    for (const auto& v : result.variants) {
        VariantSummary s;
        s.name = v.name;
        const Eigen::Index end = v.mean.cols() - 1;
        s.coverage_start = v.overall_mean[0];
        s.end_mean = v.overall_mean[end];
        s.end_p5 = v.overall_p5[end];
        s.end_p50 = v.overall_p50[end];
        s.end_p95 = v.overall_p95[end];
        s.probability = v.overall_probability;
        s.active_start = v.overall_mean[0] * v.workers_total;
        s.active_end = v.overall_mean[end] * v.workers_total;
        s.levers.resize(kLeverCount);
        for (int l = 0; l < kLeverCount; ++l) s.levers[static_cast<std::size_t>(l)] = v.lever_mean.col(l).sum();
        s.spend = v.spend_mean.sum();
        for (Lever l : {Lever::subsidy, Lever::village_programme, Lever::agents, Lever::enforcement})
            s.paid_members += s.levers[static_cast<std::size_t>(l)];
        s.cost_per_added_member = s.paid_members > 0 ? s.spend / s.paid_members : 0;
        if (baseline != nullptr && baseline != &v) {
            s.has_baseline = true;
            s.extra_vs_baseline = s.active_end - baseline->overall_mean[end] * baseline->workers_total;
            const double extra_spend = s.spend - baseline->spend_mean.sum();
            s.cost_per_extra_member = s.extra_vs_baseline > 0 ? extra_spend / s.extra_vs_baseline : 0;
        }
        out.push_back(std::move(s));
    }
    return out;
}

void check_output_dir(const std::string& dir, bool force, const std::vector<std::string>& inputs) {
    check_output_directory(dir, OutputKind::run, force, inputs);
}

namespace {

// A value as timeseries.csv holds it: the text written, read back.
double as_written(double v, int decimals) {
    const std::string s = fixed(v, decimals);
    double out = std::numeric_limits<double>::quiet_NaN();
    if (!s.empty()) std::from_chars(s.data(), s.data() + s.size(), out);
    return out;
}

LeverAmounts lever_amounts(const std::vector<double>& moved) {
    LeverAmounts out;
    for (int l = 0; l < kLeverCount; ++l)
        out.emplace_back(to_string(static_cast<Lever>(l)), round_to(as_change(static_cast<Lever>(l), moved[static_cast<std::size_t>(l)]), 2));
    return out;
}

// "Rp1,234,567" (whole rupiah) for messages.
std::string rupiah_text(double v) {
    std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
    for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > (digits[0] == '-' ? 1 : 0); at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return "Rp" + digits;
}

std::string year_month(const Calendar& cal, int step) {
    const Date d = cal.boundaries[static_cast<std::size_t>(step)];
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()));
    return buf;
}

} // namespace

std::vector<std::string> budget_warnings(const LoadedScenario& in, const RunResult& result) {
    std::vector<std::string> out;
    for (const auto& v : result.variants)
        for (std::size_t i = 0; i < v.exhaustion.size(); ++i) {
            const Exhaustion& e = v.exhaustion[i];
            if (e.step < 0) continue;
            out.push_back(in.scenario.path + ": variant " + v.name + ", intervention " + v.intervention_names[i] + ": " +
                          rupiah_text(e.unspent) + " of " + rupiah_text(e.budget) +
                          " cannot be spent: eligible workers exhausted from " + year_month(result.calendar, e.step));
        }
    return out;
}


namespace {

RunSummary make_summary(const LoadedScenario& in, const RunResult& result) {
    const Scenario& sc = in.scenario;
    const auto summaries = summarize(result);
    RunSummary out;
    out.version = kVersion;
    out.scenario_name = sc.name;
    out.scenario_title = sc.title;
    out.start = to_string(sc.period.start);
    out.end = to_string(sc.period.end);
    out.step = sc.period.step == StepUnit::month ? "month" : "week";
    out.steps = static_cast<int>(result.calendar.steps());
    out.mode = mode_name(result.mode);
    out.draws = result.draws;
    out.seed = result.seed;
    out.parameter_uncertainty = result.vary_parameters;
    out.target = round_to(result.overall_target, 6);
    out.region_layer = in.regions.layer;
    out.region_count = static_cast<int>(in.regions.size());
    for (std::size_t i = 0; i < result.variants.size(); ++i) {
        const VariantResult& v = result.variants[i];
        const VariantSummary& s = summaries[i];
        const Eigen::Index end = v.mean.cols() - 1;
        RunVariantResult x;
        x.name = v.name;
        x.description = v.description;
        x.interventions = v.intervention_names;
        x.coverage_start = round_to(s.coverage_start, 6);
        x.coverage_end = {round_to(s.end_mean, 6), round_to(s.end_p5, 6), round_to(s.end_p50, 6), round_to(s.end_p95, 6)};
        x.probability = round_to(s.probability, 6);
        x.workers = round_to(v.workers_total, 2);
        x.active_start = round_to(s.active_start, 2);
        x.active_end = round_to(s.active_end, 2);
        x.members_added = lever_amounts(s.levers);
        x.spend = round_to(s.spend, 2);
        for (std::size_t k = 0; k < v.intervention_names.size(); ++k)
            x.spend_by_intervention.emplace_back(v.intervention_names[k], round_to(v.intervention_spend_mean[k], 2));
        x.cost_per_added_member = round_to(s.cost_per_added_member, 2);
        x.has_baseline = s.has_baseline;
        if (s.has_baseline) {
            x.extra_active_members = round_to(s.extra_vs_baseline, 2);
            x.cost_per_extra_member = round_to(s.cost_per_extra_member, 2);
        }
        for (Eigen::Index r = 0; r < v.mean.rows(); ++r) {
            const auto ri = static_cast<std::size_t>(r);
            RunRegionResult g;
            g.code = in.regions.ids[ri];
            g.name = in.regions.names[ri];
            g.workers = round_to(v.workers[r], 2);
            g.coverage_start = round_to(v.mean(r, 0), 6);
            g.coverage_end = {round_to(v.mean(r, end), 6), round_to(v.p5(r, end), 6), round_to(v.p50(r, end), 6), round_to(v.p95(r, end), 6)};
            g.target = round_to(result.target[r], 6);
            g.probability = round_to(v.region_probability[r], 6);
            std::vector<double> levers(kLeverCount);
            for (int l = 0; l < kLeverCount; ++l) levers[static_cast<std::size_t>(l)] = v.lever_mean(r, l);
            g.members_added = lever_amounts(levers);
            g.spend = round_to(v.spend_mean[r], 2);
            x.regions.push_back(std::move(g));
        }
        for (int f = 0; f < kFunderCount; ++f)
            x.spend_by_funder.emplace_back(to_string(static_cast<Funder>(f)), round_to(v.funder_spend_mean[static_cast<std::size_t>(f)], 2));
        for (std::size_t k = 0; k < v.intervention_names.size(); ++k) {
            x.cost_by_intervention.push_back({v.intervention_names[k], to_string(v.intervention_funders[k]),
                                              round_to(v.intervention_cost_mean[k], 2)});
            const Exhaustion& e = v.exhaustion[k];
            if (e.step >= 0)
                x.budget_exhausted.push_back({v.intervention_names[k], round_to(e.budget, 2), round_to(e.unspent, 2),
                                              year_month(result.calendar, e.step), round_to(e.share_of_draws, 6)});
        }
        out.variants.push_back(std::move(x));
    }
    out.warnings = budget_warnings(in, result);
    return out;
}

RunTimeSeries make_timeseries(const LoadedScenario& in, const RunResult& result, bool per_region) {
    RunTimeSeries out;
    const auto& cal = result.calendar;
    const std::size_t n = cal.steps() + 1;
    for (std::size_t k = 0; k < n; ++k) out.dates.push_back(to_string(cal.report_date(k)));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto column = [&](auto value, int decimals, std::size_t first = 0) {
        std::vector<double> c(n, nan);
        for (std::size_t k = first; k < n; ++k) c[k] = as_written(value(static_cast<Eigen::Index>(k)), decimals);
        return c;
    };
    for (const auto& v : result.variants) {
        TimeSeries all{v.name, "all", "all regions", {}};
        all.measures["coverage_mean"] = column([&](Eigen::Index k) { return v.overall_mean[k]; }, 6);
        all.measures["coverage_p5"] = column([&](Eigen::Index k) { return v.overall_p5[k]; }, 6);
        all.measures["coverage_p50"] = column([&](Eigen::Index k) { return v.overall_p50[k]; }, 6);
        all.measures["coverage_p95"] = column([&](Eigen::Index k) { return v.overall_p95[k]; }, 6);
        all.measures["active_mean"] = column([&](Eigen::Index k) { return v.overall_mean[k] * v.workers_total; }, 2);
        for (int l = 0; l < kLeverCount; ++l) // flows: none on the start date
            all.measures[std::string("members_") + to_string(static_cast<Lever>(l))] =
                column([&](Eigen::Index k) { return as_change(static_cast<Lever>(l), v.lever_step_mean(k - 1, l)); }, 2, 1);
        out.series.push_back(std::move(all));
        if (!per_region) continue;
        for (Eigen::Index r = 0; r < v.mean.rows(); ++r) {
            const auto ri = static_cast<std::size_t>(r);
            TimeSeries s{v.name, in.regions.ids[ri], in.regions.names[ri], {}};
            s.measures["coverage_mean"] = column([&](Eigen::Index k) { return v.mean(r, k); }, 6);
            s.measures["coverage_p5"] = column([&](Eigen::Index k) { return v.p5(r, k); }, 6);
            s.measures["coverage_p50"] = column([&](Eigen::Index k) { return v.p50(r, k); }, 6);
            s.measures["coverage_p95"] = column([&](Eigen::Index k) { return v.p95(r, k); }, 6);
            out.series.push_back(std::move(s));
        }
    }
    return out;
}

// The shapes as read_run gives them back: a region without rings has no parts.
ShapeSet as_stored(const ShapeSet& s) {
    ShapeSet out;
    for (std::size_t r = 0; r < s.region_count(); ++r) {
        out.begin_region();
        if (s.empty_region(r)) continue;
        for (std::size_t part = s.region_start[r]; part < s.region_start[r + 1]; ++part) {
            out.begin_part();
            for (std::size_t ring = s.part_start[part]; ring < s.part_start[part + 1]; ++ring) {
                const std::size_t a = s.ring_start[ring], b = s.ring_start[ring + 1];
                out.add_ring(std::span<const double>(s.x.data() + a, b - a), std::span<const double>(s.y.data() + a, b - a));
            }
        }
    }
    out.finish();
    return out;
}

json numbers_json(const std::vector<std::pair<std::string, double>>& values) {
    json j = json::object();
    for (const auto& [k, v] : values) j[k] = v;
    return j;
}

json coverage_json(const CoverageStats& c) { return {{"mean", c.mean}, {"p5", c.p5}, {"p50", c.p50}, {"p95", c.p95}}; }

// timeseries.csv measures in the order written; others (none today) after them, by name.
std::vector<std::string> measure_order(const TimeSeries& s) {
    std::vector<std::string> out = {"coverage_mean", "coverage_p5", "coverage_p50", "coverage_p95", "active_mean"};
    for (int l = 0; l < kLeverCount; ++l) out.push_back(std::string("members_") + to_string(static_cast<Lever>(l)));
    std::erase_if(out, [&](const std::string& m) { return s.measures.count(m) == 0; });
    for (const auto& [m, values] : s.measures)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

int decimals_of(const std::string& measure) { return measure.rfind("coverage_", 0) == 0 ? 6 : 2; }

} // namespace

RunData make_run_data(const LoadedScenario& in, const RunResult& result, const std::string& command_line, bool region_timeseries,
                      bool with_parents) {
    RunData d;
    d.summary = make_summary(in, result);
    d.timeseries = make_timeseries(in, result, region_timeseries);
    RunManifest& m = d.manifest;
    m.version = kVersion;
    m.command = command_line;
    m.scenario = in.scenario.path;
    m.mode = mode_name(result.mode);
    m.draws = result.draws;
    m.seed = result.seed;
    m.parameter_uncertainty = result.vary_parameters;
    for (const auto& f : in.scenario.input_files) {
        std::error_code ec;
        // Shapefiles and other multi-file formats: hash the file named; its sidecars follow it.
        const auto bytes = fs::file_size(f, ec);
        m.inputs.push_back({f, ec ? 0 : static_cast<std::uint64_t>(bytes), sha256_file(f)});
    }
    m.outputs = {"regions.gpkg", "summary.json", "timeseries.csv", "manifest.json"}; // as files_below lists them
    d.shapes = as_stored(in.regions.shapes);
    if (with_parents) {
        d.parents = default_parents(in.regions, in.scenario.boundaries.encoding);
        if (!d.parents.empty()) d.parents.shapes = as_stored(d.parents.shapes);
    }
    return d;
}

std::string summary_json(const RunSummary& s) {
    json variants = json::array();
    // Regions are written one to a line: indented, a village layer's summary would be twice the size
    // and most of it blanks. Each array is put in place of a marker after the document is dumped.
    std::vector<std::string> region_arrays;
    for (const RunVariantResult& v : s.variants) {
        std::string regions;
        for (const RunRegionResult& g : v.regions) {
            const json region = {{"code", g.code},
                                 {"name", g.name},
                                 {"workers", g.workers},
                                 {"coverage_start", g.coverage_start},
                                 {"coverage_end", coverage_json(g.coverage_end)},
                                 {"target", g.target},
                                 {"probability_target_met", g.probability},
                                 {"members_added", numbers_json(g.members_added)},
                                 {"spend", g.spend}};
            regions += (regions.empty() ? "[\n        " : ",\n        ") + region.dump();
        }
        region_arrays.push_back(regions.empty() ? "[]" : regions + "\n      ]");
        json item = {{"name", v.name},
                     {"description", v.description},
                     {"interventions", v.interventions},
                     {"coverage_start", v.coverage_start},
                     {"coverage_end", coverage_json(v.coverage_end)},
                     {"probability_target_met", v.probability},
                     {"workers", v.workers},
                     {"active_start", v.active_start},
                     {"active_end", v.active_end},
                     {"members_added", numbers_json(v.members_added)},
                     {"spend", v.spend},
                     {"spend_by_intervention", numbers_json(v.spend_by_intervention)},
                     {"cost_per_added_member", v.cost_per_added_member}};
        // Every cost by funder (lever costs included) and budgets the eligible pool could not absorb.
        json cost_by = json::object(), exhausted = json::array();
        for (const auto& c : v.cost_by_intervention) cost_by[c.intervention] = {{"funder", c.funder}, {"cost", c.cost}};
        for (const auto& e : v.budget_exhausted)
            exhausted.push_back({{"intervention", e.intervention}, {"budget", e.budget}, {"unspent", e.unspent}, {"from", e.from},
                                 {"share_of_draws", e.share_of_draws}});
        item["spend_by_funder"] = numbers_json(v.spend_by_funder);
        item["cost_by_intervention"] = std::move(cost_by);
        item["budget_exhausted"] = std::move(exhausted);
        if (v.has_baseline)
            item["vs_baseline"] = {{"extra_active_members", v.extra_active_members}, {"cost_per_extra_member", v.cost_per_extra_member}};
        item["regions"] = "@@regions " + std::to_string(region_arrays.size() - 1) + "@@";
        variants.push_back(std::move(item));
    }
    json doc = {{"schema", s.schema},
                {"cakupan", s.version},
                {"scenario", {{"name", s.scenario_name}, {"title", s.scenario_title}}},
                {"period", {{"start", s.start}, {"end", s.end}, {"step", s.step}, {"steps", s.steps}}},
                {"mode", s.mode},
                {"draws", s.draws},
                {"seed", s.seed},
                {"parameter_uncertainty", s.parameter_uncertainty},
                {"target", {{"coverage", s.target}}},
                {"regions", {{"layer", s.region_layer}, {"count", s.region_count}}},
                {"variants", std::move(variants)},
                {"warnings", s.warnings}};
    std::string text = doc.dump(2) + "\n";
    std::size_t at = 0;
    for (std::size_t i = 0; i < region_arrays.size(); ++i) {
        // The key makes the marker unique: no other "regions" key of a variant holds a string.
        const std::string marker = "\"regions\": \"@@regions " + std::to_string(i) + "@@\"";
        at = text.find(marker, at);
        text.replace(at + 11, marker.size() - 11, region_arrays[i]);
        at += 11 + region_arrays[i].size();
    }
    return text;
}

std::string timeseries_csv(const RunTimeSeries& ts) {
    std::string out;
    csv::Writer csv(out);
    csv.record({"variant", "region", "name", "date", "measure", "value"});
    // Series of one variant are written date by date for "all", region by region after it.
    for (const TimeSeries& s : ts.series) {
        const auto measures = measure_order(s);
        for (std::size_t k = 0; k < ts.dates.size(); ++k)
            for (const auto& m : measures) {
                if (k == 0 && m.rfind("members_", 0) == 0) continue; // flows start after the first date
                const double v = s.measures.at(m)[k];
                csv.record({s.variant, s.region, s.name, ts.dates[k], m, fixed(v, decimals_of(m))});
            }
    }
    return out;
}

namespace {

// One SHA-256 over whatever `feed` passes to its update callback, as 64 hex digits.
template <class Feed>
std::string sha256_hex(Feed feed) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    feed([&](const char* data, std::size_t size) { EVP_DigestUpdate(ctx.get(), data, size); });
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

} // namespace

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read to compute its checksum");
    return sha256_hex([&](auto update) {
        std::vector<char> buf(1 << 16);
        while (in) {
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            update(buf.data(), static_cast<std::size_t>(in.gcount()));
        }
    });
}

std::string sha256_text(std::string_view text) {
    return sha256_hex([&](auto update) { update(text.data(), text.size()); });
}

std::string manifest_json(const RunManifest& m) {
    json inputs = json::array();
    for (const auto& f : m.inputs) inputs.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    // "written_by" and "kind" let `run --force` recognise a directory it may replace; "outputs"
    // lists every file the run wrote, and nothing else is removed with it.
    json doc = {{"cakupan", m.version},
                {"written_by", "cakupan"},
                {"kind", "run"},
                {"command", m.command},
                {"scenario", m.scenario},
                {"mode", m.mode},
                {"draws", m.draws},
                {"seed", m.seed},
                {"parameter_uncertainty", m.parameter_uncertainty},
                {"inputs", std::move(inputs)},
                {"outputs", m.outputs}};
    return doc.dump(2) + "\n";
}

namespace {

// Every file below `dir`, '/'-separated and sorted, manifest.json last.
std::vector<std::string> files_below(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != "manifest.json") out.push_back(e.path().lexically_relative(dir).generic_string());
    std::sort(out.begin(), out.end());
    out.push_back("manifest.json");
    return out;
}

} // namespace

RunData write_run_outputs(const LoadedScenario& in, const RunResult& result, const OutputOptions& options) {
    check_output_dir(options.dir, options.force, in.scenario.input_files); // before the inputs are hashed
    RunData run = make_run_data(in, result, options.command_line, options.region_timeseries, options.parent_regions);
    write_run_outputs(run, options);
    return run;
}

void write_run_outputs(const RunData& run, const OutputOptions& options) {
    std::vector<std::string> inputs;
    for (const auto& f : run.manifest.inputs) inputs.push_back(f.path);
    check_output_dir(options.dir, options.force, inputs);
    write_directory_atomically(options.dir, [&](const fs::path& tmp) {
        // The GeoPackage (GDAL, one thread) is written while the text files are composed beside it.
        auto texts = std::async(std::launch::async, [&] {
            write_file_atomically((tmp / "summary.json").string(), summary_json(run.summary), false);
            write_file_atomically((tmp / "timeseries.csv").string(), timeseries_csv(run.timeseries), false);
            write_file_atomically((tmp / "manifest.json").string(), manifest_json(run.manifest), false);
        });
        try {
            write_region_layers((tmp / "regions.gpkg").string(), run);
        } catch (...) {
            texts.wait(); // never leave the other writer running on a directory about to be removed
            throw;
        }
        texts.get();
        if (options.finish) {
            options.finish(tmp.string(), run);
            // The figures and report are known only now; the manifest lists them too.
            RunManifest m = run.manifest;
            m.outputs = files_below(tmp);
            write_file_atomically((tmp / "manifest.json").string(), manifest_json(m), true);
        }
    });
}

} // namespace cakupan
