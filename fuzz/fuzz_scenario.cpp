// Any bytes as a scenario file: load_scenario answers with the scenario or a cakupan::Error. The
// model it names is read too (models/ and tests/data/models/ are reachable as from tests/data/scenarios).
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = cakupan::fuzz::scratch().write("input.toml", data, size);
    try {
        cakupan::Diagnostics notes;
        (void)cakupan::load_scenario(path, notes);
    } catch (const cakupan::Error&) {
    }
    return 0;
}
