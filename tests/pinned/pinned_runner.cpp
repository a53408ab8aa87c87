// Checks the pinned results of a bundled scenario or study (tests/pinned/<name>.toml; the format
// and the re-pin procedure are in tests/pinned/README.md): runs the cakupan binary as the file
// says, reads summary.json (run) or indices.json (sensitivity) and compares every pinned value
// within its tolerance. With --repin it writes the new results into the file instead: only the
// numbers after `value =` change, in place, so comments, tolerances and layout stay as they were.
//
// usage: cakupan_pinned_runner [--repin | --repin-all] FILE...
//   exit 0: every value within its tolerance (or re-pinned); 1: a value differs or a run failed;
//   2: usage or a malformed pinned file.
#include "../support/process.hpp"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A malformed pinned file (exit 2), as opposed to a result that differs (exit 1).
struct FileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How an expectation picks one object of the results: its key in the pinned file, the array of
// the results it searches, and the field that names the elements of that array.
struct Selector {
    const char* key;
    const char* array;
    const char* name_field;
};
constexpr Selector kRunSelectors[] = {{"variant", "variants", "name"}, {"region", "regions", "code"}};
constexpr Selector kStudySelectors[] = {{"output", "outputs", "output"}, {"parameter", "parameters", "parameter"}};

struct Expectation {
    std::string run;
    std::vector<std::pair<const Selector*, std::string>> selectors;
    std::string key;  // dotted path inside the selected object; a number indexes an array
    double value = 0;
    double tolerance = 0;
    toml::source_region value_at;  // the `value` number, for messages and for re-pinning
};

struct Run {
    std::string name;
    std::vector<std::string> args;
};

struct PinnedFile {
    fs::path path;
    std::string shown;    // the path as messages print it (relative to the source tree)
    std::string command;  // "run" or "sensitivity"
    fs::path input;
    std::vector<Run> runs;
    std::vector<Expectation> expectations;
};

std::string shown_path(const fs::path& p) {
    const fs::path rel = fs::absolute(p).lexically_normal().lexically_relative(CAKUPAN_SOURCE_DIR);
    return !rel.empty() && *rel.begin() != ".." ? rel.string() : p.string();
}

std::string where(const PinnedFile& f, const toml::source_region& at) {
    return f.shown + ":" + std::to_string(at.begin.line) + ":" + std::to_string(at.begin.column);
}

std::string number(double v) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

// Refuses keys a table may not hold, so that a misspelt `tolerence` is not silently ignored.
void only_keys(const PinnedFile& f, const toml::table& t, const std::string& what, const std::vector<std::string>& allowed) {
    for (auto&& [k, v] : t) {
        if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw FileError(where(f, k.source()) + ": unknown key '" + std::string(k.str()) + "' in " + what + " (expected one of: " +
                        list + ")");
    }
}

std::string required_string(const PinnedFile& f, const toml::table& t, const std::string& what, const char* key) {
    const auto* n = t.get(key);
    if (n == nullptr) throw FileError(where(f, t.source()) + ": " + what + " needs '" + key + "' (a string)");
    if (!n->is_string()) throw FileError(where(f, n->source()) + ": " + what + "." + key + " must be a string");
    return **n->as_string();
}

double number_at(const PinnedFile& f, const toml::node& n, const std::string& what) {
    if (auto d = n.value<double>(); d && (n.is_floating_point() || n.is_integer())) return *d;
    throw FileError(where(f, n.source()) + ": " + what + " must be a number");
}

double tolerance_at(const PinnedFile& f, const toml::node& n, const std::string& what) {
    const double t = number_at(f, n, what);
    if (!(t >= 0) || std::isinf(t)) throw FileError(where(f, n.source()) + ": " + what + " must be a finite number >= 0");
    return t;
}

PinnedFile load(const fs::path& path) {
    PinnedFile f;
    f.path = path;
    f.shown = shown_path(path);
    if (!fs::is_regular_file(path))
        throw FileError(f.shown + ": no such pinned file; every scenarios/*.toml and studies/*.toml has its key results in " +
                        "tests/pinned/<name>.toml (tests/pinned/README.md)");
    toml::table doc;
    try {
        doc = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw FileError(f.shown + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) + ": " +
                        std::string(e.description()));
    }
    only_keys(f, doc, "the file", {"pinned", "run"});
    const auto* pinned = doc["pinned"].as_table();
    if (pinned == nullptr) throw FileError(f.shown + ": needs a [pinned] table (command, input, tolerance)");
    only_keys(f, *pinned, "[pinned]", {"command", "input", "tolerance"});
    f.command = required_string(f, *pinned, "[pinned]", "command");
    if (f.command != "run" && f.command != "sensitivity")
        throw FileError(where(f, pinned->get("command")->source()) + ": [pinned].command must be \"run\" or \"sensitivity\", got \"" +
                        f.command + "\"");
    f.input = fs::path(CAKUPAN_SOURCE_DIR) / required_string(f, *pinned, "[pinned]", "input");
    const auto* default_tolerance = pinned->get("tolerance");
    if (default_tolerance == nullptr) throw FileError(where(f, pinned->source()) + ": [pinned] needs 'tolerance' (the default of the file)");
    const double tolerance = tolerance_at(f, *default_tolerance, "[pinned].tolerance");

    const auto& selectors = f.command == "run" ? kRunSelectors : kStudySelectors;
    std::vector<std::string> expectation_keys = {"key", "value", "tolerance"};
    for (const auto& s : selectors) expectation_keys.emplace_back(s.key);

    const auto* runs = doc["run"].as_table();
    if (runs == nullptr || runs->empty()) throw FileError(f.shown + ": needs at least one [run.<name>] table (args, expect)");
    for (auto&& [name, node] : *runs) {
        const std::string what = "[run." + std::string(name.str()) + "]";
        const auto* run = node.as_table();
        if (run == nullptr) throw FileError(where(f, node.source()) + ": run." + std::string(name.str()) + " must be a table");
        only_keys(f, *run, what, {"args", "expect"});
        Run r{std::string(name.str()), {}};
        if (const auto* args = run->get("args")) {
            if (!args->is_array()) throw FileError(where(f, args->source()) + ": " + what + ".args must be an array of strings");
            for (const auto& a : *args->as_array()) {
                if (!a.is_string()) throw FileError(where(f, a.source()) + ": " + what + ".args must be an array of strings");
                r.args.push_back(**a.as_string());
            }
        }
        const auto* expect = run->get_as<toml::array>("expect");
        if (expect == nullptr || expect->empty())
            throw FileError(where(f, run->source()) + ": " + what + " needs 'expect', an array of { key = ..., value = ... }");
        for (const auto& item : *expect) {
            const auto* e = item.as_table();
            if (e == nullptr) throw FileError(where(f, item.source()) + ": " + what + ".expect holds tables { key = ..., value = ... }");
            only_keys(f, *e, what + ".expect", expectation_keys);
            Expectation x;
            x.run = r.name;
            for (const auto& s : selectors)
                if (e->contains(s.key)) x.selectors.emplace_back(&s, required_string(f, *e, what + ".expect", s.key));
            x.key = required_string(f, *e, what + ".expect", "key");
            const auto* value = e->get("value");
            if (value == nullptr) throw FileError(where(f, e->source()) + ": " + what + ".expect needs 'value' (write 0 and re-pin)");
            x.value = number_at(f, *value, "value");
            x.value_at = value->source();
            x.tolerance = e->contains("tolerance") ? tolerance_at(f, *e->get("tolerance"), "tolerance") : tolerance;
            f.expectations.push_back(std::move(x));
        }
        f.runs.push_back(std::move(r));
    }
    // Runs come in key order; report in the order of the file.
    std::stable_sort(f.expectations.begin(), f.expectations.end(),
                     [](const Expectation& a, const Expectation& b) { return a.value_at.begin.line < b.value_at.begin.line; });
    return f;
}

std::string describe(const Expectation& e) {
    std::string s = "run \"" + e.run + "\"";
    for (const auto& [sel, name] : e.selectors) s += ", " + std::string(sel->key) + " \"" + name + "\"";
    return s + ", " + e.key;
}

std::string names_in(const json& array, const char* field) {
    std::string s;
    for (const auto& el : array)
        if (el.contains(field) && el[field].is_string()) s += (s.empty() ? "" : ", ") + el[field].get<std::string>();
    return s;
}

// The value an expectation points at in the results, or a message saying what is missing.
std::variant<double, std::string> resolve(const json& root, const Expectation& e, const std::string& results) {
    const json* at = &root;
    std::string path = results;
    for (const auto& [sel, name] : e.selectors) {
        const auto it = at->find(sel->array);
        if (it == at->end() || !it->is_array()) return path + " has no '" + sel->array + "' array";
        const json* found = nullptr;
        for (const auto& el : *it)
            if (el.contains(sel->name_field) && el[sel->name_field] == name) found = &el;
        if (found == nullptr)
            return "no " + std::string(sel->key) + " \"" + name + "\" in " + path + " (there: " + names_in(*it, sel->name_field) + ")";
        at = found;
        path += " " + std::string(sel->key) + " \"" + name + "\"";
    }
    std::string walked;
    std::istringstream parts(e.key);
    for (std::string part; std::getline(parts, part, '.');) {
        walked += (walked.empty() ? "" : ".") + part;
        if (at->is_array()) {
            std::size_t i = 0;
            const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
            if (ec != std::errc() || end != part.data() + part.size() || i >= at->size())
                return path + ": '" + walked + "' is not an index of an array of " + std::to_string(at->size());
            at = &(*at)[i];
        } else if (at->is_object() && at->contains(part)) {
            at = &(*at)[part];
        } else {
            std::string keys;
            if (at->is_object())
                for (const auto& [k, v] : at->items()) keys += (keys.empty() ? "" : ", ") + k;
            return path + ": no '" + walked + "'" + (keys.empty() ? "" : " (there: " + keys + ")");
        }
    }
    if (at->is_null()) return std::numeric_limits<double>::quiet_NaN();  // NaN is written as null
    if (!at->is_number()) return path + ": '" + e.key + "' is not a number but " + at->dump();
    return at->get<double>();
}

bool within(double got, double want, double tolerance) {
    if (std::isnan(got) || std::isnan(want)) return std::isnan(got) && std::isnan(want);
    if (std::isinf(got) || std::isinf(want)) return got == want;
    // The slack lets a neighbouring decimal of the rounded summary.json (0.272410 against 0.272409)
    // pass at a tolerance of exactly 1e-6, whose difference in doubles is a hair above it.
    const double slack = tolerance * 1e-9 + 4 * std::numeric_limits<double>::epsilon() * std::max(std::abs(got), std::abs(want));
    return std::abs(got - want) <= tolerance + slack;
}

// The number written by --repin: rounded to a tenth of the tolerance (so it is within tolerance of
// the result and diffs stay short), always a TOML float.
std::string format_value(double v, double tolerance) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    std::string s;
    if (tolerance > 0) {
        const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(tolerance))) + 1, 0, 17);
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        s = buf;
        if (s.find('.') != std::string::npos) {
            s.erase(s.find_last_not_of('0') + 1);
            if (s.back() == '.') s.pop_back();
        }
    } else {
        s = number(v);
    }
    if (s == "-0") s = "0";
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "cakupan-pinned-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory in " + fs::temp_directory_path().string());
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs cakupan as the run says and returns the results it wrote (summary.json or indices.json).
json run_cakupan(const PinnedFile& f, const Run& run, const std::string& results) {
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    std::vector<std::string> args = {CAKUPAN_CLI, f.command, f.input.string()};
    args.insert(args.end(), run.args.begin(), run.args.end());
    args.insert(args.end(), {"--out", out.string(), "--quiet"});
    // Only the numbers are pinned; figures and per-region time series are tested elsewhere.
    if (f.command == "run") args.insert(args.end(), {"--no-maps", "--no-charts", "--no-report", "--no-region-timeseries"});
    const auto r = cakupan::test::run_process(args);
    std::string command;
    for (const auto& a : args) command += (command.empty() ? "" : " ") + a;
    if (r.exit != 0)
        throw std::runtime_error(f.shown + ": run \"" + run.name + "\" failed with exit code " + std::to_string(r.exit) + ": " + command +
                                 "\n" + r.out + r.err);
    try {
        return json::parse(slurp(out / results));
    } catch (const json::exception& e) {
        throw std::runtime_error(f.shown + ": run \"" + run.name + "\": cannot read " + (out / results).string() + ": " + e.what());
    }
}

// Byte offset of a 1-based column counted in code points, as toml++ counts them.
std::size_t byte_offset(const std::string& line, std::size_t column) {
    std::size_t i = 0;
    for (std::size_t c = 1; c < column && i < line.size(); ++c) {
        ++i;
        while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

struct Edit {
    toml::source_region at;
    std::string text;
};

// Replaces each edited number in the file's text and writes the file atomically.
void apply_edits(const fs::path& path, std::vector<Edit> edits) {
    std::vector<std::string> lines;
    {
        std::istringstream in(slurp(path));
        for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
    }
    // Right to left, so that an edit does not move the columns of the ones still to do.
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
        return a.at.begin.line != b.at.begin.line ? a.at.begin.line > b.at.begin.line : a.at.begin.column > b.at.begin.column;
    });
    for (const auto& e : edits) {
        if (e.at.begin.line != e.at.end.line || e.at.begin.line == 0 || e.at.begin.line > lines.size())
            throw std::runtime_error(path.string() + ":" + std::to_string(e.at.begin.line) + ": cannot re-pin a value that spans lines");
        std::string& line = lines[e.at.begin.line - 1];
        const std::size_t from = byte_offset(line, e.at.begin.column), to = byte_offset(line, e.at.end.column);
        line.replace(from, to - from, e.text);
    }
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary);
        for (const auto& l : lines) out << l;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

enum class Mode { check, repin, repin_all };

// Checks (or re-pins) one file; returns the number of values that differ (check) or could not be
// found (re-pin).
int process(const fs::path& path, Mode mode) {
    const PinnedFile f = load(path);
    const std::string results = f.command == "run" ? "summary.json" : "indices.json";
    std::map<std::string, json> outputs;
    for (const auto& run : f.runs) outputs[run.name] = run_cakupan(f, run, results);

    int bad = 0, missing = 0;
    std::vector<Edit> edits;
    for (const auto& e : f.expectations) {
        const auto got = resolve(outputs.at(e.run), e, results);
        const std::string at = f.shown + ":" + std::to_string(e.value_at.begin.line) + ": " + describe(e);
        if (const auto* why = std::get_if<std::string>(&got)) {
            std::cout << at << ": " << *why << "\n";
            ++missing;
            continue;
        }
        const double v = std::get<double>(got);
        const bool ok = within(v, e.value, e.tolerance);
        if (mode == Mode::check) {
            if (!ok) {
                std::cout << at << ": expected " << number(e.value) << " ± " << number(e.tolerance) << ", got " << number(v);
                if (std::isfinite(v) && std::isfinite(e.value)) {
                    char off[32];
                    std::snprintf(off, sizeof off, "%.3g", v - e.value);
                    std::cout << " (off by " << off << ")";
                }
                std::cout << "\n";
                ++bad;
            }
        } else if (!ok || mode == Mode::repin_all) {
            const std::string text = format_value(v, e.tolerance);
            if (text != format_value(e.value, e.tolerance) || !ok) {
                if (!ok) std::cout << at << ": " << number(e.value) << " -> " << text << "\n";
                edits.push_back({e.value_at, text});
            }
        }
    }
    const std::size_t n = f.expectations.size();
    if (mode == Mode::check) {
        if (bad + missing > 0)
            std::cout << f.shown << ": " << bad + missing << " of " << n << " pinned values "
                      << "differ or are missing. If the change of behaviour is intended, re-pin with\n"
                      << "  tests/pinned/repin.sh " << f.shown << "\n"
                      << "and say in the commit message why the numbers changed (tests/pinned/README.md).\n";
        else
            std::cout << f.shown << ": " << n << " pinned values ok\n";
        return bad + missing;
    }
    if (!edits.empty()) apply_edits(path, edits);
    std::cout << f.shown << ": re-pinned " << edits.size() << " of " << n << " values";
    if (missing > 0) std::cout << "; " << missing << " not found in the results (edit their lines by hand)";
    std::cout << "\n";
    return missing;
}

} // namespace

int main(int argc, char** argv) {
    Mode mode = Mode::check;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repin") mode = Mode::repin;
        else if (a == "--repin-all") mode = Mode::repin_all;
        else if (!a.empty() && a[0] == '-') {
            std::cerr << "cakupan_pinned_runner: unknown option " << a << "\nusage: cakupan_pinned_runner [--repin | --repin-all] FILE...\n";
            return 2;
        } else files.emplace_back(a);
    }
    if (files.empty()) {
        std::cerr << "usage: cakupan_pinned_runner [--repin | --repin-all] FILE...\n";
        return 2;
    }
    int status = 0;
    for (const auto& file : files) {
        try {
            if (process(file, mode) > 0) status = std::max(status, 1);
        } catch (const FileError& e) {
            std::cout << e.what() << "\n";
            status = 2;
        } catch (const std::exception& e) {
            std::cout << e.what() << "\n";
            status = std::max(status, 1);
        }
    }
    return status;
}
