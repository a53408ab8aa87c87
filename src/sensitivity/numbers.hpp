// Small helpers shared by the sensitivity sources: number formatting for messages, checks of the
// outputs an estimator receives, and the Philox stream tags of the designs and the bootstrap.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>

namespace cakupan::sensitivity {

// Shortest round-trip-free rendering for messages: up to 6 significant digits, "inf", "nan".
std::string format_number(double x);

// Throws std::invalid_argument unless y has `expected` rows and every value is finite.
void check_outputs(const Eigen::Ref<const Eigen::MatrixXd>& y, std::size_t expected, const char* method);

// Stream "variants" (rng::Stream's second key) of each use, so that no two share numbers.
namespace stream_tag {
inline constexpr std::uint64_t lhs_permutation = 0x5e45'0001;
inline constexpr std::uint64_t lhs_jitter = 0x5e45'0002;
inline constexpr std::uint64_t morris = 0x5e45'0003;
inline constexpr std::uint64_t bootstrap = 0x5e45'0004;
} // namespace stream_tag

} // namespace cakupan::sensitivity

#include <span>

namespace cakupan::sensitivity {
// Throws std::invalid_argument unless i < size and u has room for `dimension` coordinates.
void check_point_index(std::size_t i, std::size_t size, std::span<double> u, std::size_t dimension);
} // namespace cakupan::sensitivity
