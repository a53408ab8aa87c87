#include "cakupan/geo/code_structure.hpp"

#include <algorithm>
#include <cctype>

namespace cakupan {

namespace {

const std::vector<std::string> kKemendagriNames = {"province", "kab/kota", "kecamatan", "village"};
// Other spellings users write for the Kemendagri levels.
const std::vector<std::pair<std::string, int>> kKemendagriAliases = {
    {"provinsi", 1}, {"kabkota", 2}, {"kabupaten/kota", 2}, {"desa", 4}, {"kelurahan", 4}};

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::vector<std::string_view> split(std::string_view code, std::string_view sep) {
    std::vector<std::string_view> parts;
    for (std::size_t at = 0;;) {
        const auto next = code.find(sep, at);
        parts.push_back(code.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) return parts;
        at = next + sep.size();
    }
}

// NN, NN.NN, NN.NN.NN or NN.NN.NN.NNNN with the province from 11: the Permendagri form.
int kemendagri_level(std::string_view code) {
    static const std::size_t widths[] = {2, 2, 2, 4};
    const auto parts = split(code, ".");
    if (parts.size() > 4) return 0;
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (parts[i].size() != widths[i] || !all_digits(parts[i])) return 0;
    if (parts[0] < "11") return 0;
    return static_cast<int>(parts.size());
}

} // namespace

CodeStructure CodeStructure::kemendagri() { return CodeStructure(); }

CodeStructure CodeStructure::separated_by(std::string separator) {
    CodeStructure s;
    s.kind_ = Kind::separator;
    s.separator_ = std::move(separator);
    return s;
}

CodeStructure CodeStructure::prefix_lengths(std::vector<int> lengths) {
    CodeStructure s;
    s.kind_ = Kind::prefix;
    s.lengths_ = std::move(lengths);
    return s;
}

CodeStructure CodeStructure::parent_field(std::string field, std::unordered_map<std::string, std::string> parents) {
    CodeStructure s;
    s.kind_ = Kind::parent_field;
    s.field_ = std::move(field);
    s.parents_ = std::move(parents);
    // Levels once, following each chain to its top; a chain that loops gives its codes no level.
    for (const auto& [code, parent] : s.parents_)
        if (!parent.empty() && !s.parents_.count(parent)) s.levels_.emplace(parent, 1);
    for (const auto& entry : s.parents_) {
        std::vector<std::string> chain;
        std::string at = entry.first;
        int top = 0;
        while (!at.empty()) {
            if (const auto it = s.levels_.find(at); it != s.levels_.end()) {
                top = it->second;
                break;
            }
            if (chain.size() > s.parents_.size()) break; // a loop
            chain.push_back(at);
            const auto p = s.parents_.find(at);
            at = p == s.parents_.end() ? std::string() : p->second;
        }
        if (chain.size() > s.parents_.size()) continue;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) s.levels_.emplace(*it, ++top);
    }
    return s;
}

CodeStructure CodeStructure::flat() {
    CodeStructure s;
    s.kind_ = Kind::flat;
    return s;
}

CodeStructure CodeStructure::detect(const std::vector<std::string>& codes) {
    if (codes.empty()) return kemendagri();
    if (std::all_of(codes.begin(), codes.end(), [](const auto& c) { return kemendagri_level(c) > 0; })) return kemendagri();
    const auto dotted = [](const std::string& c) {
        const auto parts = split(c, ".");
        return std::none_of(parts.begin(), parts.end(), [](auto p) { return p.empty(); });
    };
    if (std::all_of(codes.begin(), codes.end(), dotted) &&
        std::any_of(codes.begin(), codes.end(), [](const auto& c) { return c.find('.') != std::string::npos; }))
        return separated_by(".");
    return flat();
}

void CodeStructure::name_levels(std::vector<std::string> names) { names_ = std::move(names); }

int CodeStructure::level(std::string_view code) const {
    switch (kind_) {
    case Kind::kemendagri: return kemendagri_level(code);
    case Kind::separator: {
        if (code.empty()) return 0;
        const auto parts = split(code, separator_);
        return std::any_of(parts.begin(), parts.end(), [](auto p) { return p.empty(); }) ? 0 : static_cast<int>(parts.size());
    }
    case Kind::prefix: {
        const auto it = std::find(lengths_.begin(), lengths_.end(), static_cast<int>(code.size()));
        return it == lengths_.end() ? 0 : static_cast<int>(it - lengths_.begin()) + 1;
    }
    case Kind::parent_field: {
        const auto it = levels_.find(std::string(code));
        return it == levels_.end() ? 0 : it->second;
    }
    case Kind::flat: return 0;
    }
    return 0;
}

std::string CodeStructure::parent(std::string_view code) const {
    const int l = level(code);
    if (l <= 1) return {};
    switch (kind_) {
    case Kind::kemendagri: return std::string(code.substr(0, code.rfind('.')));
    case Kind::separator: return std::string(code.substr(0, code.rfind(separator_)));
    case Kind::prefix: return std::string(code.substr(0, static_cast<std::size_t>(lengths_[static_cast<std::size_t>(l - 2)])));
    case Kind::parent_field: return parents_.at(std::string(code));
    case Kind::flat: return {};
    }
    return {};
}

std::string CodeStructure::ancestor(std::string_view code, int want) const {
    int l = level(code);
    if (l == 0 || want < 1 || want > l) return {};
    std::string out(code);
    for (; l > want; --l) out = parent(out);
    return out;
}

bool CodeStructure::is_within(std::string_view code, std::string_view anc) const {
    if (anc.empty()) return false;
    for (std::string p = parent(code); !p.empty(); p = parent(p))
        if (p == anc) return true;
    return false;
}

int CodeStructure::level_count() const {
    switch (kind_) {
    case Kind::kemendagri: return 4;
    case Kind::prefix: return static_cast<int>(lengths_.size());
    case Kind::parent_field: {
        int most = 0;
        for (const auto& [code, l] : levels_) most = std::max(most, l);
        return most;
    }
    default: return 0;
    }
}

std::string CodeStructure::level_name(int l) const {
    if (l <= 0) return {};
    const auto i = static_cast<std::size_t>(l - 1);
    if (!names_.empty()) return i < names_.size() ? names_[i] : "level " + std::to_string(l);
    if (kind_ == Kind::kemendagri && i < kKemendagriNames.size()) return kKemendagriNames[i];
    return "level " + std::to_string(l);
}

std::string CodeStructure::level_label(int l) const {
    if (l <= 0) return "an unknown level";
    const std::string name = level_name(l);
    return name.rfind("level ", 0) == 0 ? name : name + " level";
}

int CodeStructure::level_named(std::string_view name) const {
    if (!names_.empty()) {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return static_cast<int>(i) + 1;
        return 0;
    }
    if (kind_ != Kind::kemendagri) return 0;
    for (std::size_t i = 0; i < kKemendagriNames.size(); ++i)
        if (kKemendagriNames[i] == name) return static_cast<int>(i) + 1;
    for (const auto& [alias, l] : kKemendagriAliases)
        if (alias == name) return l;
    return 0;
}

std::vector<std::string> CodeStructure::level_names() const {
    if (!names_.empty()) return names_;
    if (kind_ != Kind::kemendagri) return {};
    std::vector<std::string> out = kKemendagriNames;
    for (const auto& [alias, l] : kKemendagriAliases) out.push_back(alias);
    return out;
}

std::string CodeStructure::rule() const {
    switch (kind_) {
    case Kind::kemendagri: return "dots";
    case Kind::separator: return "'" + separator_ + "'";
    case Kind::prefix: {
        std::string out = "prefix lengths ";
        for (std::size_t i = 0; i < lengths_.size(); ++i) {
            if (i > 0) out += ',';
            out += std::to_string(lengths_[i]);
        }
        return out;
    }
    case Kind::parent_field: return "the parent field " + field_;
    case Kind::flat: return "none (flat)";
    }
    return {};
}

std::string CodeStructure::describe(const std::vector<std::string>& codes) const {
    std::string example = codes.empty() ? std::string() : codes.front();
    for (const auto& c : codes)
        if (level(c) > level(example)) example = c;
    if (kind_ == Kind::flat) return "codes do not nest (flat codes such as " + example + ")";
    std::vector<std::string> chain;
    for (std::string c(example); !c.empty() && level(c) > 0; c = parent(c)) chain.push_back(c);
    std::string steps;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!steps.empty()) steps += " -> ";
        steps += level_name(level(*it)) + " " + *it;
    }
    return "codes nest by " + rule() + (steps.empty() ? std::string() : " (" + steps + ")");
}

} // namespace cakupan
