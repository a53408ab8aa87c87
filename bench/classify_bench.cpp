// Classification kernels on 100,000 coverage-like shares (lognormal around 25 %, capped at 1,
// fixed seed): exact natural breaks into 5 classes (the target: under 100 ms), the same
// through classify() (sorting and counting included), quantiles for comparison, and the plain
// O(k n^2) programme on 5,000 values against the fast one on the same values. Wall and
// process CPU time are both reported: on a shared machine the CPU time is the steadier figure.
// See docs/performance.md ("Natural breaks").

#include "cakupan/render/classify.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

std::vector<double> coverage_shares(std::size_t n) {
    std::mt19937_64 rng(20250601);
    std::lognormal_distribution<double> dist(std::log(0.25), 0.5);
    std::vector<double> v(n);
    for (auto& x : v) x = std::min(1.0, dist(rng));
    return v;
}

void natural_breaks_sorted(benchmark::State& state) {
    auto v = coverage_shares(static_cast<std::size_t>(state.range(0)));
    std::sort(v.begin(), v.end());
    const int k = static_cast<int>(state.range(1));
    for (auto _ : state) benchmark::DoNotOptimize(cakupan::natural_breaks(v, k));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The plain O(k n^2) programme, the textbook Fisher-Jenks algorithm that the usual Python
// libraries implement: the in-run baseline (at sizes it can finish).
void natural_breaks_reference(benchmark::State& state) {
    auto v = coverage_shares(static_cast<std::size_t>(state.range(0)));
    std::sort(v.begin(), v.end());
    const int k = static_cast<int>(state.range(1));
    for (auto _ : state) benchmark::DoNotOptimize(cakupan::natural_breaks_reference(v, k));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void classify_scheme(benchmark::State& state, cakupan::Scheme scheme) {
    const auto v = coverage_shares(static_cast<std::size_t>(state.range(0)));
    const int k = static_cast<int>(state.range(1));
    for (auto _ : state) benchmark::DoNotOptimize(cakupan::classify(v, scheme, k));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

} // namespace

BENCHMARK(natural_breaks_sorted)->Args({100000, 5})->Args({100000, 9})->Args({5000, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(natural_breaks_reference)->Args({5000, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(classify_scheme, natural, cakupan::Scheme::natural_breaks)->Args({100000, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(classify_scheme, quantile, cakupan::Scheme::quantile)->Args({100000, 5})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

BENCHMARK_MAIN();
