#include "cakupan/geo/hierarchy.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <unordered_map>

namespace cakupan {

int admin_level(std::string_view code) {
    if (code.empty()) return 0;
    return 1 + static_cast<int>(std::count(code.begin(), code.end(), '.'));
}

std::string admin_level_name(int level) {
    switch (level) {
    case 1: return "province";
    case 2: return "kab/kota";
    case 3: return "kecamatan";
    case 4: return "village";
    default: return "level " + std::to_string(level);
    }
}

bool is_within(std::string_view code, std::string_view ancestor) {
    return code.size() > ancestor.size() + 1 && code.substr(0, ancestor.size()) == ancestor && code[ancestor.size()] == '.';
}

std::string parent_code(std::string_view code) {
    const auto dot = code.rfind('.');
    return dot == std::string_view::npos ? std::string() : std::string(code.substr(0, dot));
}

std::string ancestor_code(std::string_view code, int level) {
    std::string out(code);
    while (admin_level(out) > level) out = parent_code(out);
    return out;
}

std::vector<std::ptrdiff_t> link_to_parents(const std::vector<std::string>& children,
                                            const std::vector<std::string>& parents, Diagnostics& diag,
                                            const std::string& where, const CodeStructure& codes) {
    std::vector<std::ptrdiff_t> out(children.size(), -1);
    if (parents.empty()) return out;
    const int level = codes.level(parents.front());
    if (level == 0) {
        diag.error(where, "parent codes such as " + parents.front() + " have no level (" + codes.describe(parents) +
                              "), so no region can be linked to them");
        return out;
    }
    const std::string name = codes.level_name(level);
    std::unordered_map<std::string, std::ptrdiff_t> index;
    for (std::size_t i = 0; i < parents.size(); ++i) index.emplace(parents[i], static_cast<std::ptrdiff_t>(i));
    for (std::size_t i = 0; i < children.size(); ++i) {
        if (codes.level(children[i]) <= level) {
            diag.error(where, "region " + children[i] + " is not below " + codes.level_label(level));
            continue;
        }
        const std::string up = codes.ancestor(children[i], level);
        const auto it = index.find(up);
        if (it == index.end()) diag.error(where, "region " + children[i] + " has no " + name + " " + up);
        else out[i] = it->second;
    }
    return out;
}

Eigen::ArrayXXd aggregate(const Eigen::ArrayXXd& values, const std::vector<std::ptrdiff_t>& parent_of,
                          std::size_t parent_count) {
    if (static_cast<std::size_t>(values.rows()) != parent_of.size())
        throw Error("aggregate: " + std::to_string(values.rows()) + " rows but " + std::to_string(parent_of.size()) + " parent links");
    Eigen::ArrayXXd out = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(parent_count), values.cols());
    for (std::size_t i = 0; i < parent_of.size(); ++i)
        if (parent_of[i] >= 0) out.row(parent_of[i]) += values.row(static_cast<Eigen::Index>(i));
    return out;
}

} // namespace cakupan
