// Any bytes as a statistics table: read_statistics answers with the table (problems listed in the
// diagnostics) or a cakupan::Error; a table read without errors is then joined to the Babel kab/kota
// layer (the regions of the seeds), which must also answer with the join or a cakupan::Error. Input
// that starts like a zip archive is written as .xlsx (the seed stats_good.xlsx), everything else
// as .csv; both go through GDAL as in `cakupan run`.
#include "cakupan/geo/boundaries.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/io/statistics.hpp"
#include "fuzz_support.hpp"

#include <cpl_error.h>

#include <cstring>

namespace {

const cakupan::RegionTable& babel_kabkota() {
    static const cakupan::RegionTable regions = [] {
        cakupan::BoundaryOptions options;
        options.path = std::string(CAKUPAN_SOURCE_DIR) + "/geodata/boundaries/babel_19.gpkg";
        options.layer = "kabkota";
        cakupan::Diagnostics notes;
        return cakupan::read_boundaries(options, notes);
    }();
    return regions;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    CPLSetErrorHandler(CPLQuietErrorHandler); // GDAL's warnings about malformed files would flood the log
    (void)babel_kabkota();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bool zip = size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0;
    const auto path = cakupan::fuzz::scratch().write(zip ? "input.xlsx" : "input.csv", data, size);
    try {
        cakupan::Diagnostics diagnostics;
        const auto table = cakupan::read_statistics({path, "", ""}, diagnostics);
        if (!diagnostics.has_errors()) (void)cakupan::join_statistics(babel_kabkota(), table, diagnostics);
    } catch (const cakupan::Error&) {
    }
    return 0;
}
