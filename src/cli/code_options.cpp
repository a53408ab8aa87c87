#include "boundary_options.hpp"
#include "cakupan/common/error.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace cakupan::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

} // namespace

void add_code_options(po::options_description& options) {
    options.add_options()
        ("code-levels", po::value<std::string>()->default_value(""), "codes nest by these prefix lengths, e.g. 2,5 (US FIPS state, county)")
        ("code-separator", po::value<std::string>()->default_value(""), "codes nest by this separator, e.g. - (ID-BK-01 lies in ID-BK)")
        ("parent-field", po::value<std::string>()->default_value(""), "field holding each region's parent code, e.g. STATEFP")
        ("code-structure", po::value<std::string>()->default_value(""), "kemendagri or flat (default: detect from the ids)")
        ("level-names", po::value<std::string>()->default_value(""), "names of the code levels from the top, e.g. state,county");
}

CodeSpec code_spec(const po::variables_map& vm) {
    CodeSpec spec;
    spec.structure = vm["code-structure"].as<std::string>();
    spec.separator = vm["code-separator"].as<std::string>();
    spec.parent_field = vm["parent-field"].as<std::string>();
    if (!spec.structure.empty() && spec.structure != "kemendagri" && spec.structure != "flat")
        throw UsageError("--code-structure: '" + spec.structure + "' is not a code structure; expected kemendagri or flat");
    const std::string levels = vm["code-levels"].as<std::string>();
    for (const auto& item : split_list(levels)) {
        int n = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (ec != std::errc() || end != item.data() + item.size() || n < 1 || n > 64 ||
            (!spec.lengths.empty() && n <= spec.lengths.back()))
            throw UsageError("--code-levels: '" + levels + "': expected increasing code lengths from 1 to 64, e.g. 2,5");
        spec.lengths.push_back(n);
    }
    const int ways = !spec.structure.empty() + !spec.lengths.empty() + !spec.separator.empty() + !spec.parent_field.empty();
    if (ways > 1) throw UsageError("give one of --code-structure, --code-levels, --code-separator or --parent-field");
    for (const auto& name : split_list(vm["level-names"].as<std::string>())) {
        if (name.empty() || std::find(spec.level_names.begin(), spec.level_names.end(), name) != spec.level_names.end())
            throw UsageError("--level-names: expected distinct names separated by commas, e.g. state,county");
        spec.level_names.push_back(name);
    }
    if (spec.structure == "flat" && !spec.level_names.empty()) throw UsageError("--level-names: flat codes have no levels to name");
    if (!spec.lengths.empty() && spec.level_names.size() > spec.lengths.size())
        throw UsageError("--level-names: " + std::to_string(spec.level_names.size()) + " names for " +
                         std::to_string(spec.lengths.size()) + " --code-levels");
    return spec;
}

} // namespace cakupan::cli
