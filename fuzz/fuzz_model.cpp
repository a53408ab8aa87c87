// Any bytes as a model file (models/*.toml): load_model answers with the model or a cakupan::Error.
// Any other exception, a crash, a sanitizer report or a hang is a finding.
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/model.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = cakupan::fuzz::scratch().write("input.toml", data, size);
    try {
        (void)cakupan::load_model(path);
    } catch (const cakupan::Error&) {
    }
    return 0;
}
