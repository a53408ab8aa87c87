// Contiguity between regions (which regions touch), for spill-over weights and GAL files.
#pragma once

#include "cakupan/geo/shapes.hpp"

#include <Eigen/SparseCore>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cakupan {

enum class ContiguityRule {
    queen, // regions touch at least at one point
    rook,  // regions share a stretch of boundary (an edge)
};

struct ContiguityOptions {
    ContiguityRule rule = ContiguityRule::queen;
    // Boundaries closer than this many metres count as touching. 0 = exact: a vertex of one region
    // must lie on the boundary of the other. Layers simplified polygon by polygon need a few hundred
    // metres, since neighbours no longer share vertices.
    double snap_metres = 0.0;
};

// Symmetric neighbour lists in compressed form: neighbours of i are
// neighbours[offsets[i] .. offsets[i+1]), sorted by index.
struct Adjacency {
    std::vector<std::size_t> offsets;
    std::vector<std::uint32_t> neighbours;

    std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::span<const std::uint32_t> of(std::size_t i) const {
        return {neighbours.data() + offsets[i], offsets[i + 1] - offsets[i]};
    }
    std::size_t link_count() const { return neighbours.size(); } // each pair counted twice
    std::vector<std::size_t> islands() const;                    // regions with no neighbour
    // Row-standardised weights W (rows sum to 1; islands have an empty row).
    Eigen::SparseMatrix<double, Eigen::RowMajor> row_standardised() const;
};

Adjacency build_contiguity(const ShapeSet& shapes, const ContiguityOptions& options);

// GAL text as GeoDa and PySAL read it: a header "0 N layer id_field", then per region
// "id k" and a line with the ids of its k neighbours. Tokens are separated by whitespace, so an
// empty id or one holding whitespace throws InputError (it could not be read back); whitespace in
// the layer or field name of the header becomes '_'.
std::string to_gal(const Adjacency& adjacency, const std::vector<std::string>& ids, const std::string& layer,
                   const std::string& id_field);

// A GAL file read back (src/geo/gal.cpp): what to_gal wrote, neighbours sorted by region index.
struct GalWeights {
    std::string layer;
    std::string id_field;
    std::vector<std::string> ids; // in file order
    Adjacency adjacency;
};

// Reads GAL text in the form to_gal writes (ids are whitespace-free tokens). Anything else throws
// InputError naming source:line:column: a bad header or count, a missing or extra line, an unknown,
// repeated or self neighbour, a region listed twice, or a link that only one of its ends lists.
GalWeights parse_gal(const std::string& text, const std::string& source);

} // namespace cakupan
