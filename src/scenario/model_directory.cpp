// Finding the models directory: the environment, then beside the executable, then the source tree
// (see model_directory.hpp).
#include "cakupan/scenario/model_directory.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace fs = std::filesystem;

#ifndef CAKUPAN_MODELS_RELATIVE
#define CAKUPAN_MODELS_RELATIVE "../share/cakupan/models"
#endif

namespace cakupan {

namespace {

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

bool valid_name(const std::string& name) {
    if (name.empty() || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

std::vector<std::string> models_in(const fs::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".toml" && valid_name(it->path().stem().string()) &&
            it->path().stem().extension() != ".calibration") // calibration files live beside the models
            names.push_back(it->path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

std::vector<fs::path> model_directory_candidates(const fs::path& executable) {
    std::vector<fs::path> out;
    if (!executable.empty()) out.push_back((executable.parent_path() / CAKUPAN_MODELS_RELATIVE).lexically_normal());
#ifdef CAKUPAN_SOURCE_MODELS_DIR
    out.emplace_back(CAKUPAN_SOURCE_MODELS_DIR);
#endif
    return out;
}

fs::path find_model_directory(const std::string& override_dir, const fs::path& executable) {
    if (!override_dir.empty()) {
        if (!is_dir(override_dir))
            throw ScenarioError(std::string(kModelsDirVariable) + "=" + override_dir +
                                ": not a directory; expected the directory of the model files");
        return fs::path(override_dir).lexically_normal();
    }
    const auto candidates = model_directory_candidates(executable);
    for (const auto& c : candidates)
        if (is_dir(c)) return c;
    std::vector<std::string> tried;
    for (const auto& c : candidates) tried.push_back(c.string());
    throw ScenarioError("no models directory found (tried " + join_list(tried) + "); set " + kModelsDirVariable +
                        " or give the scenario's [model] file");
}

fs::path model_directory() {
    const char* env = std::getenv(kModelsDirVariable);
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return find_model_directory(env != nullptr ? env : "", ec ? fs::path() : self);
}

std::string named_model_file(const std::string& name, const std::string& where, const std::string& key) {
    if (!valid_name(name))
        throw ScenarioError(where + ": " + key + ": '" + name +
                            "' is not a model name; expected letters, digits, '-', '_' or '.', as in \"" + kDefaultModel +
                            "\" (a path goes in [model] file)");
    const fs::path dir = model_directory();
    const fs::path file = dir / (name + ".toml");
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        const auto names = models_in(dir);
        throw ScenarioError(where + ": " + key + ": no model '" + name + "' in " + dir.string() + did_you_mean(name, names) +
                            "; models there: " + (names.empty() ? std::string("none") : join_list(names)));
    }
    return file.string();
}

} // namespace cakupan
