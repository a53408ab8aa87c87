// One in-process evaluation of a loaded scenario, as calibration and planning make thousands of:
// Babel kab/kota (7 regions, 7 monthly steps) in expected mode, and 100 stochastic draws on one
// thread for scale. Loading is outside the timed loop.
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/engine/simulation.hpp"

#include <benchmark/benchmark.h>

namespace {

const cakupan::Simulation& babel() {
    static const cakupan::Simulation sim = [] {
        cakupan::Diagnostics notes;
        return cakupan::Simulation::load(CAKUPAN_BENCH_SCENARIO, notes);
    }();
    return sim;
}

void BM_EvaluateExpected(benchmark::State& state) {
    const auto& sim = babel();
    cakupan::Settings s;
    s.variant = "combined";
    s.parameters = {{"lapse.informal", 0.03}};
    for (auto _ : state) benchmark::DoNotOptimize(sim.evaluate(s, 1));
}
BENCHMARK(BM_EvaluateExpected)->Unit(benchmark::kMicrosecond);

void BM_Evaluate100Draws(benchmark::State& state) {
    const auto& sim = babel();
    cakupan::Settings s;
    s.variant = "combined";
    s.mode = cakupan::Mode::stochastic;
    s.draws = 100;
    for (auto _ : state) benchmark::DoNotOptimize(sim.evaluate(s, 1));
}
BENCHMARK(BM_Evaluate100Draws)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
