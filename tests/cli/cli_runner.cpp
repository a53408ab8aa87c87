// Runs the cakupan binary on every case of tests/cli/*.toml (PROJ-style CLI tests as data, one file
// per topic; case names are unique across files) and checks
// its exit code, stdout, stderr and the files it leaves. Each case is its own test, "cli.<name>",
// so that ctest lists and reruns them one by one.
//
// Case keys: name, args (array; {data} {geodata} {tmp} are substituted, and {xHH} by the byte HH
// here and in files_before, for bytes that are not UTF-8), exit, stdout / stderr
// (fragments that must appear), stdout_absent / stderr_absent (fragments that must not),
// stderr_lines (exact number of lines), files_before (name = content, created in {tmp} first; a
// name may hold '/' for a file in a subdirectory),
// files_after (name = exact content afterwards), file_contains (name = fragments),
// tmp_listing (exact sorted list of what {tmp} holds afterwards, to catch stray temporary files).
#include "../support/process.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

using Result = cakupan::test::ProcessResult;

Result run(const std::vector<std::string>& args) { return cakupan::test::run_process(args); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> strings(const toml::node* node) {
    std::vector<std::string> out;
    if (node == nullptr) return out;
    if (auto s = node->value<std::string>()) return {*s};
    if (const auto* array = node->as_array())
        for (const auto& item : *array) out.push_back(item.value_or(std::string()));
    return out;
}

class CliCase : public ::testing::Test {
public:
    explicit CliCase(toml::table spec) : spec_(std::move(spec)) {}

    void TestBody() override {
        std::string pattern = (fs::temp_directory_path() / "cakupan-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        tmp_ = pattern;
        for (auto&& [name, content] : table("files_before")) {
            const fs::path p = tmp_ / std::string(name.str());
            fs::create_directories(p.parent_path());
            std::ofstream(p, std::ios::binary) << bytes(content.value_or(std::string()));
        }

        std::vector<std::string> args = {CAKUPAN_CLI};
        for (const auto& a : strings(spec_.get("args"))) args.push_back(expand(a));
        const Result r = run(args);
        std::string command;
        for (const auto& a : args) command += (command.empty() ? "" : " ") + a;
        SCOPED_TRACE("command: " + command + "\n--- stdout:\n" + r.out + "--- stderr:\n" + r.err + "---");

        EXPECT_EQ(r.exit, spec_["exit"].value_or(0)) << "exit code";
        auto has = [](const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; };
        for (const auto& f : strings(spec_.get("stdout"))) EXPECT_TRUE(has(r.out, expand(f))) << "stdout lacks: " << expand(f);
        for (const auto& f : strings(spec_.get("stderr"))) EXPECT_TRUE(has(r.err, expand(f))) << "stderr lacks: " << expand(f);
        for (const auto& f : strings(spec_.get("stdout_absent"))) EXPECT_FALSE(has(r.out, expand(f))) << "stdout has: " << expand(f);
        for (const auto& f : strings(spec_.get("stderr_absent"))) EXPECT_FALSE(has(r.err, expand(f))) << "stderr has: " << expand(f);
        if (auto lines = spec_["stderr_lines"].value<int>()) {
            EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), *lines) << "stderr line count";
        }
        for (auto&& [name, content] : table("files_after")) {
            const fs::path p = tmp_ / std::string(name.str());
            EXPECT_TRUE(fs::exists(p)) << p;
            EXPECT_EQ(slurp(p), content.value_or(std::string())) << p;
        }
        for (auto&& [name, fragments] : table("file_contains")) {
            const std::string text = slurp(tmp_ / std::string(name.str()));
            for (const auto& f : strings(&fragments)) EXPECT_TRUE(has(text, f)) << name.str() << " lacks: " << f;
        }
        if (spec_.contains("tmp_listing")) {
            std::vector<std::string> listing;
            for (const auto& e : fs::directory_iterator(tmp_)) listing.push_back(e.path().filename().string());
            std::sort(listing.begin(), listing.end());
            EXPECT_EQ(listing, strings(spec_.get("tmp_listing"))) << "files left in {tmp}";
        }
    }

    void TearDown() override {
        if (!tmp_.empty()) fs::remove_all(tmp_);
    }

private:
    std::string expand(std::string s) const {
        s = replace_all(std::move(s), "{data}", CAKUPAN_TEST_DATA_DIR);
        s = replace_all(std::move(s), "{geodata}", CAKUPAN_GEODATA_DIR);
        return bytes(replace_all(std::move(s), "{tmp}", tmp_.string()));
    }
    static std::string bytes(std::string s) {
        for (auto at = s.find("{x"); at != std::string::npos && at + 5 <= s.size(); at = s.find("{x", at + 1))
            if (s[at + 4] == '}') s.replace(at, 5, 1, static_cast<char>(std::stoi(s.substr(at + 2, 2), nullptr, 16)));
        return s;
    }
    const toml::table& table(const char* key) const {
        static const toml::table empty;
        const auto* t = spec_.get_as<toml::table>(key);
        return t ? *t : empty;
    }

    toml::table spec_;
    fs::path tmp_;
};

// Reports a broken cases file as a failing test instead of silently running nothing.
class BrokenCases : public ::testing::Test {
public:
    explicit BrokenCases(std::string why) : why_(std::move(why)) {}
    void TestBody() override { FAIL() << why_; }

private:
    std::string why_;
};

constexpr std::string_view kKeys[] = {"name", "args", "exit", "stdout", "stderr", "stdout_absent", "stderr_absent",
                                      "stderr_lines", "files_before", "files_after", "file_contains", "tmp_listing"};

void register_cases(const char* path, std::vector<std::string>& seen) {
    toml::table doc;
    try {
        doc = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::ostringstream why;
        why << path << ": " << e;
        const std::string label = "cases_file_" + fs::path(path).stem().string();
        ::testing::RegisterTest("cli", label.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                [w = why.str()]() -> ::testing::Test* { return new BrokenCases(w); });
        return;
    }
    const auto* cases = doc["case"].as_array();
    if (cases == nullptr || cases->empty()) {
        const std::string label = "cases_file_" + fs::path(path).stem().string();
        ::testing::RegisterTest("cli", label.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                [p = std::string(path)]() -> ::testing::Test* { return new BrokenCases(p + ": no [[case]]"); });
        return;
    }
    for (const auto& node : *cases) {
        const auto* t = node.as_table();
        const std::string name = t ? (*t)["name"].value_or(std::string()) : std::string();
        std::string why;
        if (t == nullptr || name.empty() || !t->contains("args")) why = "needs a name and args";
        else if (std::find(seen.begin(), seen.end(), name) != seen.end()) why = "has the name of an earlier case (names are unique across files)";
        else if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
            why = "name may hold only letters, digits and '_'";
        else
            for (auto&& [key, value] : *t) // a misspelt key would silently check nothing
                if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys))
                    why = "unknown key '" + std::string(key.str()) + "'";
        if (!why.empty()) {
            const std::string label = "case_" + std::to_string(seen.size() + 1) + "_invalid";
            const std::string text = std::string(path) + ": case '" + name + "' " + why;
            ::testing::RegisterTest("cli", label.c_str(), nullptr, nullptr, path, __LINE__,
                                    [=]() -> ::testing::Test* { return new BrokenCases(text); });
            seen.push_back(label);
            continue;
        }
        seen.push_back(name);
        ::testing::RegisterTest("cli", name.c_str(), nullptr, nullptr, path, static_cast<int>(t->source().begin.line),
                                [spec = *t]() -> ::testing::Test* { return new CliCase(spec); });
    }
}

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(CAKUPAN_CLI_CASES_DIR))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> seen;
    for (const auto& f : files) register_cases(f.c_str(), seen);
    return RUN_ALL_TESTS();
}
