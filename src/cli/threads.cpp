#include "threads.hpp"

#include "cakupan/common/error.hpp"

#include <cstdlib>
#include <string>

#include <omp.h>

namespace cakupan::cli {

int resolve_thread_count(int requested) {
    if (requested < 0) throw UsageError("--threads: must be 0 (all cores) or more");
    if (requested > kMaxThreads)
        throw UsageError("--threads: " + std::to_string(requested) + " is more than " + std::to_string(kMaxThreads) + " threads");
    if (requested > 0) return requested;
    const int fallback = omp_get_max_threads();
    if (fallback > kMaxThreads) {
        const char* env = std::getenv("OMP_NUM_THREADS");
        throw UsageError(std::string("OMP_NUM_THREADS=") + (env ? env : std::to_string(fallback)) + ": more than " +
                         std::to_string(kMaxThreads) + " threads; set it lower or pass --threads N");
    }
    return fallback;
}

void use_threads(int threads) { omp_set_num_threads(threads); }

} // namespace cakupan::cli
