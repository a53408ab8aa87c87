// Running the plans: draws in blocks over threads, reduced in draw order into means, percentiles
// and probabilities (the same result for any thread count), and one draw's whole state (trace).
#include "engine/plan.hpp"

#include "cakupan/common/error.hpp"
#include "engine/quantile_sketch.hpp"

#include <omp.h>

#include <algorithm>
#include <exception>
#include <numeric>

namespace cakupan {

Trajectory Engine::trace(std::size_t variant, std::uint64_t draw, Mode mode, std::uint64_t seed, bool vary) const {
    if (variant >= plans_.size()) throw Error("trace: no variant " + std::to_string(variant));
    Trajectory t;
    DrawBuffers b;
    simulate(plans_[variant], *data_, calendar_, draw, mode, seed, vary, b, &t);
    return t;
}

RunResult Engine::run(const RunOptions& options) const {
    RunResult out;
    out.calendar = calendar_;
    out.mode = options.mode;
    out.draws = options.mode == Mode::expected ? 1 : options.draws;
    out.seed = options.seed;
    out.vary_parameters = options.mode == Mode::stochastic && options.vary_parameters;
    out.target = targets_;
    out.overall_target = overall_target_;
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    const auto R = static_cast<Eigen::Index>(region_count());
    const std::size_t steps = calendar_.steps();
    const auto cols = static_cast<Eigen::Index>(steps + 1);
    const int draws = out.draws;
    // Draws run in blocks, then reduce in draw order: the result is the same for any thread count
    // and any block size. Blocks as large as ~512 MB of draw buffers allow (at least one draw,
    // at most 256) keep the threads busy between reductions; where that holds two draws per
    // thread, a multiple of the thread count leaves no thread idle at the end of a block. Memory,
    // not the thread count, bounds the block: 1,000 threads on a big layer must not ask for
    // 2,000 buffers.
    const double bytes_per_draw =
        8.0 * static_cast<double>(R) * static_cast<double>(cols + 2 * kLeverCount + 8 * data_->workers.cols() + 2);
    int block = static_cast<int>(std::clamp(512e6 / bytes_per_draw, 1.0, 256.0));
    if (block >= 2 * threads) block -= block % threads;
    const std::size_t total_work = plans_.size() * static_cast<std::size_t>(draws);
    std::size_t done = 0;

    for (std::size_t v = 0; v < plans_.size(); ++v) {
        const Plan& plan = plans_[v];
        VariantResult res;
        res.name = plan.name;
        res.description = plan.description;
        res.intervention_names = plan.names;
        // Percentiles per region at every report date, or at the end only (first_q = cols - 1),
        // which is all that the summary and the region layers need.
        const Eigen::Index first_q = options.region_series ? 0 : cols - 1;
        const Eigen::Index nq = cols - first_q;
        std::vector<QuantileSketch> sketches(static_cast<std::size_t>(R * nq));
        Eigen::ArrayXXd cov_sum = Eigen::ArrayXXd::Zero(R, cols);
        Eigen::ArrayXd met = Eigen::ArrayXd::Zero(R);
        std::vector<std::vector<double>> overall(static_cast<std::size_t>(cols));
        res.lever_mean = Eigen::ArrayXXd::Zero(R, kLeverCount);
        res.lever_step_mean = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), kLeverCount);
        res.spend_mean = Eigen::ArrayXd::Zero(R);
        res.intervention_spend_mean.assign(plan.names.size(), 0.0);
        const auto n_iv = static_cast<Eigen::Index>(plan.names.size());
        res.intervention_funders = plan.funders;
        res.intervention_step_cost_mean = Eigen::ArrayXXd::Zero(static_cast<Eigen::Index>(steps), n_iv);
        res.exhaustion.assign(plan.names.size(), Exhaustion{});
        // per intervention and step: draws whose pool ran out in that step
        Eigen::ArrayXXi exhausted = Eigen::ArrayXXi::Zero(static_cast<Eigen::Index>(steps), n_iv);
        std::vector<DrawBuffers> buffers(static_cast<std::size_t>(block));
        std::vector<std::exception_ptr> failures(static_cast<std::size_t>(block));

        for (int first = 0; first < draws; first += block) {
            const int count = std::min(block, draws - first);
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::min(threads, count))
            for (int j = 0; j < count; ++j) {
                try {
                    simulate(plan, *data_, calendar_, static_cast<std::uint64_t>(first + j), options.mode, options.seed,
                             options.vary_parameters, buffers[static_cast<std::size_t>(j)], nullptr);
                } catch (...) { // nothing may leave a parallel region
                    failures[static_cast<std::size_t>(j)] = std::current_exception();
                }
            }
            for (int j = 0; j < count; ++j)
                if (failures[static_cast<std::size_t>(j)]) std::rethrow_exception(failures[static_cast<std::size_t>(j)]);
#pragma omp parallel for schedule(static) num_threads(threads)
            for (Eigen::Index r = 0; r < R; ++r)
                for (int j = 0; j < count; ++j) {
                    const auto& b = buffers[static_cast<std::size_t>(j)];
                    for (Eigen::Index k = 0; k < cols; ++k) cov_sum(r, k) += b.coverage(r, k);
                    for (Eigen::Index k = first_q; k < cols; ++k)
                        sketches[static_cast<std::size_t>(r * nq + k - first_q)].add(b.coverage(r, k));
                    if (b.coverage(r, cols - 1) >= targets_[r] - 1e-12) met[r] += 1;
                    res.lever_mean.row(r) += b.levers.row(r);
                    res.spend_mean[r] += b.spend[r];
                }
            for (int j = 0; j < count; ++j) {
                const auto& b = buffers[static_cast<std::size_t>(j)];
                for (Eigen::Index k = 0; k < cols; ++k) overall[static_cast<std::size_t>(k)].push_back(b.overall[k]);
                res.lever_step_mean += b.lever_steps;
                for (std::size_t i = 0; i < plan.names.size(); ++i) {
                    res.intervention_spend_mean[i] += b.intervention_spend[i];
                    res.exhaustion[i].budget += b.budget[i];
                    res.exhaustion[i].unspent += b.unspent[i];
                    if (b.exhausted_step[i] >= 0) exhausted(b.exhausted_step[i], static_cast<Eigen::Index>(i)) += 1;
                }
                res.intervention_step_cost_mean += b.intervention_cost;
            }
            done += static_cast<std::size_t>(count);
            if (options.progress) options.progress(static_cast<double>(done) / static_cast<double>(total_work));
        }

        const double d = draws;
        res.mean = cov_sum / d;
        res.p5.setConstant(R, cols, NAN), res.p50.setConstant(R, cols, NAN), res.p95.setConstant(R, cols, NAN);
        for (Eigen::Index r = 0; r < R; ++r)
            for (Eigen::Index k = first_q; k < cols; ++k) {
                const auto& sk = sketches[static_cast<std::size_t>(r * nq + k - first_q)];
                res.p5(r, k) = sk.quantile(0), res.p50(r, k) = sk.quantile(1), res.p95(r, k) = sk.quantile(2);
            }
        res.region_probability = met / d;
        res.lever_mean /= d;
        res.lever_step_mean /= d;
        res.spend_mean /= d;
        for (auto& x : res.intervention_spend_mean) x /= d;
        res.intervention_step_cost_mean /= d;
        res.intervention_cost_mean.assign(plan.names.size(), 0.0);
        for (std::size_t i = 0; i < plan.names.size(); ++i) {
            const auto col = static_cast<Eigen::Index>(i);
            res.intervention_cost_mean[i] = res.intervention_step_cost_mean.col(col).sum();
            res.funder_spend_mean[static_cast<std::size_t>(plan.funders[i])] += res.intervention_cost_mean[i];
            auto& e = res.exhaustion[i];
            e.budget /= d;
            e.unspent /= d;
            e.share_of_draws = exhausted.col(col).sum() / d;
            // The first step by which the pool had run out in at least half the draws.
            for (Eigen::Index k = 0, seen = 0; k < exhausted.rows() && e.step < 0; ++k)
                if (2 * (seen += exhausted(k, col)) >= draws) e.step = static_cast<int>(k);
        }
        res.overall_mean.resize(cols), res.overall_p5.resize(cols), res.overall_p50.resize(cols), res.overall_p95.resize(cols);
        for (Eigen::Index k = 0; k < cols; ++k) {
            auto values = overall[static_cast<std::size_t>(k)];
            res.overall_mean[k] = std::accumulate(values.begin(), values.end(), 0.0) / d;
            std::sort(values.begin(), values.end());
            const int n = static_cast<int>(values.size());
            res.overall_p5[k] = sorted_quantile(values.data(), n, 0.05);
            res.overall_p50[k] = sorted_quantile(values.data(), n, 0.5);
            res.overall_p95[k] = sorted_quantile(values.data(), n, 0.95);
        }
        res.overall_end = overall.back();
        res.overall_probability = static_cast<double>(std::count_if(res.overall_end.begin(), res.overall_end.end(),
                                                                    [&](double x) { return x >= overall_target_ - 1e-12; })) /
                                  d;
        res.workers = data_->workers.rowwise().sum();
        res.workers_total = res.workers.sum();
        out.variants.push_back(std::move(res));
    }
    return out;
}

} // namespace cakupan
