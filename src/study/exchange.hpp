// What the study runner exchanges between processes. With MPI these are collective calls on
// MPI_COMM_WORLD (process_group.cpp); with one process they copy.
#pragma once

#include "cakupan/study/study_runner.hpp"

#include <cstdint>
#include <vector>

namespace cakupan::detail {

// Process 0 receives every process's (index, values) pairs, concatenated in rank order.
void gather_results(const ProcessGroup& group, const std::vector<std::uint64_t>& indices, const std::vector<double>& values,
                    std::vector<std::uint64_t>& all_indices, std::vector<double>& all_values);

// Every process receives process 0's bytes.
void broadcast_bytes(const ProcessGroup& group, std::vector<char>& bytes);

} // namespace cakupan::detail
