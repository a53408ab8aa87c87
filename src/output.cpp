#include "cakupan/output.hpp"

#include "cakupan/error.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

namespace cakupan {

namespace fs = std::filesystem;

void write_file_atomically(const std::string& path, std::string_view content, bool overwrite) {
    const fs::path target(path);
    std::error_code ec;
    if (fs::is_directory(target, ec)) throw OutputError(path + ": is a directory; name a file");
    if (!overwrite && fs::exists(target, ec)) throw OutputError(path + ": already exists; pass --force to replace it");
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec)) throw OutputError(path + ": directory " + dir.string() + " does not exist");

    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw OutputError(path + ": cannot write in " + dir.string() + ": " + std::strerror(errno));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            const std::string why = std::strerror(errno);
            out.close();
            fs::remove(tmp, ec);
            throw OutputError(path + ": write failed: " + why);
        }
    }
    // Without overwrite, a file that appeared meanwhile must survive: rename only if absent.
    if (!overwrite) {
        if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
            const int err = errno;
            fs::remove(tmp, ec);
            if (err == EEXIST) throw OutputError(path + ": already exists; pass --force to replace it");
            throw OutputError(path + ": cannot move the finished file into place: " + std::strerror(err));
        }
        return;
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw OutputError(path + ": cannot move the finished file into place: " + ec.message());
    }
}

} // namespace cakupan
