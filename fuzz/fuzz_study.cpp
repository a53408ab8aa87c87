// Any bytes as a sensitivity study file: load_study (which also builds the method's design) answers
// with the study or a cakupan::Error. The scenario it names is only checked to exist here.
#include "cakupan/common/error.hpp"
#include "cakupan/study/study.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = cakupan::fuzz::scratch().write("input.toml", data, size);
    try {
        (void)cakupan::load_study(path);
    } catch (const cakupan::Error&) {
    }
    return 0;
}
