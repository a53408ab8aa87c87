#include "cakupan/io/atomic_file.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/io/temporaries.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

namespace cakupan {

namespace fs = std::filesystem;

void write_file_atomically(const std::string& path, std::string_view content, bool overwrite) {
    // Only a regular file is ever replaced: never a directory, a device such as /dev/null, a FIFO or a socket.
    check_output_file(path, overwrite, {});
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const fs::path tmp = temporary_path(target);
    ::unlink(tmp.c_str()); // this process's name: a leftover of a dead process that had the same id
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) throw OutputError(path + ": cannot write in " + dir.string() + ": " + std::strerror(errno));
    ::flock(fd, LOCK_EX | LOCK_NB); // held until closed: a sweeper sees a live writer
    auto fail = [&](const std::string& why) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw OutputError(path + ": " + why);
    };
    for (std::size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(std::string("write failed: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    // Without overwrite, a file that appeared meanwhile must survive: rename only if absent.
    if (!overwrite) {
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
            const int err = errno;
            if (err == EEXIST) fail("already exists; pass --force to replace it");
            fail(std::string("cannot move the finished file into place: ") + std::strerror(err));
        }
    } else if (::rename(tmp.c_str(), target.c_str()) != 0) {
        fail(std::string("cannot move the finished file into place: ") + std::strerror(errno));
    }
    if (::close(fd) != 0) throw OutputError(path + ": write failed: " + std::strerror(errno));
}

} // namespace cakupan
