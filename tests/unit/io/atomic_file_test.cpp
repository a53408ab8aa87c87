// write_file_atomically: never overwrites silently, never leaves a temporary file behind.
#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cakupan {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Output : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "cakupan-output-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    static std::string slurp(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Every entry of the directory, hidden ones included: a left-over ".x.tmp-123" shows here.
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
    fs::path dir_;
};

TEST_F(Output, WritesANewFile) {
    write_file_atomically(path("w.gal"), "0 1 layer kode\n", false);
    EXPECT_EQ(slurp(path("w.gal")), "0 1 layer kode\n");
    EXPECT_THAT(listing(), ElementsAre("w.gal"));
}

TEST_F(Output, RefusesToOverwriteWithoutTheFlag) {
    write_file_atomically(path("w.gal"), "old", false);
    try {
        write_file_atomically(path("w.gal"), "new", false);
        FAIL() << "overwrote silently";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), path("w.gal") + ": already exists; pass --force to replace it");
        EXPECT_EQ(e.exit_code(), ExitCode::output);
    }
    EXPECT_EQ(slurp(path("w.gal")), "old");
    EXPECT_THAT(listing(), ElementsAre("w.gal"));
}

TEST_F(Output, ReplacesWithTheFlag) {
    write_file_atomically(path("w.gal"), "old content that is longer", false);
    write_file_atomically(path("w.gal"), "new", true);
    EXPECT_EQ(slurp(path("w.gal")), "new");
    EXPECT_THAT(listing(), ElementsAre("w.gal"));
}

TEST_F(Output, BinaryContentIsKeptByteForByte) {
    const std::string bytes("a\0b\r\n\xff", 6);
    write_file_atomically(path("b.bin"), bytes, false);
    EXPECT_EQ(slurp(path("b.bin")), bytes);
}

TEST_F(Output, MissingDirectoryIsAnOutputError) {
    const std::string target = path("no/such/dir/w.gal");
    try {
        write_file_atomically(target, "x", false);
        FAIL() << "no error";
    } catch (const OutputError& e) {
        EXPECT_THAT(e.what(), HasSubstr("does not exist"));
    }
    EXPECT_THAT(listing(), ::testing::IsEmpty());
}

TEST_F(Output, DirectoryIsNotReplaced) {
    fs::create_directory(path("sub"));
    EXPECT_THROW(write_file_atomically(path("sub"), "x", true), OutputError);
    EXPECT_TRUE(fs::is_directory(path("sub")));
}

} // namespace
} // namespace cakupan
