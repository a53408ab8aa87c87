#include "cakupan/render/lang.hpp"
#include "cakupan/report/report.hpp"
#include "commands.hpp"

#include <ostream>

namespace cakupan::cli {

namespace {

class ReportCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("run-dir", po::value<std::string>()->required(), "run directory written by `cakupan run`")
            ("lang", po::value<std::string>()->default_value("id"), "language of every fixed text and number: id or en")
            ("out", po::value<std::string>(), "HTML file to write (default RUN_DIR/report.html, RUN_DIR/report-en.html for en)")
            ("no-maps", po::bool_switch(), "leave the maps out (charts and tables only)")
            ("force", po::bool_switch(), "replace an existing report");
        positional.add("run-dir", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        ReportOptions options;
        options.lang = render::parse_lang(vm["lang"].as<std::string>());
        if (vm.count("out")) options.out = vm["out"].as<std::string>();
        options.force = vm["force"].as<bool>();
        options.maps = !vm["no-maps"].as<bool>();
        const std::string path = write_report(vm["run-dir"].as<std::string>(), options);
        remove_leftovers_beside(path, io.err);
        io.out << "wrote " << path << "\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

} // namespace cakupan::cli
