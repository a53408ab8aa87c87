#include "boundary_options.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/io/temporaries.hpp"
#include "cakupan/io/utf8.hpp"
#include "cakupan/study/study_runner.hpp"
#include "command.hpp"

#include <filesystem>
#include <ostream>

namespace cakupan::cli {

void add_boundary_options(po::options_description& options) {
    options.add_options()("layer", po::value<std::string>()->default_value(""),
                          "layer of the boundary file (needed when it has several)")(
        "id-field", po::value<std::string>()->default_value(""), "field holding the region code (default: detect kode/code/id)")(
        "name-field", po::value<std::string>()->default_value(""), "field holding the region name (default: detect nama/name)")(
        "crs", po::value<std::string>()->default_value(""), "CRS to assume when the file declares none, e.g. EPSG:4326")(
        "within", po::value<std::string>()->default_value(""),
        "keep only the regions inside this code, e.g. 35 (Jawa Timur), 06 (FIPS state)");
    add_code_options(options);
    add_encoding_option(options);
}

void add_encoding_option(po::options_description& options) {
    options.add_options()("encoding", po::value<std::string>()->default_value(""),
                          "encoding of text that is not UTF-8, e.g. latin1 or cp1252 (a Shapefile's .cpg says it too)");
}

std::string encoding_option(const po::variables_map& vm) {
    const std::string name = vm["encoding"].as<std::string>();
    if (!name.empty() && !encoding_known(name))
        throw UsageError("--encoding: unknown encoding '" + name + "'; give one iconv knows, e.g. latin1, cp1252, utf-8");
    return name;
}

BoundaryOptions boundary_options(const std::string& path, const po::variables_map& vm) {
    BoundaryOptions o;
    o.path = path;
    o.layer = vm["layer"].as<std::string>();
    o.id_field = vm["id-field"].as<std::string>();
    o.name_field = vm["name-field"].as<std::string>();
    o.assume_crs = vm["crs"].as<std::string>();
    o.within = vm["within"].as<std::string>();
    o.codes = code_spec(vm);
    o.encoding = encoding_option(vm);
    return o;
}

void print_warnings(const Diagnostics& diagnostics, std::ostream& err) {
    for (const auto& line : diagnostics.shown_lines())
        if (line.rfind("warning: ", 0) == 0) err << "cakupan: " << line << '\n';
}

bool print_diagnostics(const Diagnostics& diagnostics, std::ostream& err) {
    for (const auto& line : diagnostics.shown_lines()) err << "cakupan: " << line << '\n';
    return diagnostics.has_errors();
}

void remove_leftovers_in(const std::string& dir, std::ostream& err) {
    for (const auto& line : remove_leftovers(dir)) err << "cakupan: " << line << '\n';
}

void remove_leftovers_beside(const std::string& output, std::ostream& err) {
    remove_leftovers_in(output_path(output).parent_path().string(), err);
}

int on_every_process(const std::function<int(const ProcessGroup&)>& body) {
    const ProcessGroup group;
    if (group.root()) return body(group);
    try {
        body(group);
    } catch (...) {
    }
    return 0;
}

} // namespace cakupan::cli
