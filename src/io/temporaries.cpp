#include "cakupan/io/temporaries.hpp"

#include <cerrno>
#include <charconv>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cakupan {

namespace fs = std::filesystem;

namespace {

// The process id of ".NAME.tmp-PID" or ".NAME.old-PID", or 0 when the name has another form.
pid_t temporary_pid(const std::string& name) {
    if (name.size() < 8 || name[0] != '.') return 0;
    const auto dash = name.rfind('-');
    if (dash == std::string::npos || dash < 6) return 0; // at least ".N.tmp"
    const std::string_view tag(name.data() + dash - 4, 4);
    if (tag != ".tmp" && tag != ".old") return 0;
    long pid = 0;
    const char* first = name.data() + dash + 1;
    const char* last = name.data() + name.size();
    const auto [end, ec] = std::from_chars(first, last, pid);
    if (ec != std::errc() || end != last || first == last || *first == '0' || pid <= 0 || pid > 0x3fffffff) return 0;
    return static_cast<pid_t>(pid);
}

bool process_runs(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// Opens `path` (a regular file or a directory, never through a symbolic link) and tries its lock:
// -1 when another process holds it or the path cannot be opened, else a descriptor that holds it
// (or holds nothing on a filesystem without locks: then the process id alone decides).
int try_lock(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) return -1;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -1;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

fs::path temporary_path(const fs::path& target, std::string_view tag) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    return dir / ("." + target.filename().string() + "." + std::string(tag) + "-" + std::to_string(::getpid()));
}

TemporaryLock::TemporaryLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX | LOCK_NB); // just created by this process: nobody else holds it
}

TemporaryLock& TemporaryLock::operator=(TemporaryLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

TemporaryLock::~TemporaryLock() {
    if (fd_ >= 0) ::close(fd_);
}

bool is_stale_temporary(const fs::path& path) {
    const pid_t pid = temporary_pid(path.filename().string());
    if (pid == 0 || pid == ::getpid() || process_runs(pid)) return false;
    const int fd = try_lock(path);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

std::vector<std::string> remove_stale_temporaries(const fs::path& dir) {
    std::vector<std::string> removed;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path path = it->path();
        const pid_t pid = temporary_pid(path.filename().string());
        // Both tests: the id catches the instant between creating a temporary and locking it,
        // and the lock catches a live writer whose id is not visible here (another PID namespace).
        if (pid == 0 || pid == ::getpid() || process_runs(pid)) continue;
        const int fd = try_lock(path);
        if (fd < 0) continue;
        std::error_code rm;
        fs::remove_all(path, rm); // the lock is held meanwhile, so no second sweeper races this one
        ::close(fd);
        if (!rm) removed.push_back(path.string());
    }
    return removed;
}

std::vector<std::string> remove_leftovers(const std::string& dir) {
    const bool here = dir.empty() || dir == ".";
    std::vector<std::string> lines;
    for (const auto& p : remove_stale_temporaries(here ? fs::path(".") : fs::path(dir)))
        lines.push_back("removed " + (here ? fs::path(p).filename().string() : p) + ", left by a process that no longer runs");
    return lines;
}

} // namespace cakupan
