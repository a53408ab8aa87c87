#include "cakupan/io/output_rules.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/temporaries.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <sys/stat.h>

namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const char* kind_name(OutputKind k) {
    switch (k) {
    case OutputKind::run: return "run";
    case OutputKind::study: return "study";
    case OutputKind::calibration: return "calibration";
    }
    return "?";
}

// The command that writes each kind, for messages.
const char* command_name(OutputKind k) {
    switch (k) {
    case OutputKind::run: return "run";
    case OutputKind::study: return "sensitivity";
    case OutputKind::calibration: return "calibrate";
    }
    return "?";
}

// Whether `inner` is `outer` or lies below it (both canonical).
bool is_within(const fs::path& inner, const fs::path& outer) {
    return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first == outer.end();
}

fs::path canonical_or_empty(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::path() : c;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Whether `out` is an input, or a sidecar (.dbf, .shx, .prj, ...) of an input Shapefile.
bool is_input(const fs::path& out, const std::vector<std::string>& inputs) {
    std::error_code ec;
    for (const auto& in : inputs) {
        if (fs::equivalent(out, in, ec)) return true;
        const fs::path input(in);
        if (lower(input.extension().string()) == ".shp" && out.stem() == input.stem() &&
            fs::equivalent(out.has_parent_path() ? out.parent_path() : ".", input.has_parent_path() ? input.parent_path() : ".", ec))
            return true;
    }
    return false;
}

std::string file_type(mode_t m) {
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

json read_json(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > (64u << 20)) return json();
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    json j = json::parse(text.str(), nullptr, false);
    return j.is_object() ? j : json();
}

std::set<std::string> strings_of(const json& array) {
    std::set<std::string> out;
    if (array.is_array())
        for (const auto& s : array)
            if (s.is_string()) out.insert(s.get<std::string>());
    return out;
}

bool text_is(const json& j, const char* key, const char* value) {
    return j.contains(key) && j[key].is_string() && j[key].get<std::string>() == value;
}

// What an earlier run or study in `dir` wrote, by its manifest.
struct Earlier {
    bool found = false;
    std::set<std::string> files;    // relative paths, '/'-separated
    bool figures = false;           // any maps/ or charts/ figure (manifests that did not list them)
};

Earlier earlier_output(const fs::path& dir, OutputKind kind) {
    Earlier e;
    const json m = read_json(dir / "manifest.json");
    const bool marked = text_is(m, "written_by", "cakupan") && text_is(m, "kind", kind_name(kind));
    const bool versioned = m.contains("cakupan") && m["cakupan"].is_string();
    if (kind == OutputKind::run) {
        if (marked) {
            e.found = true;
            e.files = strings_of(m["outputs"]);
        } else if (versioned && m.contains("command") && m["command"].is_string() &&
                   m["command"].get<std::string>().rfind("cakupan run", 0) == 0) {
            // Manifests before the "written_by" marker listed only the four data files.
            e.files = strings_of(m["outputs"]);
            e.found = e.files.count("summary.json") && e.files.count("manifest.json");
            e.figures = true;
        }
        // `cakupan report RUN_DIR` adds its report beside the run.
        if (e.found) e.files.insert({"manifest.json", "report.html", "report-en.html"});
        return e;
    }
    if (kind == OutputKind::calibration) {
        e.found = marked;
        if (marked) e.files = strings_of(m["files"]);
        if (e.found) e.files.insert("manifest.json");
        return e;
    }
    if (marked || (versioned && m.contains("study") && m.contains("method"))) {
        e.files = strings_of(m["files"]);
        e.found = marked || e.files.count("manifest.json");
    }
    // A study stopped before its end holds only its checkpoint.
    std::ifstream cp(dir / ".checkpoint", std::ios::binary);
    std::string head(21, '\0');
    if (cp.read(head.data(), 21) && head == "cakupan-checkpoint 1 ") e.found = true;
    if (e.found) e.files.insert({"manifest.json", ".checkpoint"});
    return e;
}

bool is_figure(const std::string& rel) {
    const auto slash = rel.find('/');
    if (slash == std::string::npos || rel.find('/', slash + 1) != std::string::npos) return false;
    const std::string top = rel.substr(0, slash), ext = fs::path(rel).extension().string();
    return (top == "maps" || top == "charts") && (ext == ".png" || ext == ".svg" || ext == ".pdf");
}

// The first entry below `dir` that the earlier output did not write, or "" when there is none.
std::string foreign_entry(const fs::path& dir, const Earlier& e, OutputKind kind) {
    std::set<std::string> dirs;
    for (const auto& f : e.files)
        for (fs::path p = fs::path(f).parent_path(); !p.empty(); p = p.parent_path()) dirs.insert(p.generic_string());
    if (kind == OutputKind::run) dirs.insert({"maps", "charts"});
    std::error_code ec;
    std::vector<std::string> foreign;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string rel = it->path().lexically_relative(dir).generic_string();
        if (it.depth() == 0 && is_stale_temporary(it->path())) {
            it.disable_recursion_pending();
            continue;
        }
        const bool owned = it->is_directory() && !it->is_symlink() ? dirs.count(rel) > 0
                                                                   : e.files.count(rel) > 0 || (e.figures && is_figure(rel));
        if (!owned) foreign.push_back(rel);
    }
    if (ec) throw OutputError(dir.string() + ": cannot read the directory: " + ec.message());
    std::sort(foreign.begin(), foreign.end()); // the same answer whatever the directory order
    return foreign.empty() ? std::string() : foreign.front();
}

} // namespace

fs::path output_path(const std::string& arg) {
    std::string s = arg;
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return fs::path(s);
}

void check_output_file(const std::string& path, bool force, const std::vector<std::string>& inputs) {
    if (path.empty()) throw UsageError("--out: give the file to write");
    if (path.back() == '/') throw OutputError(path + ": ends in '/', which names a directory; name a file");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw OutputError(path + ": is a directory; name a file");
        if (!S_ISREG(st.st_mode))
            throw OutputError(path + ": is " + file_type(st.st_mode) + "; Cakupan replaces only a regular file: name a file");
        if (is_input(path, inputs))
            throw OutputError(path + ": is an input of this command; Cakupan never replaces an input: choose another --out");
        if (!force) throw OutputError(path + ": already exists; pass --force to replace it");
        return;
    }
    const fs::path p(path);
    const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) throw OutputError(path + ": directory " + parent.string() + " does not exist");
}

void check_output_directory(const std::string& arg, OutputKind kind, bool force, const std::vector<std::string>& inputs) {
    const std::string what = kind_name(kind);
    if (arg.empty()) throw UsageError("--out: give the " + what + " directory to write");
    const fs::path dir = output_path(arg);
    const fs::path target = canonical_or_empty(dir);
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (!target.empty() && !ec && is_within(cwd, target))
        throw OutputError(arg + ": is the working directory or contains it; Cakupan never replaces it: name a new directory for --out");
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
        if (!fs::is_directory(parent, ec)) throw OutputError(arg + ": parent directory " + parent.string() + " does not exist");
        return;
    }
    if (S_ISLNK(st.st_mode)) throw OutputError(arg + ": is a symbolic link; name the directory itself");
    if (!S_ISDIR(st.st_mode)) throw OutputError(arg + ": exists and is not a directory");
    if (fs::is_empty(dir, ec) && !ec) return;

    const Earlier earlier = earlier_output(dir, kind);
    if (!force) {
        if (!earlier.found)
            throw OutputError(arg + ": directory exists and is not empty and holds no earlier " + what +
                              "; choose another --out (--force replaces only a " + what + " directory)");
        throw OutputError(arg + (kind != OutputKind::study
                                     ? std::string(": directory exists and is not empty; pass --force to replace it")
                                     : std::string(": the directory is not empty; use --resume to continue its study or "
                                                   "--force to start again")));
    }
    for (const auto& in : inputs) {
        const fs::path c = canonical_or_empty(in);
        if (!c.empty() && !target.empty() && is_within(c, target))
            throw OutputError(arg + ": contains " + in + ", an input of this command; --force never replaces it: choose another --out");
    }
    if (!earlier.found)
        throw OutputError(arg + ": holds no earlier " + what + " (no manifest.json written by cakupan " +
                          command_name(kind) + "); --force replaces only a " + what +
                          " directory: choose another --out");
    const std::string foreign = foreign_entry(dir, earlier, kind);
    if (!foreign.empty())
        throw OutputError(arg + ": holds " + foreign + ", which the earlier " + what +
                          " did not write; --force replaces only what Cakupan wrote: move it away or choose another --out");
}

std::vector<std::string> run_directory_inputs(const std::string& dir) {
    std::vector<std::string> out;
    for (const char* f : {"summary.json", "timeseries.csv", "regions.gpkg", "manifest.json"}) out.push_back((fs::path(dir) / f).string());
    return out;
}

} // namespace cakupan
