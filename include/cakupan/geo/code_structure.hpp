// How the region codes of a layer nest. Kemendagri codes carry their parents in the code itself
// (19.01.01.2001 -> 19.01.01 -> 19.01 -> 19); other coding systems say it by a separator
// (ID-BK-01 -> ID-BK -> ID), by prefix lengths (US FIPS 2,5: 06037 -> 06) or by a field of the
// layer that holds each region's parent (STATEFP); flat codes (1, 2, 3) do not nest at all.
// Region selectors, `within`, `level` and the statistics join ask the structure of the layer
// they work on; nothing assumes dots.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cakupan {

// What a scenario's [data] section or the command line declares. All empty = detect.
struct CodeSpec {
    std::string structure;                // "kemendagri" or "flat"; "" = given by the keys below or detected
    std::vector<int> lengths;             // prefix lengths, increasing, e.g. {2, 5}
    std::string separator;                // e.g. "-" for ID-BK-01
    std::string parent_field;             // field of the boundary layer holding the parent code
    std::vector<std::string> level_names; // names of levels 1, 2, ... ("state", "county")
    bool declared() const { return !structure.empty() || !lengths.empty() || !separator.empty() || !parent_field.empty(); }
};

class CodeStructure {
public:
    enum class Kind { kemendagri, separator, prefix, parent_field, flat };

    CodeStructure() = default; // Kemendagri
    static CodeStructure kemendagri();
    static CodeStructure separated_by(std::string separator);
    static CodeStructure prefix_lengths(std::vector<int> lengths); // increasing, > 0
    // `parents` maps each code of the layer to its parent code ("" = none). Parent codes that are
    // not regions of the layer (the states of a county layer) are the top level.
    static CodeStructure parent_field(std::string field, std::unordered_map<std::string, std::string> parents);
    static CodeStructure flat();
    // Kemendagri when every code is one (NN, NN.NN, NN.NN.NN, NN.NN.NN.NNNN with a province of
    // 11-99), nesting by dots when every code is dotted, else flat.
    static CodeStructure detect(const std::vector<std::string>& codes);

    // Declared names of levels 1, 2, ...; they replace the Kemendagri names.
    void name_levels(std::vector<std::string> names);

    Kind kind() const { return kind_; }
    bool nests() const { return kind_ != Kind::flat; }
    const std::string& parent_field_name() const { return field_; }

    int level(std::string_view code) const;          // 1 = top; 0 = not a code of this structure
    std::string parent(std::string_view code) const; // "" at the top or for an unknown code
    // The ancestor of `code` at `level` ("" when `code` is above that level or unknown).
    std::string ancestor(std::string_view code, int level) const;
    // Whether `code` lies strictly below `ancestor` ("06037" is within "06", "06" is not).
    bool is_within(std::string_view code, std::string_view ancestor) const;

    // Levels there are: 4 for Kemendagri, one per prefix length; 0 when open-ended or flat.
    int level_count() const;
    std::string level_name(int level) const;        // "kab/kota", "county", "level 2"; "" for 0
    std::string level_label(int level) const;       // "kab/kota level", "level 2", "an unknown level"
    int level_named(std::string_view name) const;   // 0 when no level has this name
    std::vector<std::string> level_names() const;   // every name level_named() accepts

    // "codes nest by prefix lengths 2,5 (state 06 -> county 06037)": the rule and the ancestors of
    // the first of `codes` at the deepest level; for flat codes "codes do not nest (flat codes
    // such as 7)".
    std::string describe(const std::vector<std::string>& codes) const;
    // "prefix lengths 2,5", "dots" (Kemendagri), "'-'", "the parent field STATEFP", "none (flat)"
    std::string rule() const;

private:
    Kind kind_ = Kind::kemendagri;
    std::string separator_ = ".";
    std::vector<int> lengths_;
    std::string field_;
    std::unordered_map<std::string, std::string> parents_; // parent_field: code -> parent
    std::unordered_map<std::string, int> levels_;          // parent_field: every known code -> level
    std::vector<std::string> names_;                       // declared level names
};

} // namespace cakupan
