// One thread count for every parallel step of a command (reading, contiguity, the engine, maps,
// studies): --threads, else OpenMP's default (OMP_NUM_THREADS, or the number of cores).
#pragma once

namespace cakupan::cli {

// More threads than this buys nothing on any machine we know and only risks the system's thread
// limit; beyond it a count is a typo.
inline constexpr int kMaxThreads = 1024;

// `requested` is --threads (0 = the default). Throws UsageError for a count below 0 or above
// kMaxThreads, naming where the count came from; returns the count in use.
int resolve_thread_count(int requested);

// Makes `threads` the count of every OpenMP parallel region of this process.
void use_threads(int threads);

} // namespace cakupan::cli
