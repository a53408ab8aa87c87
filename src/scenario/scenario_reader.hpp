// Reading a scenario file's tables: values with their place in the file for messages
// (scenario.cpp reads the file, scenario_interventions.cpp its [intervention.*] tables).
#pragma once

#include "cakupan/common/diagnostics.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "io/toml_support.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cakupan {

class Reader {
public:
    Reader(const TomlFile& f, Diagnostics& notes) : f_(f), notes_(notes) {}

    Date date(const toml::node& n, const std::string& path) const {
        if (const auto* d = n.as_date()) {
            const auto v = d->get();
            const Date out{std::chrono::year(v.year), std::chrono::month(v.month), std::chrono::day(v.day)};
            if (out.ok()) return out;
        }
        throw ScenarioError(f_.where(n) + ": " + path + ": expected a date such as 2025-06-01 (unquoted)");
    }

    double number_in(const toml::node& n, const std::string& path, double lo, double hi, const std::string& what) const {
        const double v = f_.number(n, path);
        if (!std::isfinite(v) || v < lo || v > hi)
            throw ScenarioError(f_.where(n) + ": " + path + " = " + format_number(v) + " is out of range: expected " + what);
        return v;
    }

    std::string file_path(const toml::node& n, const std::string& path) const {
        const std::string s = f_.string(n, path);
        if (s.empty()) throw ScenarioError(f_.where(n) + ": " + path + ": empty path");
        // Paths resolve relative to the scenario file, so scenarios run from any directory.
        const std::filesystem::path p(s);
        if (p.is_absolute() || s.rfind("/vsi", 0) == 0) return s;
        return (std::filesystem::path(f_.path()).parent_path() / p).lexically_normal().string();
    }

    std::vector<std::string> strings(const toml::node& n, const std::string& path) const {
        std::vector<std::string> out;
        if (n.is_string()) return {f_.string(n, path)};
        const auto* arr = n.as_array();
        if (arr == nullptr) throw ScenarioError(f_.where(n) + ": " + path + ": expected a string or an array of strings");
        for (std::size_t i = 0; i < arr->size(); ++i)
            out.push_back(f_.string(*arr->get(i), path + "[" + std::to_string(i) + "]"));
        return out;
    }

    const TomlFile& file() const { return f_; }
    Diagnostics& notes() const { return notes_; }

private:
    const TomlFile& f_;
    Diagnostics& notes_;
};

// The fields of one table seen through a variant's or sweep's overrides. Nothing is copied, so
// every value keeps its place in the file for error messages.
class Fields {
public:
    Fields(const TomlFile& f, const toml::table& base) : f_(&f), base_(&base) {}
    void set(const std::string& key, const toml::node* node) { overrides_[key] = node; }
    const toml::node* get(const std::string& key) const {
        const auto it = overrides_.find(key);
        return it != overrides_.end() ? it->second : base_->get(key);
    }
    bool contains(const std::string& key) const { return get(key) != nullptr; }
    std::string where() const { return f_->where(*base_); }
    const toml::node& need(const std::string& path, const std::string& key) const {
        if (const auto* n = get(key)) return *n;
        throw ScenarioError(where() + ": " + path + "." + key + " is missing");
    }
    void check_keys(const std::string& path, const std::vector<std::string>& allowed) const {
        auto check = [&](const std::string& key, const toml::node& node) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                throw ScenarioError(f_->where(node) + ": " + path + "." + key + ": unknown key" + did_you_mean(key, allowed) +
                                    "; expected one of: " + join_list(allowed));
        };
        for (const auto& [k, node] : *base_) check(std::string(k.str()), node);
        for (const auto& [k, node] : overrides_) check(k, *node);
    }

private:
    const TomlFile* f_;
    const toml::table* base_;
    std::map<std::string, const toml::node*> overrides_;
};

// One [intervention.<name>] table as a variant sees it, checked against the model and the period.
Intervention parse_intervention(const Reader& r, const std::string& name, const Fields& t, const Model& m, const Period& period);

} // namespace cakupan
