// A parallel loop over independent indices for the estimators: each index writes only its own
// result, so the results do not depend on the thread count. Exceptions never leave the OpenMP
// region: the first one (by index) is rethrown after the loop.
#pragma once

#include <cstddef>
#include <exception>
#include <vector>

namespace cakupan::sensitivity {

template <class F> void for_each_index(std::size_t n, F&& f) {
    std::vector<std::exception_ptr> errors(n);
    const auto count = static_cast<long long>(n);
#pragma omp parallel for schedule(dynamic)
    for (long long i = 0; i < count; ++i) {
        try {
            f(static_cast<std::size_t>(i));
        } catch (...) {
            errors[static_cast<std::size_t>(i)] = std::current_exception();
        }
    }
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace cakupan::sensitivity
