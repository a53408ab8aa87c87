#include "cakupan/calibrate/calibration.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

namespace cakupan {

namespace fs = std::filesystem;

const std::vector<std::string>& modelled_indicators() {
    // Active members (A + F) of every segment, counted in the regions the observation covers.
    static const std::vector<std::string> k{"bpjstk_participants_active"};
    return k;
}

namespace {

std::string resolve(const std::string& base, const std::string& p) {
    return fs::path(p).is_absolute() ? p : (fs::path(base).parent_path() / p).lexically_normal().string();
}

std::chrono::year_month month(const TomlFile& f, const toml::node& n, const std::string& path) {
    const std::string s = f.string(n, path);
    bool ok = s.size() == 7 && s[4] == '-';
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) ok = ok && s[i] >= '0' && s[i] <= '9';
    const unsigned m = ok ? static_cast<unsigned>(std::stoi(s.substr(5))) : 0;
    if (!ok || m < 1 || m > 12) throw ScenarioError(f.where(n) + ": " + path + ": '" + s + "' is not a month written \"YYYY-MM\"");
    return std::chrono::year{std::stoi(s.substr(0, 4))} / std::chrono::month{m};
}

} // namespace

Calibration load_calibration(const std::string& path) {
    const TomlFile f = TomlFile::parse(path);
    const toml::table& root = f.root();
    f.check_keys(root, "", {"calibration", "fit", "posterior", "parameter"});
    Calibration c;
    c.path = path;
    const auto& t = f.table(f.require(root, "", "calibration"), "calibration");
    c.where = f.where(t);
    f.check_keys(t, "calibration", {"name", "title", "scenario", "variant", "observations", "indicators", "level", "from", "to",
                                    "discrepancy", "seed"});
    c.name = t.get("name") ? f.string(*t.get("name"), "calibration.name") : fs::path(path).stem().string();
    if (c.name.size() > 12 && c.name.substr(c.name.size() - 12) == ".calibration") c.name.resize(c.name.size() - 12);
    if (const auto* n = t.get("title")) c.title = f.string(*n, "calibration.title");
    c.scenario = resolve(path, f.string(f.require(t, "calibration", "scenario"), "calibration.scenario"));
    if (const auto* n = t.get("variant")) c.variant = f.string(*n, "calibration.variant");
    for (const auto& o : f.strings(f.require(t, "calibration", "observations"), "calibration.observations"))
        c.observations.push_back(resolve(path, o));
    if (const auto* n = t.get("indicators")) {
        for (std::size_t i = 0; const auto& s : f.strings(*n, "calibration.indicators")) {
            const auto& known = modelled_indicators();
            if (std::find(known.begin(), known.end(), s) == known.end()) {
                const toml::node& at = n->is_array() ? *n->as_array()->get(i) : *n;
                throw ScenarioError(f.where(at) + ": calibration.indicators: '" + s + "' is not an indicator the model produces" +
                                    did_you_mean(s, known) + "; modelled: " + join_list(known));
            }
            c.indicators.push_back(s);
            ++i;
        }
    }
    if (const auto* n = t.get("level")) {
        const std::string s = f.string(*n, "calibration.level");
        const std::vector<std::string> names{"national", "province", "kabkota", "kecamatan", "desa"};
        const auto it = std::find(names.begin(), names.end(), s);
        if (it == names.end())
            throw ScenarioError(f.where(*n) + ": calibration.level: '" + s + "' is not a region level" + did_you_mean(s, names) +
                                "; expected one of: " + join_list(names));
        c.level = static_cast<RegionLevel>(it - names.begin());
    }
    if (const auto* n = t.get("from")) c.from = month(f, *n, "calibration.from");
    if (const auto* n = t.get("to")) c.to = month(f, *n, "calibration.to");
    if (c.from && c.to && *c.to < *c.from)
        throw ScenarioError(f.where(*t.get("to")) + ": calibration.to is before calibration.from");
    if (const auto* n = t.get("discrepancy")) {
        c.discrepancy = f.number(*n, "calibration.discrepancy");
        if (!(c.discrepancy >= 0 && c.discrepancy < 1))
            throw ScenarioError(f.where(*n) + ": calibration.discrepancy = " + format_number(c.discrepancy) +
                                " is out of range: expected a share of the observed value from 0 to below 1, e.g. 0.03");
    }
    if (const auto* n = t.get("seed")) c.seed = static_cast<std::uint64_t>(f.whole(*n, "calibration.seed", 0, std::numeric_limits<int>::max()));

    if (const auto* n = root.get("fit")) {
        const auto& ft = f.table(*n, "fit");
        f.check_keys(ft, "fit", {"starts", "evaluations"});
        if (const auto* m = ft.get("starts")) c.starts = static_cast<int>(f.whole(*m, "fit.starts", 1, 1000));
        if (const auto* m = ft.get("evaluations")) c.evaluations = static_cast<int>(f.whole(*m, "fit.evaluations", 10, 1'000'000));
    }
    if (const auto* n = root.get("posterior")) {
        const auto& pt = f.table(*n, "posterior");
        f.check_keys(pt, "posterior", {"chains", "burn_in", "samples", "thin"});
        if (const auto* m = pt.get("chains")) c.chains = static_cast<int>(f.whole(*m, "posterior.chains", 2, 64));
        if (const auto* m = pt.get("burn_in")) c.burn_in = static_cast<int>(f.whole(*m, "posterior.burn_in", 0, 1'000'000));
        if (const auto* m = pt.get("samples")) c.samples = static_cast<int>(f.whole(*m, "posterior.samples", 10, 1'000'000));
        if (const auto* m = pt.get("thin")) c.thin = static_cast<int>(f.whole(*m, "posterior.thin", 1, 1000));
    }

    const toml::node* params = root.get("parameter");
    if (params == nullptr) throw ScenarioError(c.where + ": parameter: no [[parameter]] table: name at least one model parameter to estimate");
    const auto* arr = params->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) throw ScenarioError(f.where(*params) + ": parameter: expected [[parameter]] tables");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string p = "parameter[" + std::to_string(i) + "]";
        const auto& pt = *arr->get(i)->as_table();
        f.check_keys(pt, p, {"key", "low", "high", "prior"});
        CalibrationParameter cp;
        cp.where = f.where(pt);
        cp.key = f.string(f.require(pt, p, "key"), p + ".key");
        if (cp.key.rfind("parameters.", 0) == 0) cp.key = cp.key.substr(11);
        for (const auto& other : c.parameters)
            if (other.key == cp.key) throw ScenarioError(f.where(*pt.get("key")) + ": " + p + ".key: '" + cp.key + "' is estimated twice");
        // NaN bounds: the model's plausible range, filled in when the model is known.
        cp.low = pt.get("low") ? f.number(*pt.get("low"), p + ".low") : std::numeric_limits<double>::quiet_NaN();
        cp.high = pt.get("high") ? f.number(*pt.get("high"), p + ".high") : std::numeric_limits<double>::quiet_NaN();
        if (pt.get("low") && pt.get("high") && !(cp.low < cp.high))
            throw ScenarioError(cp.where + ": " + p + ": low " + format_number(cp.low) + " is not below high " + format_number(cp.high));
        if (const auto* n = pt.get("prior")) {
            const std::string s = f.string(*n, p + ".prior");
            if (s == "uniform") cp.prior = Prior::uniform;
            else if (s == "log-uniform") cp.prior = Prior::log_uniform;
            else
                throw ScenarioError(f.where(*n) + ": " + p + ".prior: '" + s + "' is not a prior" +
                                    did_you_mean(s, {"uniform", "log-uniform"}) + "; expected uniform or log-uniform");
        }
        c.parameters.push_back(std::move(cp));
    }
    return c;
}

} // namespace cakupan
