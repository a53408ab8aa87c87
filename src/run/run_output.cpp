#include "cakupan/run/run_output.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/io/temporaries.hpp"
#include "cakupan/common/version.hpp"
#include "io/csv.hpp"
#include "run/region_layer_writer.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
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

json levers_json(const std::vector<double>& levers) {
    json j;
    for (int l = 0; l < kLeverCount; ++l) {
        j[to_string(static_cast<Lever>(l))] = round_to(as_change(static_cast<Lever>(l), levers[static_cast<std::size_t>(l)]), 2);
    }
    return j;
}

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

std::string summary_json(const LoadedScenario& in, const RunResult& result) {
    const Scenario& sc = in.scenario;
    const auto summaries = summarize(result);
    json variants = json::array();
    for (std::size_t i = 0; i < result.variants.size(); ++i) {
        const VariantResult& v = result.variants[i];
        const VariantSummary& s = summaries[i];
        const Eigen::Index end = v.mean.cols() - 1;
        json regions = json::array();
        for (Eigen::Index r = 0; r < v.mean.rows(); ++r) {
            std::vector<double> levers(kLeverCount);
            for (int l = 0; l < kLeverCount; ++l) levers[static_cast<std::size_t>(l)] = v.lever_mean(r, l);
            regions.push_back({{"code", in.regions.ids[static_cast<std::size_t>(r)]},
                               {"name", in.regions.names[static_cast<std::size_t>(r)]},
                               {"workers", round_to(v.workers[r], 2)},
                               {"coverage_start", round_to(v.mean(r, 0), 6)},
                               {"coverage_end", {{"mean", round_to(v.mean(r, end), 6)},
                                                 {"p5", round_to(v.p5(r, end), 6)},
                                                 {"p50", round_to(v.p50(r, end), 6)},
                                                 {"p95", round_to(v.p95(r, end), 6)}}},
                               {"target", round_to(result.target[r], 6)},
                               {"probability_target_met", round_to(v.region_probability[r], 6)},
                               {"members_added", levers_json(levers)},
                               {"spend", round_to(v.spend_mean[r], 2)}});
        }
        json spend_by = json::object();
        for (std::size_t k = 0; k < v.intervention_names.size(); ++k)
            spend_by[v.intervention_names[k]] = round_to(v.intervention_spend_mean[k], 2);
        json item = {{"name", v.name},
                     {"description", v.description},
                     {"interventions", v.intervention_names},
                     {"coverage_start", round_to(s.coverage_start, 6)},
                     {"coverage_end", {{"mean", round_to(s.end_mean, 6)}, {"p5", round_to(s.end_p5, 6)},
                                       {"p50", round_to(s.end_p50, 6)}, {"p95", round_to(s.end_p95, 6)}}},
                     {"probability_target_met", round_to(s.probability, 6)},
                     {"workers", round_to(v.workers_total, 2)},
                     {"active_start", round_to(s.active_start, 2)},
                     {"active_end", round_to(s.active_end, 2)},
                     {"members_added", levers_json(s.levers)},
                     {"spend", round_to(s.spend, 2)},
                     {"spend_by_intervention", spend_by},
                     {"cost_per_added_member", round_to(s.cost_per_added_member, 2)}};
        // Every cost by funder (lever costs included) and budgets the eligible pool could not absorb.
        json by_funder = json::object(), cost_by = json::object(), exhausted = json::array();
        for (int f = 0; f < kFunderCount; ++f)
            by_funder[to_string(static_cast<Funder>(f))] = round_to(v.funder_spend_mean[static_cast<std::size_t>(f)], 2);
        for (std::size_t k = 0; k < v.intervention_names.size(); ++k) {
            cost_by[v.intervention_names[k]] = {{"funder", to_string(v.intervention_funders[k])},
                                                {"cost", round_to(v.intervention_cost_mean[k], 2)}};
            const Exhaustion& e = v.exhaustion[k];
            if (e.step >= 0)
                exhausted.push_back({{"intervention", v.intervention_names[k]}, {"budget", round_to(e.budget, 2)},
                                     {"unspent", round_to(e.unspent, 2)}, {"from", year_month(result.calendar, e.step)},
                                     {"share_of_draws", round_to(e.share_of_draws, 6)}});
        }
        item["spend_by_funder"] = std::move(by_funder);
        item["cost_by_intervention"] = std::move(cost_by);
        item["budget_exhausted"] = std::move(exhausted);
        if (s.has_baseline)
            item["vs_baseline"] = {{"extra_active_members", round_to(s.extra_vs_baseline, 2)},
                                   {"cost_per_extra_member", round_to(s.cost_per_extra_member, 2)}};
        item["regions"] = std::move(regions);
        variants.push_back(std::move(item));
    }
    json doc = {{"cakupan", kVersion},
                {"scenario", {{"name", sc.name}, {"title", sc.title}}},
                {"period", {{"start", to_string(sc.period.start)},
                            {"end", to_string(sc.period.end)},
                            {"step", sc.period.step == StepUnit::month ? "month" : "week"},
                            {"steps", result.calendar.steps()}}},
                {"mode", mode_name(result.mode)},
                {"draws", result.draws},
                {"seed", result.seed},
                {"parameter_uncertainty", result.vary_parameters},
                {"target", {{"coverage", round_to(result.overall_target, 6)}}},
                {"regions", {{"layer", in.regions.layer}, {"count", in.regions.size()}}},
                {"variants", std::move(variants)},
                {"warnings", budget_warnings(in, result)}};
    return doc.dump(2) + "\n";
}

std::string timeseries_csv(const LoadedScenario& in, const RunResult& result, bool per_region) {
    std::string out;
    csv::Writer csv(out);
    csv.record({"variant", "region", "name", "date", "measure", "value"});
    const auto& cal = result.calendar;
    auto row = [&](const std::string& variant, const std::string& region, const std::string& name, const std::string& date,
                   const char* measure, const std::string& value) { csv.record({variant, region, name, date, measure, value}); };
    for (const auto& v : result.variants) {
        for (std::size_t k = 0; k <= cal.steps(); ++k) {
            const auto kk = static_cast<Eigen::Index>(k);
            const std::string date = to_string(cal.report_date(k));
            row(v.name, "all", "all regions", date, "coverage_mean", fixed(v.overall_mean[kk], 6));
            row(v.name, "all", "all regions", date, "coverage_p5", fixed(v.overall_p5[kk], 6));
            row(v.name, "all", "all regions", date, "coverage_p50", fixed(v.overall_p50[kk], 6));
            row(v.name, "all", "all regions", date, "coverage_p95", fixed(v.overall_p95[kk], 6));
            row(v.name, "all", "all regions", date, "active_mean", fixed(v.overall_mean[kk] * v.workers_total, 2));
            if (k > 0)
                for (int l = 0; l < kLeverCount; ++l) {
                    const std::string measure = std::string("members_") + to_string(static_cast<Lever>(l));
                    row(v.name, "all", "all regions", date, measure.c_str(),
                        fixed(as_change(static_cast<Lever>(l), v.lever_step_mean(kk - 1, l)), 2));
                }
        }
        if (!per_region) continue;
        for (Eigen::Index r = 0; r < v.mean.rows(); ++r) {
            const std::string& code = in.regions.ids[static_cast<std::size_t>(r)];
            const std::string& name = in.regions.names[static_cast<std::size_t>(r)];
            for (std::size_t k = 0; k <= cal.steps(); ++k) {
                const auto kk = static_cast<Eigen::Index>(k);
                const std::string date = to_string(cal.report_date(k));
                row(v.name, code, name, date, "coverage_mean", fixed(v.mean(r, kk), 6));
                row(v.name, code, name, date, "coverage_p5", fixed(v.p5(r, kk), 6));
                row(v.name, code, name, date, "coverage_p50", fixed(v.p50(r, kk), 6));
                row(v.name, code, name, date, "coverage_p95", fixed(v.p95(r, kk), 6));
            }
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

std::string manifest_json(const LoadedScenario& in, const RunResult& result, const std::string& command_line,
                          const std::vector<std::string>& files) {
    json inputs = json::array();
    for (const auto& f : in.scenario.input_files) {
        std::error_code ec;
        // Shapefiles and other multi-file formats: hash the file named; its sidecars follow it.
        inputs.push_back({{"path", f}, {"bytes", fs::file_size(f, ec)}, {"sha256", sha256_file(f)}});
    }
    // "written_by" and "kind" let `run --force` recognise a directory it may replace; "outputs"
    // lists every file the run wrote, and nothing else is removed with it.
    json doc = {{"cakupan", kVersion},
                {"written_by", "cakupan"},
                {"kind", "run"},
                {"command", command_line},
                {"scenario", in.scenario.path},
                {"mode", mode_name(result.mode)},
                {"draws", result.draws},
                {"seed", result.seed},
                {"parameter_uncertainty", result.vary_parameters},
                {"inputs", std::move(inputs)},
                {"outputs", files.empty() ? std::vector<std::string>{"summary.json", "timeseries.csv", "regions.gpkg", "manifest.json"}
                                          : files}};
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

void write_run_outputs(const LoadedScenario& in, const RunResult& result, const OutputOptions& options) {
    check_output_dir(options.dir, options.force, in.scenario.input_files);
    const fs::path target = output_path(options.dir);
    const fs::path tmp = temporary_path(target);
    std::error_code ec;
    fs::remove_all(tmp, ec); // this process's name: a leftover of a dead process that had the same id
    if (!fs::create_directory(tmp, ec))
        throw OutputError(options.dir + ": cannot create the temporary directory " + tmp.string() + ": " + ec.message());
    const TemporaryLock lock(tmp);
    try {
        // The GeoPackage (GDAL, one thread) is written while the text files are composed beside it.
        auto texts = std::async(std::launch::async, [&] {
            write_file_atomically((tmp / "summary.json").string(), summary_json(in, result), false);
            write_file_atomically((tmp / "timeseries.csv").string(), timeseries_csv(in, result, options.region_timeseries), false);
            write_file_atomically((tmp / "manifest.json").string(), manifest_json(in, result, options.command_line), false);
        });
        try {
            write_region_layers((tmp / "regions.gpkg").string(), in, result);
        } catch (...) {
            texts.wait(); // never leave the other writer running on a directory about to be removed
            throw;
        }
        texts.get();
        if (options.finish) options.finish(tmp.string());
        // The figures and report are known only now; the manifest lists them too.
        write_file_atomically((tmp / "manifest.json").string(), manifest_json(in, result, options.command_line, files_below(tmp)), true);
        // Swap into place; the old directory goes only once the new one is there.
        const fs::path old = temporary_path(target, "old");
        const bool replacing = fs::exists(fs::symlink_status(target, ec));
        if (replacing) {
            fs::remove_all(old, ec);
            fs::rename(target, old, ec);
            if (ec) throw OutputError(options.dir + ": cannot move the earlier run aside: " + ec.message());
        }
        const TemporaryLock old_lock = replacing ? TemporaryLock(old) : TemporaryLock();
        fs::rename(tmp, target, ec);
        if (ec) {
            const std::string why = ec.message();
            if (replacing) fs::rename(old, target, ec);
            throw OutputError(options.dir + ": cannot move the finished run into place: " + why);
        }
        if (replacing) fs::remove_all(old, ec);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw OutputError(options.dir + ": " + e.path1().string() + ": " + e.code().message());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

} // namespace cakupan
