// The only file that speaks MPI; without CAKUPAN_WITH_MPI it is a group of one process.
#include "cakupan/common/error.hpp"
#include "exchange.hpp"

#include <algorithm>
#include <string>

#ifdef CAKUPAN_WITH_MPI
#include <mpi.h>
#endif

namespace cakupan {

namespace {

// An error carried from another process keeps its exit code.
[[noreturn, maybe_unused]] void throw_with_code(int code, const std::string& message) {
    switch (static_cast<ExitCode>(code)) {
    case ExitCode::usage: throw UsageError(message);
    case ExitCode::input_data: throw InputError(message);
    case ExitCode::scenario: throw ScenarioError(message);
    case ExitCode::output: throw OutputError(message);
    default: throw Error(message);
    }
}

[[maybe_unused]] std::pair<int, std::string> describe(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const Error& x) {
        return {static_cast<int>(x.exit_code()), x.what()};
    } catch (const std::exception& x) {
        return {static_cast<int>(ExitCode::internal), x.what()};
    } catch (...) {
        return {static_cast<int>(ExitCode::internal), "unknown failure"};
    }
}

} // namespace

#ifdef CAKUPAN_WITH_MPI

ProcessGroup::ProcessGroup() {
    int ready = 0;
    MPI_Initialized(&ready);
    if (!ready) {
        int provided = 0; // only the main thread calls MPI; OpenMP threads never do
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
        initialised_here_ = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

ProcessGroup::~ProcessGroup() {
    int done = 0;
    MPI_Finalized(&done);
    if (initialised_here_ && !done) MPI_Finalize();
}

void ProcessGroup::check(std::exception_ptr local) const {
    if (size_ == 1) {
        if (local) std::rethrow_exception(local);
        return;
    }
    const int mine = local ? describe(local).first : 0;
    std::vector<int> codes(static_cast<std::size_t>(size_));
    MPI_Allgather(&mine, 1, MPI_INT, codes.data(), 1, MPI_INT, MPI_COMM_WORLD);
    const auto first = std::find_if(codes.begin(), codes.end(), [](int c) { return c != 0; });
    if (first == codes.end()) return;
    const int culprit = static_cast<int>(first - codes.begin());
    if (culprit != 0 && rank_ == culprit) { // the first failure elsewhere tells process 0 what it was
        const std::string msg = describe(local).second;
        MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, 7, MPI_COMM_WORLD);
    }
    if (rank_ == 0) {
        if (culprit == 0) std::rethrow_exception(local);
        MPI_Status status;
        MPI_Probe(culprit, 7, MPI_COMM_WORLD, &status);
        int length = 0;
        MPI_Get_count(&status, MPI_CHAR, &length);
        std::string msg(static_cast<std::size_t>(length), '\0');
        MPI_Recv(msg.data(), length, MPI_CHAR, culprit, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        throw_with_code(*first, "process " + std::to_string(culprit) + ": " + msg);
    }
    throw_with_code(*first, "failed (process 0 reports why)");
}

namespace detail {

void gather_results(const ProcessGroup& group, const std::vector<std::uint64_t>& indices, const std::vector<double>& values,
                    std::vector<std::uint64_t>& all_indices, std::vector<double>& all_values) {
    const int k = group.size();
    const int counts[2] = {static_cast<int>(indices.size()), static_cast<int>(values.size())};
    std::vector<int> all_counts(static_cast<std::size_t>(2 * k));
    MPI_Gather(counts, 2, MPI_INT, all_counts.data(), 2, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<int> n_idx(static_cast<std::size_t>(k)), n_val(static_cast<std::size_t>(k)), o_idx(static_cast<std::size_t>(k)),
        o_val(static_cast<std::size_t>(k));
    int t_idx = 0, t_val = 0;
    for (std::size_t r = 0; r < static_cast<std::size_t>(k); ++r) {
        n_idx[r] = all_counts[2 * r], n_val[r] = all_counts[2 * r + 1];
        o_idx[r] = t_idx, o_val[r] = t_val;
        t_idx += n_idx[r], t_val += n_val[r];
    }
    if (group.root()) all_indices.resize(static_cast<std::size_t>(t_idx)), all_values.resize(static_cast<std::size_t>(t_val));
    MPI_Gatherv(indices.data(), counts[0], MPI_UINT64_T, all_indices.data(), n_idx.data(), o_idx.data(), MPI_UINT64_T, 0,
                MPI_COMM_WORLD);
    MPI_Gatherv(values.data(), counts[1], MPI_DOUBLE, all_values.data(), n_val.data(), o_val.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
}

void broadcast_bytes(const ProcessGroup& group, std::vector<char>& bytes) {
    if (group.size() == 1) return;
    unsigned long long n = bytes.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    bytes.resize(static_cast<std::size_t>(n));
    MPI_Bcast(bytes.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
}

} // namespace detail

#else // one process

ProcessGroup::ProcessGroup() = default;
ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::check(std::exception_ptr local) const {
    if (local) std::rethrow_exception(local);
}

namespace detail {

void gather_results(const ProcessGroup&, const std::vector<std::uint64_t>& indices, const std::vector<double>& values,
                    std::vector<std::uint64_t>& all_indices, std::vector<double>& all_values) {
    all_indices = indices;
    all_values = values;
}

void broadcast_bytes(const ProcessGroup&, std::vector<char>&) {}

} // namespace detail

#endif

} // namespace cakupan
