#include "cakupan/study/study_runner.hpp"

#include "cakupan/study/checkpoint.hpp"
#include "cakupan/common/error.hpp"
#include "exchange.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace cakupan {

Eigen::MatrixXd design_values(const Study& study, const sensitivity::Design& design) {
    const auto n = static_cast<Eigen::Index>(design.size()), d = static_cast<Eigen::Index>(design.dimension());
    Eigen::MatrixXd x(n, d);
    std::vector<double> u(static_cast<std::size_t>(d));
    for (Eigen::Index i = 0; i < n; ++i) {
        design.point(static_cast<std::size_t>(i), u);
        for (Eigen::Index k = 0; k < d; ++k)
            x(i, k) = study.parameters[static_cast<std::size_t>(k)].distribution.quantile(u[static_cast<std::size_t>(k)]);
    }
    return x;
}

StudyRun run_study(const Study& study, const sensitivity::Design& design, const StudyModel& model,
                   const StudyRunOptions& options, const ProcessGroup& group) {
    const std::size_t n = design.size(), m = model.output_names().size();
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    StudyRun run;
    run.x = design_values(study, design);

    // Process 0 owns the checkpoint: it reads what is done and tells the others.
    std::vector<char> done(n, 0);
    std::unique_ptr<CheckpointWriter> writer;
    std::exception_ptr failure;
    if (group.root()) {
        try {
            run.y.setZero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m));
            if (!options.checkpoint.empty()) {
                if (options.resume && std::filesystem::exists(options.checkpoint)) {
                    CheckpointContents c = read_checkpoint(options.checkpoint, options.identity, n, m);
                    done = std::move(c.done);
                    run.y = std::move(c.y);
                    writer = std::make_unique<CheckpointWriter>(options.checkpoint, options.identity, n, m, c.valid_bytes);
                } else {
                    writer = std::make_unique<CheckpointWriter>(options.checkpoint, options.identity, n, m);
                }
            }
        } catch (...) {
            failure = std::current_exception();
        }
    }
    group.check(failure);
    detail::broadcast_bytes(group, done);

    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < n; ++i)
        if (!done[i]) missing.push_back(i);
    run.resumed = n - missing.size();
    const std::size_t limit = options.stop_after > 0 ? std::min(options.stop_after, missing.size()) : missing.size();
    const std::size_t procs = static_cast<std::size_t>(group.size()), rank = static_cast<std::size_t>(group.rank());
    // Batches between checkpoint syncs: cheap points (test functions) grow them so that syncing does
    // not dominate; the size changes only where results are stored, never what they are.
    std::size_t batch = options.batch > 0 ? options.batch : std::max<std::size_t>(16, 4 * procs * static_cast<std::size_t>(threads));
    unsigned long long grow = 1; // process 0 decides, every process follows

    for (std::size_t start = 0; start < limit; start += batch) {
        if (grow != 0 && start > 0 && options.batch == 0) batch = std::min<std::size_t>(batch * 2, 65536);
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t count = std::min(batch, limit - start);
        // Process r takes every K-th point of the batch.
        std::vector<std::size_t> mine;
        for (std::size_t j = rank; j < count; j += procs) mine.push_back(missing[start + j]);
        std::vector<double> values(mine.size() * m);
        std::vector<std::exception_ptr> failures(mine.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (std::size_t j = 0; j < mine.size(); ++j) {
            try {
                const std::size_t i = mine[j];
                std::vector<double> x(run.x.cols());
                for (Eigen::Index k = 0; k < run.x.cols(); ++k) x[static_cast<std::size_t>(k)] = run.x(static_cast<Eigen::Index>(i), k);
                model.evaluate(i, x, std::span<double>(values.data() + j * m, m));
            } catch (...) { // nothing may leave a parallel region
                failures[j] = std::current_exception();
            }
        }
        failure = nullptr;
        for (std::size_t j = 0; j < mine.size() && !failure; ++j)
            if (failures[j]) {
                try {
                    std::rethrow_exception(failures[j]);
                } catch (const Error& e) {
                    failure = std::make_exception_ptr(Error("design point " + std::to_string(mine[j]) + ": " + e.what()));
                } catch (...) {
                    failure = failures[j];
                }
            }
        group.check(failure);

        std::vector<std::uint64_t> idx(mine.begin(), mine.end()), all_idx;
        std::vector<double> all_values;
        detail::gather_results(group, idx, values, all_idx, all_values);
        if (group.root()) {
            try {
                for (std::size_t j = 0; j < all_idx.size(); ++j) {
                    const auto row = static_cast<Eigen::Index>(all_idx[j]);
                    for (std::size_t k = 0; k < m; ++k) run.y(row, static_cast<Eigen::Index>(k)) = all_values[j * m + k];
                    if (writer) writer->append(all_idx[j], std::span<const double>(all_values.data() + j * m, m));
                }
                if (writer) writer->sync();
            } catch (...) {
                failure = std::current_exception();
            }
        }
        group.check(failure);
        std::vector<char> decision(1, std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500) ? 1 : 0);
        detail::broadcast_bytes(group, decision);
        grow = static_cast<unsigned long long>(decision[0]);
        run.evaluated += count;
        if (group.root() && options.progress) options.progress(run.resumed + run.evaluated, n);
    }
    run.complete = run.resumed + run.evaluated == n;
    return run;
}

} // namespace cakupan
