// Any bytes as a GAL file: parse_gal answers with the weights or a cakupan::Error. Weights it accepts
// must survive the round trip: to_gal writes them, parse_gal reads back the same layer, id field, ids
// and neighbours, and writing those again gives the same text. A difference aborts (a finding).
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/error.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

bool same(const cakupan::GalWeights& a, const cakupan::GalWeights& b) {
    return a.layer == b.layer && a.id_field == b.id_field && a.ids == b.ids && a.adjacency.offsets == b.adjacency.offsets &&
           a.adjacency.neighbours == b.adjacency.neighbours;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cakupan::GalWeights read;
    try {
        read = cakupan::parse_gal(text, "input.gal");
    } catch (const cakupan::Error&) {
        return 0;
    }
    const std::string written = cakupan::to_gal(read.adjacency, read.ids, read.layer, read.id_field);
    cakupan::GalWeights again;
    try {
        again = cakupan::parse_gal(written, "written.gal");
    } catch (const cakupan::Error& e) {
        std::fprintf(stderr, "GAL round trip: the written file does not read back: %s\n", e.what());
        std::abort();
    }
    if (!same(read, again) || cakupan::to_gal(again.adjacency, again.ids, again.layer, again.id_field) != written) {
        std::fprintf(stderr, "GAL round trip: the weights read back differ from those written\n");
        std::abort();
    }
    return 0;
}
