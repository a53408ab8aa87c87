// Any bytes as a statistics table: read_statistics answers with the table (problems listed in the
// diagnostics) or a cakupan::Error. Input that starts like a zip archive is written as .xlsx (the
// seed stats_good.xlsx), everything else as .csv; both go through GDAL as in `cakupan run`.
#include "cakupan/error.hpp"
#include "cakupan/statistics.hpp"
#include "fuzz_support.hpp"

#include <cpl_error.h>

#include <cstring>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    CPLSetErrorHandler(CPLQuietErrorHandler); // GDAL's warnings about malformed files would flood the log
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bool zip = size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0;
    const auto path = cakupan::fuzz::scratch().write(zip ? "input.xlsx" : "input.csv", data, size);
    try {
        cakupan::Diagnostics diagnostics;
        (void)cakupan::read_statistics({path, "", ""}, diagnostics);
    } catch (const cakupan::Error&) {
    }
    return 0;
}
