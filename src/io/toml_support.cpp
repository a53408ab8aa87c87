#include "io/toml_support.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace cakupan {

std::string format_number(double v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

namespace {

std::string type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
    }
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

} // namespace

TomlFile TomlFile::parse(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw ScenarioError(path + ": file not found");
    TomlFile f;
    f.path_ = path;
    try {
        f.root_ = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        std::string what(e.description());
        if (what.find("utf-8") != std::string::npos) what += " (TOML files are UTF-8: save the file as UTF-8)";
        throw ScenarioError(path + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": " + what);
    }
    return f;
}

std::string TomlFile::where(const toml::node& n) const {
    const auto& b = n.source().begin;
    if (!b) return path_;
    return path_ + ":" + std::to_string(b.line) + ":" + std::to_string(b.column);
}

const toml::node& TomlFile::require(const toml::table& t, const std::string& path, const std::string& key) const {
    if (const auto* n = t.get(key)) return *n;
    throw ScenarioError(where(t) + ": " + join(path, key) + " is missing");
}

void TomlFile::check_keys(const toml::table& t, const std::string& path, const std::vector<std::string>& allowed) const {
    for (const auto& [k, node] : t) {
        const std::string key(k.str());
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        throw ScenarioError(where(node) + ": " + join(path, key) + ": unknown key" + did_you_mean(key, allowed) +
                            "; expected one of: " + join_list(allowed));
    }
}

std::string TomlFile::string(const toml::node& n, const std::string& path) const {
    if (const auto* s = n.as_string()) return s->get();
    throw ScenarioError(where(n) + ": " + path + ": expected a string, found " + type_name(n));
}

std::string TomlFile::choice(const toml::node& n, const std::string& path, const std::vector<std::string>& allowed,
                             const std::string& what) const {
    const std::string s = string(n, path);
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        throw ScenarioError(where(n) + ": " + path + ": '" + s + "' is not " + what + did_you_mean(s, allowed) +
                            "; expected one of: " + join_list(allowed));
    return s;
}

std::int64_t TomlFile::whole(const toml::node& n, const std::string& path, std::int64_t lo, std::int64_t hi) const {
    if (!n.is_integer())
        throw ScenarioError(where(n) + ": " + path + ": expected a whole number, found " +
                            (n.is_string() ? std::string("a string") : format_number(number(n, path))));
    const std::int64_t v = n.as_integer()->get();
    if (v < lo || v > hi)
        throw ScenarioError(where(n) + ": " + path + " = " + std::to_string(v) + " is out of range: expected " + std::to_string(lo) +
                            " to " + std::to_string(hi));
    return v;
}

std::vector<std::string> TomlFile::strings(const toml::node& n, const std::string& path) const {
    if (n.is_string()) return {string(n, path)};
    const auto* arr = n.as_array();
    if (arr == nullptr || arr->empty()) throw ScenarioError(where(n) + ": " + path + ": expected a string or a non-empty array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(string(*arr->get(i), path + "[" + std::to_string(i) + "]"));
    return out;
}

double TomlFile::number(const toml::node& n, const std::string& path) const {
    if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
    if (const auto* d = n.as_floating_point()) return d->get();
    throw ScenarioError(where(n) + ": " + path + ": expected a number, found " + type_name(n));
}

bool TomlFile::boolean(const toml::node& n, const std::string& path) const {
    if (const auto* b = n.as_boolean()) return b->get();
    throw ScenarioError(where(n) + ": " + path + ": expected true or false, found " + type_name(n));
}

const toml::table& TomlFile::table(const toml::node& n, const std::string& path) const {
    if (const auto* t = n.as_table()) return *t;
    throw ScenarioError(where(n) + ": " + path + ": expected a table, found " + type_name(n));
}

} // namespace cakupan
