// Options shared by every command that reads a boundary layer.
#pragma once

#include "cakupan/geo/boundaries.hpp"
#include "command.hpp"

namespace cakupan::cli {

// --layer, --id-field, --name-field, --crs, --within, --encoding and how the codes nest (--code-levels, ...)
void add_boundary_options(po::options_description& options);
// --encoding alone (commands that read a file but not as boundaries), and its checked value.
void add_encoding_option(po::options_description& options);
std::string encoding_option(const po::variables_map& vm);
BoundaryOptions boundary_options(const std::string& path, const po::variables_map& vm);

// --code-levels, --code-separator, --parent-field, --code-structure, --level-names: how the codes
// of the layer nest; code_spec() checks them (UsageError) and allows one way of nesting.
void add_code_options(po::options_description& options);
CodeSpec code_spec(const po::variables_map& vm);

} // namespace cakupan::cli
