// Simplification of a layer for display that keeps shared boundaries shared: neighbours still
// meet along exactly the same vertices, so no slivers or gaps open between them.
#pragma once

#include "cakupan/geo/shapes.hpp"

#include <cstddef>

namespace cakupan {

struct SimplifyStats {
    std::size_t vertices_before = 0, vertices_after = 0;
    std::size_t rings_dropped = 0; // rings that collapsed below the tolerance (specks of islands)
};

// Douglas-Peucker on the arcs of the layer rather than on each ring: a vertex where three or more
// boundary lines meet (or where a region's boundary leaves a neighbour's) is a node and is kept;
// the chain of vertices between two nodes is simplified once, in one canonical direction, so every
// ring that runs along it gets the same vertices. Points are matched exactly (the layer's regions
// must share vertex coordinates along common borders, as layers cut from one source do).
// `tolerance` is in the units of the coordinates (planar: half a pixel at the print scale). A ring
// that collapses to fewer than three points is dropped, and a part with it when it is the shell;
// a region that would lose every part keeps its original geometry. Deterministic: the output
// depends on the input alone.
ShapeSet simplify_shared(const ShapeSet& shapes, double tolerance, SimplifyStats* stats = nullptr);

// Signed area of ring `ring` (shoelace; counter-clockwise positive), in squared coordinate units.
double ring_area(const ShapeSet& shapes, std::size_t ring);

} // namespace cakupan
