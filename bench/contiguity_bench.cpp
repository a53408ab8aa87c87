// Kernel benchmarks: build_contiguity (queen exact, queen snapped 300 m, rook exact) on a layer
// read once outside the timed loop, and read_boundaries itself, each on 1 and 2 OpenMP threads.
//
//   CAKUPAN_BENCH_LAYER       boundary file (default: the bundled babel_19.gpkg)
//   CAKUPAN_BENCH_LAYER_NAME  layer of that file (default: kabkota for the bundled file, else the only layer)
//   CAKUPAN_BENCH_THREADS     thread counts, comma-separated (default: 1,2)
//
// Times are wall-clock (UseRealTime); CPU time is that of the whole process (all OpenMP threads).
// bench/run.sh runs this on the national village layer; see docs/performance.md.

#include "cakupan/geo/boundaries.hpp"
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/diagnostics.hpp"

#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

cakupan::BoundaryOptions bench_layer() {
    cakupan::BoundaryOptions o;
    const char* path = std::getenv("CAKUPAN_BENCH_LAYER");
    if (path && *path) {
        o.path = path;
        o.layer = env_or("CAKUPAN_BENCH_LAYER_NAME", "");
    } else {
        o.path = CAKUPAN_BENCH_DEFAULT_LAYER;
        o.layer = env_or("CAKUPAN_BENCH_LAYER_NAME", CAKUPAN_BENCH_DEFAULT_LAYER_NAME);
    }
    return o;
}

std::vector<int> bench_threads() {
    std::vector<int> out;
    std::stringstream in(env_or("CAKUPAN_BENCH_THREADS", "1,2"));
    for (std::string item; std::getline(in, item, ',');)
        if (const int t = std::atoi(item.c_str()); t > 0) out.push_back(t);
    if (out.empty()) out = {1, 2};
    return out;
}

// The layer, read once (the first benchmark that needs it pays, outside its timed loop).
const cakupan::RegionTable& table() {
    static const cakupan::RegionTable t = [] {
        cakupan::Diagnostics notes;
        return cakupan::read_boundaries(bench_layer(), notes);
    }();
    return t;
}

void set_counters(benchmark::State& state, const cakupan::RegionTable& t) {
    state.counters["regions"] = static_cast<double>(t.size());
    state.counters["vertices"] = static_cast<double>(t.shapes.vertex_count());
    // regions/s: throughput comparable across layers of different size
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(t.size()));
}

void bm_read_boundaries(benchmark::State& state) {
    omp_set_num_threads(static_cast<int>(state.range(0)));
    const cakupan::BoundaryOptions options = bench_layer();
    std::size_t regions = 0;
    for (auto _ : state) {
        cakupan::Diagnostics notes;
        const cakupan::RegionTable t = cakupan::read_boundaries(options, notes);
        regions = t.size();
        benchmark::DoNotOptimize(t.shapes.x.data());
    }
    state.counters["regions"] = static_cast<double>(regions);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(regions));
}

void bm_contiguity(benchmark::State& state, cakupan::ContiguityOptions options) {
    const cakupan::RegionTable& t = table(); // outside the timed loop
    omp_set_num_threads(static_cast<int>(state.range(0)));
    cakupan::Adjacency adj;
    for (auto _ : state) {
        adj = cakupan::build_contiguity(t.shapes, options);
        benchmark::DoNotOptimize(adj.neighbours.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, t);
    state.counters["pairs"] = static_cast<double>(adj.link_count() / 2);
    state.counters["islands"] = static_cast<double>(adj.islands().size());
}

} // namespace

int main(int argc, char** argv) {
    using cakupan::ContiguityRule;
    const auto layer = bench_layer();
    benchmark::AddCustomContext("cakupan_layer", layer.path + (layer.layer.empty() ? "" : " (layer " + layer.layer + ")"));
    benchmark::AddCustomContext("omp_max_threads", std::to_string(omp_get_max_threads()));

    struct Case {
        const char* name;
        cakupan::ContiguityOptions options;
    };
    const Case cases[] = {
        {"contiguity/queen_exact", {ContiguityRule::queen, 0.0}},
        {"contiguity/queen_snap300", {ContiguityRule::queen, 300.0}},
        {"contiguity/rook_exact", {ContiguityRule::rook, 0.0}},
    };
    const auto threads = bench_threads();
    for (const auto& c : cases) {
        auto* b = benchmark::RegisterBenchmark(c.name, bm_contiguity, c.options);
        for (int t : threads) b->Arg(t);
        b->ArgName("threads")->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);
    }
    auto* b = benchmark::RegisterBenchmark("read_boundaries", bm_read_boundaries);
    for (int t : threads) b->Arg(t);
    b->ArgName("threads")->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    try {
        benchmark::RunSpecifiedBenchmarks();
    } catch (const std::exception& e) {
        std::cerr << "cakupan_bench: " << e.what() << '\n';
        return 1;
    }
    benchmark::Shutdown();
    return 0;
}
