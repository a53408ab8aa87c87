#include "cakupan/run/run_reader.hpp"

#include "cakupan/common/error.hpp"
#include "io/csv.hpp"
#include "run/region_layer_writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// Walks a JSON document keeping the key path, so a missing or mistyped value is reported as
// "summary.json: variants[2].coverage_end.p5: expected a number".
class Node {
public:
    Node(const json& j, std::string file, std::string path) : j_(j), file_(std::move(file)), path_(std::move(path)) {}

    Node at(const std::string& key) const {
        const std::string p = path_.empty() ? key : path_ + "." + key;
        if (!j_.is_object()) fail(path_, "expected an object");
        const auto it = j_.find(key);
        if (it == j_.end()) fail(p, "missing");
        return Node(*it, file_, p);
    }
    bool has(const std::string& key) const { return j_.is_object() && j_.contains(key); }
    std::vector<Node> items() const {
        if (!j_.is_array()) fail(path_, "expected an array");
        std::vector<Node> out;
        for (std::size_t i = 0; i < j_.size(); ++i) out.emplace_back(j_[i], file_, path_ + "[" + std::to_string(i) + "]");
        return out;
    }
    std::vector<std::pair<std::string, double>> numbers_by_key() const {
        if (!j_.is_object()) fail(path_, "expected an object of numbers");
        std::vector<std::pair<std::string, double>> out;
        for (const auto& [k, v] : j_.items()) out.emplace_back(k, at(k).number());
        return out;
    }
    // The members of an object in file order, each with its key.
    std::vector<std::pair<std::string, Node>> entries() const {
        if (!j_.is_object()) fail(path_, "expected an object");
        std::vector<std::pair<std::string, Node>> out;
        for (const auto& [k, v] : j_.items()) out.emplace_back(k, at(k));
        return out;
    }
    double number() const {
        if (!j_.is_number()) fail(path_, "expected a number");
        return j_.get<double>();
    }
    std::uint64_t unsigned_integer() const {
        if (!j_.is_number_unsigned() && !(j_.is_number_integer() && j_.get<std::int64_t>() >= 0))
            fail(path_, "expected a whole number >= 0");
        return j_.get<std::uint64_t>();
    }
    int integer() const {
        if (!j_.is_number_integer()) fail(path_, "expected a whole number");
        return j_.get<int>();
    }
    bool boolean() const {
        if (!j_.is_boolean()) fail(path_, "expected true or false");
        return j_.get<bool>();
    }
    std::string text() const {
        if (!j_.is_string()) fail(path_, "expected a string");
        return j_.get<std::string>();
    }
    std::vector<std::string> texts() const {
        std::vector<std::string> out;
        for (const auto& n : items()) out.push_back(n.text());
        return out;
    }

private:
    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw InputError(file_ + ": " + (path.empty() ? "document" : path) + ": " + what);
    }
    const json& j_;
    std::string file_, path_;
};

json parse_json(const std::string& text, const std::string& path) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann reports a byte offset; people look for a line and column.
        const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
        const auto nl = text.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t col = at - (nl == std::string::npos || at == 0 ? 0 : nl + 1) + 1;
        std::string what = e.what();
        if (const auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
        throw InputError(path + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not valid JSON (" + what + ")");
    }
}

CoverageStats coverage(const Node& n) {
    return {n.at("mean").number(), n.at("p5").number(), n.at("p50").number(), n.at("p95").number()};
}

// The fields a variant and a region of summary.json share.
template <class Result>
void read_shared(const Node& n, Result& r) {
    r.name = n.at("name").text();
    r.workers = n.at("workers").number();
    r.coverage_start = n.at("coverage_start").number();
    r.coverage_end = coverage(n.at("coverage_end"));
    r.probability = n.at("probability_target_met").number();
    r.members_added = n.at("members_added").numbers_by_key();
    r.spend = n.at("spend").number();
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read (is this a run directory written by `cakupan run`?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

const std::vector<double>* TimeSeries::measure(const std::string& m) const {
    const auto it = measures.find(m);
    return it == measures.end() ? nullptr : &it->second;
}

const TimeSeries* RunTimeSeries::find(const std::string& variant, const std::string& region) const {
    for (const auto& s : series)
        if (s.variant == variant && s.region == region) return &s;
    return nullptr;
}

RunSummary parse_run_summary(const std::string& text, const std::string& path) {
    const json doc = parse_json(text, path);
    const Node root(doc, path, "");
    RunSummary s;
    // The layout is checked first: a run of another version fails on this line, not on a field.
    if (!doc.is_object() || !doc.contains("schema") || !doc["schema"].is_string())
        throw InputError(path + ": no \"schema\" (a run written by an earlier Cakupan; run the scenario again to read it with this version)");
    s.schema = doc["schema"].get<std::string>();
    if (s.schema != kRunSchema)
        throw InputError(path + ": schema '" + s.schema + "' is not " + kRunSchema + " (written by another version of Cakupan; run the scenario again)");
    s.version = root.at("cakupan").text();
    s.scenario_name = root.at("scenario").at("name").text();
    s.scenario_title = root.at("scenario").at("title").text();
    const Node period = root.at("period");
    s.start = period.at("start").text();
    s.end = period.at("end").text();
    s.step = period.at("step").text();
    s.steps = period.at("steps").integer();
    s.mode = root.at("mode").text();
    s.draws = root.at("draws").integer();
    s.seed = root.at("seed").unsigned_integer();
    s.parameter_uncertainty = root.at("parameter_uncertainty").boolean();
    s.target = root.at("target").at("coverage").number();
    s.region_layer = root.at("regions").at("layer").text();
    s.region_count = root.at("regions").at("count").integer();
    for (const Node& v : root.at("variants").items()) {
        RunVariantResult r;
        read_shared(v, r);
        r.description = v.at("description").text();
        r.interventions = v.at("interventions").texts();
        r.active_start = v.at("active_start").number();
        r.active_end = v.at("active_end").number();
        r.spend_by_intervention = v.at("spend_by_intervention").numbers_by_key();
        r.cost_per_added_member = v.at("cost_per_added_member").number();
        r.spend_by_funder = v.at("spend_by_funder").numbers_by_key();
        for (const auto& [name, c] : v.at("cost_by_intervention").entries())
            r.cost_by_intervention.push_back({name, c.at("funder").text(), c.at("cost").number()});
        for (const Node& e : v.at("budget_exhausted").items())
            r.budget_exhausted.push_back({e.at("intervention").text(), e.at("budget").number(), e.at("unspent").number(),
                                          e.at("from").text(), e.at("share_of_draws").number()});
        if (v.has("vs_baseline")) {
            r.has_baseline = true;
            r.extra_active_members = v.at("vs_baseline").at("extra_active_members").number();
            r.cost_per_extra_member = v.at("vs_baseline").at("cost_per_extra_member").number();
        }
        for (const Node& g : v.at("regions").items()) {
            RunRegionResult x;
            x.code = g.at("code").text();
            read_shared(g, x);
            x.target = g.at("target").number();
            r.regions.push_back(std::move(x));
        }
        s.variants.push_back(std::move(r));
    }
    s.warnings = root.at("warnings").texts();
    if (s.variants.empty()) throw InputError(path + ": variants: empty (a run has at least one variant)");
    // Maps and tables pair the regions of the variants by position.
    const auto& first = s.variants.front().regions;
    for (std::size_t i = 1; i < s.variants.size(); ++i) {
        const auto& here = s.variants[i].regions;
        for (std::size_t r = 0; r < std::max(first.size(), here.size()); ++r)
            if (r >= first.size() || r >= here.size() || here[r].code != first[r].code)
                throw InputError(path + ": variants[" + std::to_string(i) + "].regions[" + std::to_string(r) +
                                 "]: not the region of variants[0].regions[" + std::to_string(r) + "]");
    }
    return s;
}

RunManifest parse_run_manifest(const std::string& text, const std::string& path) {
    const json doc = parse_json(text, path);
    const Node root(doc, path, "");
    RunManifest m;
    m.version = root.at("cakupan").text();
    m.command = root.at("command").text();
    m.scenario = root.at("scenario").text();
    m.mode = root.at("mode").text();
    m.draws = root.at("draws").integer();
    m.seed = root.at("seed").unsigned_integer();
    m.parameter_uncertainty = root.at("parameter_uncertainty").boolean();
    for (const Node& f : root.at("inputs").items())
        m.inputs.push_back({f.at("path").text(), f.at("bytes").unsigned_integer(), f.at("sha256").text()});
    m.outputs = root.at("outputs").texts();
    return m;
}

RunTimeSeries parse_run_timeseries(const std::string& text, const std::string& path) {
    csv::Reader reader(text, path);
    std::vector<std::string> f;
    if (!reader.next(f)) throw InputError(path + ": empty file (expected the header variant,region,name,date,measure,value)");
    if (f != std::vector<std::string>{"variant", "region", "name", "date", "measure", "value"}) {
        std::string header;
        for (const auto& x : f) header += (header.empty() ? "" : ",") + x;
        throw InputError(path + ":1: header is '" + header + "' (expected variant,region,name,date,measure,value)");
    }

    struct Row {
        std::size_t series;
        std::string date, measure;
        double value;
    };
    std::vector<Row> rows;
    RunTimeSeries out;
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    std::set<std::string> dates;
    while (reader.next(f)) {
        if (f.size() == 1 && f[0].empty()) continue; // a blank line
        const std::string where = reader.where();
        if (f.size() != 6) throw InputError(where + ": " + std::to_string(f.size()) + " fields (expected 6: variant,region,name,date,measure,value)");
        const std::string& date = f[3];
        if (date.size() != 10 || date[4] != '-' || date[7] != '-')
            throw InputError(where + ": date '" + date + "' is not YYYY-MM-DD");
        double value = std::numeric_limits<double>::quiet_NaN();
        if (!f[5].empty()) {
            const char* b = f[5].data();
            const char* e = b + f[5].size();
            const auto [p, ec] = std::from_chars(b, e, value);
            if (ec != std::errc() || p != e) throw InputError(where + ": value '" + f[5] + "' is not a number");
        }
        const auto key = std::make_pair(f[0], f[1]);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, out.series.size()).first;
            out.series.push_back({f[0], f[1], f[2], {}});
        }
        dates.insert(date);
        rows.push_back({it->second, date, f[4], value});
    }
    out.dates.assign(dates.begin(), dates.end());
    const std::size_t n = out.dates.size();
    for (const Row& r : rows) {
        auto& col = out.series[r.series].measures[r.measure];
        if (col.empty()) col.assign(n, std::numeric_limits<double>::quiet_NaN());
        const auto k = static_cast<std::size_t>(std::lower_bound(out.dates.begin(), out.dates.end(), r.date) - out.dates.begin());
        col[k] = r.value;
    }
    return out;
}

RunData read_run(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir + ": not a directory (expected a run directory written by `cakupan run`)");
    RunData d;
    const std::string summary = (fs::path(dir) / "summary.json").string();
    const std::string manifest = (fs::path(dir) / "manifest.json").string();
    const std::string series = (fs::path(dir) / "timeseries.csv").string();
    d.summary = parse_run_summary(read_text(summary), summary);
    d.manifest = parse_run_manifest(read_text(manifest), manifest);
    d.timeseries = parse_run_timeseries(read_text(series), series);
    d.shapes = read_region_shapes((fs::path(dir) / "regions.gpkg").string(), d.summary);
    d.parents = read_parent_regions((fs::path(dir) / "regions.gpkg").string());
    return d;
}

} // namespace cakupan
