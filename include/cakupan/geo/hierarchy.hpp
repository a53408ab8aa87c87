// Kemendagri codes nest by prefix: village 19.01.01.2001 -> kecamatan 19.01.01 -> kab/kota 19.01
// -> province 19. Parents are found from the code alone, so any two layers can be linked. The free
// functions below are for codes known to be Kemendagri codes; a layer's own codes go through its
// CodeStructure (code_structure.hpp), which also knows other coding systems.
#pragma once

#include "cakupan/geo/code_structure.hpp"
#include "cakupan/common/diagnostics.hpp"

#include <Eigen/Core>

#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// 1 province, 2 kab/kota, 3 kecamatan, 4 village (the number of dot-separated segments).
int admin_level(std::string_view code);
std::string admin_level_name(int level); // "province", "kab/kota", "kecamatan", "village"

// Whether `code` lies strictly below `ancestor` ("19.05.01.2001" is within "19.05", "19.05" is not).
bool is_within(std::string_view code, std::string_view ancestor);

// The code one level up ("" for a province).
std::string parent_code(std::string_view code);

// The ancestor of `code` at `level` (<= its own level), e.g. ancestor("19.01.01.2001", 2) = "19.01".
std::string ancestor_code(std::string_view code, int level);

// For each child, the index of its ancestor among `parents` (all at one level of `codes`); -1 and
// an error for children whose ancestor is missing.
std::vector<std::ptrdiff_t> link_to_parents(const std::vector<std::string>& children,
                                            const std::vector<std::string>& parents, Diagnostics& diagnostics,
                                            const std::string& where, const CodeStructure& codes = CodeStructure());

// Sums the rows of `values` (children x k) into parents x k.
Eigen::ArrayXXd aggregate(const Eigen::ArrayXXd& values, const std::vector<std::ptrdiff_t>& parent_of,
                          std::size_t parent_count);

} // namespace cakupan
