// Reading TOML files (models, scenarios, test cases) with errors that say file:line:column,
// the key path, what was found and what is expected.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cakupan {

std::string format_number(double v); // shortest text that reads back the same

class TomlFile {
public:
    // Throws ScenarioError for a missing file or a syntax error (with its line and column).
    static TomlFile parse(const std::string& path);

    const toml::table& root() const { return root_; }
    const std::string& path() const { return path_; }

    std::string where(const toml::node& n) const; // "file:line:column"

    // The value at `key` of `t`, or ScenarioError "missing key" naming the key path.
    const toml::node& require(const toml::table& t, const std::string& path, const std::string& key) const;
    // ScenarioError for the first key of `t` not in `allowed`, with "did you mean".
    void check_keys(const toml::table& t, const std::string& path, const std::vector<std::string>& allowed) const;

    std::string string(const toml::node& n, const std::string& path) const;
    double number(const toml::node& n, const std::string& path) const; // integer or float
    bool boolean(const toml::node& n, const std::string& path) const;
    const toml::table& table(const toml::node& n, const std::string& path) const;
    // A string that must be one of `allowed` ("'x' is not <what> (did you mean 'y'?); expected one of: ...").
    std::string choice(const toml::node& n, const std::string& path, const std::vector<std::string>& allowed,
                       const std::string& what) const;
    // An integer (not a float) in [lo, hi].
    std::int64_t whole(const toml::node& n, const std::string& path, std::int64_t lo, std::int64_t hi) const;
    // A string or a non-empty array of strings.
    std::vector<std::string> strings(const toml::node& n, const std::string& path) const;

private:
    std::string path_;
    toml::table root_;
};

} // namespace cakupan
