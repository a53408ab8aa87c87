#include "calibrate/calibration_fit.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/sensitivity/design.hpp"
#include "engine/portable_math.hpp"
#include "engine/stream_keys.hpp"
#include "study/exchange.hpp"

#include <Eigen/Cholesky>
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

namespace cakupan::calibration {

std::vector<double> Space::to_values(const std::vector<double>& u) const {
    std::vector<double> x(u.size());
    for (std::size_t j = 0; j < u.size(); ++j) {
        const auto& p = parameters[j];
        x[j] = p.prior != Prior::log_uniform
                   ? p.low + u[j] * (p.high - p.low)
                   : portable::exp(portable::log(p.low) + u[j] * (portable::log(p.high) - portable::log(p.low)));
    }
    return x;
}

Predictor::Predictor(const Simulation& sim, std::string variant, std::vector<std::string> keys, std::vector<Target> targets,
                     ObservationModel observation)
    : sim_(sim), variant_(std::move(variant)), keys_(std::move(keys)), targets_(std::move(targets)),
      observation_(std::move(observation)) {}

Trajectory Predictor::trace(const std::vector<double>& x) const {
    Settings s;
    s.variant = variant_;
    for (std::size_t j = 0; j < keys_.size(); ++j)
        if (keys_[j].rfind("observation.", 0) != 0) s.parameters.emplace_back(keys_[j], x[j]);
    s.mode = Mode::expected;
    return sim_.trace(s, 1);
}

ObservedState Predictor::state(const Trajectory& t, std::size_t k, const std::vector<double>& x) const {
    return ObservedState(observation_, sim_.workers(), t.never[k], t.active[k], t.funded[k], t.lapsed[k], x);
}

std::vector<double> Predictor::predict(const std::vector<double>& x) const {
    const Trajectory t = trace(x);
    std::vector<std::optional<ObservedState>> states(t.active.size());
    std::vector<double> out;
    out.reserve(targets_.size());
    for (const Target& tg : targets_) {
        auto& st = states[tg.step];
        if (!st) st.emplace(state(t, tg.step, x));
        out.push_back(st->value(tg.measure, tg.regions));
    }
    return out;
}

std::vector<std::vector<double>> Predictor::paths(const std::vector<double>& x, const std::vector<Target>& series) const {
    const Trajectory t = trace(x);
    std::vector<std::vector<double>> out(series.size(), std::vector<double>(t.active.size(), 0.0));
    for (std::size_t k = 0; k < t.active.size(); ++k) {
        const ObservedState st = state(t, k, x);
        for (std::size_t i = 0; i < series.size(); ++i) out[i][k] = st.value(series[i].measure, series[i].regions);
    }
    return out;
}

double Predictor::sd(std::size_t i, const std::vector<double>& x) const {
    return observation_.estimated_discrepancy() ? targets_[i].sd_at(observation_.discrepancy.value(x)) : targets_[i].sd;
}

double Predictor::objective(const std::vector<double>& prediction, const std::vector<double>& x) const {
    return likelihood(prediction, x) + prior(x);
}

// -log of the normal priors of pooled multipliers (the others are flat over their bounds).
double Predictor::prior(const std::vector<double>& x) const {
    double sum = 0;
    for (std::size_t j = 0; j < prior_sd_.size() && j < x.size(); ++j)
        if (prior_sd_[j] > 0) {
            const double z = (x[j] - 1) / prior_sd_[j];
            sum += 0.5 * z * z;
        }
    return sum;
}

double Predictor::likelihood(const std::vector<double>& prediction, const std::vector<double>& x) const {
    double sum = 0;
    if (!observation_.estimated_discrepancy()) { // the sds are constants: their logs drop out
        for (std::size_t i = 0; i < targets_.size(); ++i) {
            if (!targets_[i].fitted) continue;
            const double z = (prediction[i] - targets_[i].observed) / targets_[i].sd;
            sum += z * z;
        }
        return 0.5 * sum;
    }
    const double d = observation_.discrepancy.value(x);
    double logs = 0;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
        if (!targets_[i].fitted) continue;
        const double s = targets_[i].sd_at(d);
        const double z = (prediction[i] - targets_[i].observed) / s;
        sum += z * z;
        logs += portable::log(s);
    }
    return 0.5 * sum + logs;
}

namespace {

// The items (starts, chains) process `rank` of `size` computes: every size-th from its rank.
std::vector<std::size_t> items_of(const ProcessGroup& group, std::size_t n) {
    std::vector<std::size_t> mine;
    for (auto i = static_cast<std::size_t>(group.rank()); i < n; i += static_cast<std::size_t>(group.size())) mine.push_back(i);
    return mine;
}

// Every process receives every item's record (`len` numbers each, in item order), whichever
// process computed it: the results are the same bytes for any process count.
std::vector<double> share_records(const ProcessGroup& group, std::size_t n, const std::vector<std::size_t>& mine,
                                  const std::vector<double>& local, std::size_t len) {
    if (group.size() == 1) return local;
    std::vector<std::uint64_t> idx(mine.begin(), mine.end()), all_idx;
    std::vector<double> all;
    detail::gather_results(group, idx, local, all_idx, all);
    std::vector<char> bytes;
    if (group.root()) {
        std::vector<double> ordered(n * len);
        for (std::size_t j = 0; j < all_idx.size(); ++j)
            std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(j * len), len,
                        ordered.begin() + static_cast<std::ptrdiff_t>(all_idx[j] * len));
        bytes.resize(ordered.size() * sizeof(double));
        std::memcpy(bytes.data(), ordered.data(), bytes.size());
    }
    detail::broadcast_bytes(group, bytes);
    std::vector<double> out(bytes.size() / sizeof(double));
    std::memcpy(out.data(), bytes.data(), bytes.size());
    return out;
}

} // namespace

FitResult fit(const Predictor& predictor, const Space& space, int starts, int evaluations, std::uint64_t seed, int threads,
              const ProcessGroup& group) {
    const std::size_t d = space.parameters.size();
    const sensitivity::LhsDesign design(static_cast<std::size_t>(starts), d, seed);
    std::vector<std::vector<double>> best_u(static_cast<std::size_t>(starts), std::vector<double>(d));
    std::vector<double> best(static_cast<std::size_t>(starts), std::numeric_limits<double>::infinity());
    std::vector<std::size_t> used(static_cast<std::size_t>(starts), 0);
    const std::vector<std::size_t> mine = items_of(group, static_cast<std::size_t>(starts));
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
    for (std::size_t m = 0; m < mine.size(); ++m) {
        const std::size_t ks = mine[m];
        try {
            std::vector<double> u(d);
            design.point(ks, u);
            struct Call {
                const Predictor* predictor;
                const Space* space;
                std::size_t count = 0;
            } call{&predictor, &space};
            auto f = [](const std::vector<double>& x, std::vector<double>&, void* data) {
                auto* c = static_cast<Call*>(data);
                ++c->count;
                const std::vector<double> values = c->space->to_values(x);
                return c->predictor->objective(c->predictor->predict(values), values);
            };
            // BOBYQA (a quadratic model in a trust region) needs two dimensions; Subplex takes one.
            nlopt::opt opt(d >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_SBPLX, static_cast<unsigned>(d));
            opt.set_lower_bounds(std::vector<double>(d, 0.0));
            opt.set_upper_bounds(std::vector<double>(d, 1.0));
            opt.set_min_objective(f, &call);
            opt.set_maxeval(evaluations);
            opt.set_xtol_rel(1e-7);
            opt.set_ftol_abs(1e-9);
            double value = 0;
            try {
                opt.optimize(u, value);
            } catch (const nlopt::roundoff_limited&) {
                value = f(u, u, &call); // the point reached is as good as rounding allows
            }
            best_u[ks] = u;
            best[ks] = value;
            used[ks] = call.count;
        } catch (...) {
#pragma omp critical(calibration_failure)
            if (!failure) failure = std::current_exception();
        }
    }
    group.check(failure);
    // Each start's record: its value, evaluations and point.
    std::vector<double> local;
    for (std::size_t ks : mine) {
        local.push_back(best[ks]);
        local.push_back(static_cast<double>(used[ks]));
        local.insert(local.end(), best_u[ks].begin(), best_u[ks].end());
    }
    const std::vector<double> all = share_records(group, static_cast<std::size_t>(starts), mine, local, d + 2);
    for (std::size_t ks = 0; ks < static_cast<std::size_t>(starts); ++ks) {
        const double* rec = all.data() + ks * (d + 2);
        best[ks] = rec[0];
        used[ks] = static_cast<std::size_t>(rec[1]);
        best_u[ks].assign(rec + 2, rec + 2 + d);
    }
    FitResult r;
    std::size_t k = 0;
    for (std::size_t i = 1; i < best.size(); ++i)
        if (best[i] < best[k]) k = i;
    r.best_u = best_u[k];
    r.best_objective = best[k];
    for (auto n : used) r.evaluations += n;
    return r;
}

namespace {

std::vector<double> normals(rng::Stream& s, std::size_t d) {
    std::vector<double> z(d);
    for (auto& v : z) v = portable::normal_quantile(s.uniform());
    return z;
}

} // namespace

Chains sample(const Predictor& predictor, const Space& space, const std::vector<double>& start, const Calibration& c, int threads,
              const ProcessGroup& group) {
    const std::size_t d = space.parameters.size();
    const auto nchains = static_cast<std::size_t>(c.chains);
    const auto kept = static_cast<std::size_t>(c.samples / c.thin);
    const int total = c.burn_in + static_cast<int>(kept) * c.thin;
    std::vector<std::vector<std::vector<double>>> draws(nchains), preds(nchains);
    std::vector<std::size_t> accepted(nchains, 0), evals(nchains, 0);
    const std::vector<std::size_t> mine = items_of(group, nchains);
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
    for (std::size_t m = 0; m < mine.size(); ++m) {
        const std::size_t ch = mine[m];
        try {
            const std::uint64_t key = streams::calibration_chains_key(c.seed);
            // Start each chain a little apart from the best fit, inside the cube.
            rng::Stream s0(key, ch, 0, 0, 1);
            std::vector<double> u = start;
            const auto z0 = normals(s0, d);
            for (std::size_t j = 0; j < d; ++j) u[j] = std::clamp(u[j] + 0.02 * z0[j], 1e-6, 1 - 1e-6);
            std::vector<double> pred = predictor.predict(space.to_values(u));
            double obj = predictor.objective(pred, space.to_values(u));
            ++evals[ch];
            Eigen::MatrixXd cov =
                Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d)) * (0.05 * 0.05);
            Eigen::MatrixXd chol = cov.llt().matrixL();
            std::vector<Eigen::VectorXd> history;
            for (int it = 0; it < total; ++it) {
                rng::Stream s(key, ch, static_cast<std::uint64_t>(it) + 1, 0, 0);
                const auto z = normals(s, d);
                const Eigen::VectorXd step = chol * Eigen::Map<const Eigen::VectorXd>(z.data(), static_cast<Eigen::Index>(d));
                std::vector<double> v(d);
                bool inside = true;
                for (std::size_t j = 0; j < d; ++j) {
                    v[j] = u[j] + step(static_cast<Eigen::Index>(j));
                    inside = inside && v[j] > 0 && v[j] < 1;
                }
                const double a = s.uniform();
                if (inside) {
                    const std::vector<double> xv = space.to_values(v);
                    auto pv = predictor.predict(xv);
                    ++evals[ch];
                    const double ov = predictor.objective(pv, xv);
                    if (portable::log(a) < obj - ov) {
                        u = std::move(v);
                        pred = std::move(pv);
                        obj = ov;
                        if (it >= c.burn_in) ++accepted[ch];
                    }
                }
                if (it < c.burn_in) {
                    history.push_back(Eigen::Map<const Eigen::VectorXd>(u.data(), static_cast<Eigen::Index>(d)));
                    if (history.size() >= 200 && history.size() % 100 == 0) {
                        Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
                        for (const auto& h : history) mean += h;
                        mean /= static_cast<double>(history.size());
                        Eigen::MatrixXd emp = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
                        for (const auto& h : history) emp += (h - mean) * (h - mean).transpose();
                        emp /= static_cast<double>(history.size() - 1);
                        cov =
                            (2.38 * 2.38 / static_cast<double>(d)) *
                            (emp + 1e-8 * Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d)));
                        Eigen::LLT<Eigen::MatrixXd> llt(cov);
                        if (llt.info() == Eigen::Success) chol = llt.matrixL();
                    }
                } else if ((it - c.burn_in + 1) % c.thin == 0) {
                    draws[ch].push_back(space.to_values(u));
                    preds[ch].push_back(pred);
                }
            }
        } catch (...) {
#pragma omp critical(calibration_failure)
            if (!failure) failure = std::current_exception();
        }
    }
    group.check(failure);
    // Each chain's record: acceptances, evaluations, then its kept draws and their predictions.
    const std::size_t T = predictor.targets().size(), len = 2 + kept * (d + T);
    std::vector<double> local;
    for (std::size_t ch : mine) {
        local.push_back(static_cast<double>(accepted[ch]));
        local.push_back(static_cast<double>(evals[ch]));
        for (std::size_t k = 0; k < kept; ++k) {
            local.insert(local.end(), draws[ch][k].begin(), draws[ch][k].end());
            local.insert(local.end(), preds[ch][k].begin(), preds[ch][k].end());
        }
    }
    const std::vector<double> all = share_records(group, nchains, mine, local, len);
    for (std::size_t ch = 0; ch < nchains; ++ch) {
        const double* rec = all.data() + ch * len;
        accepted[ch] = static_cast<std::size_t>(rec[0]);
        evals[ch] = static_cast<std::size_t>(rec[1]);
        draws[ch].assign(kept, {});
        preds[ch].assign(kept, {});
        for (std::size_t k = 0; k < kept; ++k) {
            const double* at = rec + 2 + k * (d + T);
            draws[ch][k].assign(at, at + d);
            preds[ch][k].assign(at + d, at + d + T);
        }
    }

    Chains out;
    std::size_t acc = 0;
    for (std::size_t ch = 0; ch < nchains; ++ch) {
        acc += accepted[ch];
        out.evaluations += evals[ch];
        for (std::size_t k = 0; k < draws[ch].size(); ++k) {
            out.draws.push_back(draws[ch][k]);
            out.predictions.push_back(preds[ch][k]);
        }
    }
    const double after = static_cast<double>(nchains) * static_cast<double>(total - c.burn_in);
    out.acceptance = after > 0 ? static_cast<double>(acc) / after : 0;
    // Gelman-Rubin potential scale reduction per parameter.
    for (std::size_t j = 0; j < d; ++j) {
        const auto n = static_cast<double>(kept);
        double w = 0, grand = 0;
        std::vector<double> means(nchains);
        for (std::size_t ch = 0; ch < nchains; ++ch) {
            double m = 0;
            for (const auto& x : draws[ch]) m += x[j];
            m /= n;
            double v = 0;
            for (const auto& x : draws[ch]) v += (x[j] - m) * (x[j] - m);
            w += v / (n - 1);
            means[ch] = m;
            grand += m;
        }
        w /= static_cast<double>(nchains);
        grand /= static_cast<double>(nchains);
        double b = 0;
        for (double m : means) b += (m - grand) * (m - grand);
        b *= n / static_cast<double>(nchains - 1);
        const double var = (n - 1) / n * w + b / n;
        out.rhat.push_back(w > 0 ? std::sqrt(var / w) : 1.0);
    }
    return out;
}

double percentile(std::vector<double>& v, double q) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double h = (static_cast<double>(v.size()) - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

} // namespace cakupan::calibration
