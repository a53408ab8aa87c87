#include "cakupan/io/output_directory.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/io/temporaries.hpp"

namespace cakupan {

namespace fs = std::filesystem;

void write_directory_atomically(const std::string& dir, const std::function<void(const fs::path&)>& fill) {
    const fs::path target = output_path(dir);
    const fs::path tmp = temporary_path(target);
    std::error_code ec;
    fs::remove_all(tmp, ec); // this process's name: a leftover of a dead process that had the same id
    if (!fs::create_directory(tmp, ec))
        throw OutputError(dir + ": cannot create the temporary directory " + tmp.string() + ": " + ec.message());
    const TemporaryLock lock(tmp);
    try {
        fill(tmp);
        const fs::path old = temporary_path(target, "old");
        const bool replacing = fs::exists(fs::symlink_status(target, ec));
        if (replacing) {
            fs::remove_all(old, ec);
            fs::rename(target, old, ec);
            if (ec) throw OutputError(dir + ": cannot move the earlier output aside: " + ec.message());
        }
        const TemporaryLock old_lock = replacing ? TemporaryLock(old) : TemporaryLock();
        fs::rename(tmp, target, ec);
        if (ec) {
            const std::string why = ec.message();
            if (replacing) fs::rename(old, target, ec);
            throw OutputError(dir + ": cannot move the finished output into place: " + why);
        }
        if (replacing) fs::remove_all(old, ec);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw OutputError(dir + ": " + e.path1().string() + ": " + e.code().message());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

} // namespace cakupan
