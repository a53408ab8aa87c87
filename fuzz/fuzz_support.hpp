// What the file readers' fuzz targets share: the readers take paths, so each input is written to a
// file in a private scratch tree, tests/data/fuzz-input/, at the depth of the seed files' folders
// (tests/data/scenarios, ...). Links to the source tree (geodata/, models/, scenarios/, studies/,
// tests/data/*) let the seeds' relative paths such as "../../../models/x.toml" resolve.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cakupan::fuzz {

class ScratchTree {
public:
    ScratchTree() {
        namespace fs = std::filesystem;
        // /dev/shm keeps the writes of millions of inputs off the disk.
        const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string pattern = (base / "cakupan-fuzz-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a scratch directory in " + base.string());
        root_ = pattern;
        const fs::path source = CAKUPAN_SOURCE_DIR;
        for (const char* top : {"geodata", "models", "scenarios", "studies"}) fs::create_directory_symlink(source / top, root_ / top);
        fs::create_directories(root_ / "tests/data");
        for (const auto& entry : fs::directory_iterator(source / "tests/data")) {
            fs::create_symlink(entry.path(), root_ / "tests/data" / entry.path().filename());
        }
        fs::create_directory(root_ / "tests/data/fuzz-input");
    }
    ~ScratchTree() {
        std::error_code ignored;
        std::filesystem::remove_all(root_, ignored);
    }
    ScratchTree(const ScratchTree&) = delete;
    ScratchTree& operator=(const ScratchTree&) = delete;

    // Writes `data` to tests/data/fuzz-input/<name> in the tree and returns its path.
    std::string write(const std::string& name, const std::uint8_t* data, std::size_t size) const {
        const auto path = (root_ / "tests/data/fuzz-input" / name).string();
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out.flush()) throw std::runtime_error("cannot write " + path);
        return path;
    }

private:
    std::filesystem::path root_;
};

// One tree per process; libFuzzer runs inputs one after another in it.
inline const ScratchTree& scratch() {
    static const ScratchTree tree;
    return tree;
}

} // namespace cakupan::fuzz
