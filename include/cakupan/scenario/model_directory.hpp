// Where named models live: a scenario that gives no [model] file, or names its model with
// [model] name = "...", takes <models directory>/<name>.toml. The directory is found from the
// running executable, so an installed cakupan finds its models from any working directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cakupan {

// The model a scenario without [model] uses.
inline constexpr const char* kDefaultModel = "jamsostek";

// The environment variable that overrides the search.
inline constexpr const char* kModelsDirVariable = "CAKUPAN_MODELS_DIR";

// The places searched, in order: <executable's directory>/../share/cakupan/models (an installed
// binary; the relative path follows the install layout), then the source tree's models/ (a binary
// in the build tree). A program linked to the library is found the same way from its own
// executable; elsewhere it sets CAKUPAN_MODELS_DIR or names model files.
std::vector<std::filesystem::path> model_directory_candidates(const std::filesystem::path& executable);

// The models directory: `override_dir` when not empty (the value of CAKUPAN_MODELS_DIR; it must
// be a directory), otherwise the first candidate that is a directory. Throws ScenarioError naming
// what was tried.
std::filesystem::path find_model_directory(const std::string& override_dir, const std::filesystem::path& executable);

// find_model_directory for this process: CAKUPAN_MODELS_DIR and /proc/self/exe.
std::filesystem::path model_directory();

// The file of the model called `name` (letters, digits, '-', '_', '.'; not starting with '.') in
// model_directory(). `where` ("file:line:column") and `key` ("model.name") start the error that
// says a name is malformed or no such model exists (with the models that do).
std::string named_model_file(const std::string& name, const std::string& where, const std::string& key);

} // namespace cakupan
