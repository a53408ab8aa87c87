// The reproducibility contract: which random numbers a draw uses. A number depends on its address
// alone, never on a thread, a process or the order of work, so changing anything below changes
// every stochastic result (and the pinned files).
//
//   what                       Philox key                         counter (4 x 32 bits)
//   -------------------------  ---------------------------------  -------------------------------------
//   a flow of a variant        key(seed, stream_name_key(variant  draw | region | step << 20 | flow id |
//                              name))                             block
//   a model parameter's draw   key(seed, stream_name_key(         draw | low 32 bits of stream_name_key(
//                              "parameters"))                     parameter name) | 0 | block
//   sensitivity designs and    key(seed, stream_tag::...)         (see src/sensitivity/numbers.hpp)
//   the bootstrap
//   a calibration's Metropolis key(seed, stream_name_key(          chain | step (0: the chain's start) |
//   chain                      "calibration chains"))             0 | 1 at the start, else 0 | block
//   a posterior predictive     key(seed, stream_name_key(          kept draw | observation | 0 | 0 |
//   band's observation error   "calibration predictive"))         block
//
//   key(seed, v) = splitmix64(seed ^ splitmix64(v)), split into two 32-bit words (rng::Stream::key).
//   flow id (20 bits) = Flow << 16 | plan << 8 | segment: `plan` is the index of the funded cohort
//   or campaign within its kind in the variant (0 for flows every region has), `segment` the model
//   segment's index. step < 4096 (rng::Stream::kMaxStep). `block` counts Philox blocks within one
//   address (a rejection sampler may use several).
//
// Variants are keyed by their name, not their position, so adding or reordering variants leaves
// the draws of the others unchanged; parameters are keyed by (seed, draw, name) without the
// variant, so every variant sees the same draw of the world.
#pragma once

#include "engine/random.hpp"

#include <cstdint>
#include <string>

namespace cakupan::streams {

// FNV-1a, 64 bit, of a name (a variant's, "parameters", or a parameter's key), with offset
// 1469598103934665603: the standard basis (14695981039346656037) without its last digit. Not the
// standard hash, but every stochastic result depends on it, so it stays.
inline std::uint64_t stream_name_key(const std::string& name) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    return h;
}

// The flows that draw numbers, in the order of docs/model.md. The values are part of the contract.
enum Flow : std::uint64_t {
    kFundingEnd = 1,
    kJanuaryGap,
    kEnforceNever,
    kEnforceLapsed,
    kAgentsNever,
    kAgentsLapsed,
    kEnrolNever,   // voluntary enrolment and replacement from the never-covered
    kEnrolLapsed,  // the same from the lapsed
    kLapse,
    kCore,         // one Philox block shared by the two enrolments and lapse (inversion)
    kSelfLapse,    // self-paying members of budget-paid segments who stop paying
    kBudgetSplit,  // enrolments of a budget-paid segment: by its budget, or paying themselves
};

inline std::uint64_t flow_id(Flow f, std::size_t plan, std::size_t segment) {
    return (static_cast<std::uint64_t>(f) << 16) | (static_cast<std::uint64_t>(plan) << 8) | segment;
}

// The Philox key of a variant's flows, computed once per draw.
inline std::uint64_t variant_key(std::uint64_t seed, const std::string& variant) {
    return rng::Stream::key(seed, stream_name_key(variant));
}

// The stream of one flow at one (draw, region, step).
inline rng::Stream flow_stream(std::uint64_t variant_key, std::uint64_t draw, std::uint64_t region, std::uint64_t step,
                               std::uint64_t flow) {
    return rng::Stream(variant_key, draw, region, step, flow);
}

// The Philox key of the parameter draws (the same for every variant).
inline std::uint64_t parameters_key(std::uint64_t seed) { return rng::Stream::key(seed, stream_name_key("parameters")); }

// The stream of one parameter's value in one draw.
inline rng::Stream parameter_stream(std::uint64_t parameters_key, std::uint64_t draw, const std::string& name) {
    return rng::Stream(parameters_key, draw, stream_name_key(name) & 0xffffffffu, 0, 0);
}

// The Philox keys of a calibration (src/calibrate/): its Metropolis chains and the observation
// errors of its posterior predictive bands.
inline std::uint64_t calibration_chains_key(std::uint64_t seed) {
    return rng::Stream::key(seed, stream_name_key("calibration chains"));
}
inline std::uint64_t calibration_predictive_key(std::uint64_t seed) {
    return rng::Stream::key(seed, stream_name_key("calibration predictive"));
}

} // namespace cakupan::streams
