// Options shared by every command that reads a boundary layer.
#pragma once

#include "cakupan/boundaries.hpp"
#include "command.hpp"

namespace cakupan::cli {

// --layer, --id-field, --name-field, --crs
void add_boundary_options(po::options_description& options);
BoundaryOptions boundary_options(const std::string& path, const po::variables_map& vm);

} // namespace cakupan::cli
