// Temporaries beside an output: ".NAME.tmp-PID" while a file or run directory is written, and
// ".NAME.old-PID" for a run directory being replaced. The writer holds an flock on each for as
// long as it works on it, so a leftover is one whose process has died (kill -9, power loss).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// ".NAME.<tag>-PID" in the directory of `target` (which has no trailing separator).
std::filesystem::path temporary_path(const std::filesystem::path& target, std::string_view tag = "tmp");

// An exclusive flock on a file or directory, held until destroyed; the kernel releases it when
// the process ends, however it ends. Best effort: a filesystem without locks gives no lock, and
// the process id in the name still protects the temporary (remove_stale_temporaries).
class TemporaryLock {
public:
    TemporaryLock() = default;
    explicit TemporaryLock(const std::filesystem::path& path);
    TemporaryLock(TemporaryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    TemporaryLock& operator=(TemporaryLock&& other) noexcept;
    TemporaryLock(const TemporaryLock&) = delete;
    TemporaryLock& operator=(const TemporaryLock&) = delete;
    ~TemporaryLock();

private:
    int fd_ = -1;
};

// Whether `path` is a temporary of a process that no longer runs: its name has the form above,
// no process has that id, and nobody holds its lock. A live writer's temporary never is.
bool is_stale_temporary(const std::filesystem::path& path);

// Removes the stale temporaries in `dir` (not below it) and returns the paths it removed.
std::vector<std::string> remove_stale_temporaries(const std::filesystem::path& dir);

// remove_stale_temporaries on `dir` ("" or "." = the working directory), as the lines a command
// says for them: "removed PATH, left by a process that no longer runs" (a bare name in the
// working directory).
std::vector<std::string> remove_leftovers(const std::string& dir);

} // namespace cakupan
