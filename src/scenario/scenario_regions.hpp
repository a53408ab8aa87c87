// The regions side of a scenario file: the [data] keys that declare how region codes nest.
// Private: needs toml++.
#pragma once

#include "cakupan/geo/code_structure.hpp"
#include "io/toml_support.hpp"

#include <vector>

namespace cakupan {

// The keys of [data] that declare a code structure (with data.check_keys they are allowed).
const std::vector<std::string>& code_structure_keys();

// code_structure, code_levels, code_separator, parent and level_names of [data], checked:
// at most one way of nesting, lengths increasing, names distinct. ScenarioError at the key.
CodeSpec read_code_spec(const TomlFile& file, const toml::table& data);

} // namespace cakupan
