#include "cakupan/render/lang.hpp"
#include "cakupan/report/plan_section.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/run/run_reader.hpp"
#include "commands.hpp"

#include <filesystem>
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
            ("plan", po::value<std::string>(), "plan directory (cakupan plan --out): add its answer as the section \"What it would take\"")
            ("force", po::bool_switch(), "replace an existing report");
        positional.add("run-dir", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        ReportOptions options;
        options.lang = render::parse_lang(vm["lang"].as<std::string>());
        if (vm.count("out")) options.out = vm["out"].as<std::string>();
        options.force = vm["force"].as<bool>();
        options.maps = !vm["no-maps"].as<bool>();
        const std::string run_dir = vm["run-dir"].as<std::string>();
        std::string answer;
        if (vm.count("plan")) { // read and checked before anything is written
            const PlanResult plan = read_plan_result(vm["plan"].as<std::string>());
            const std::string report_path =
                options.out.empty() ? (std::filesystem::path(run_dir) / default_report_name(options.lang)).string() : options.out;
            options.extra_sections.push_back(plan_report_section(plan, read_run(run_dir), report_path, options.lang));
            answer = plan_answer_text(plan, options.lang);
        }
        const std::string path = write_report(run_dir, options);
        remove_leftovers_beside(path, io.err);
        io.out << "wrote " << path << "\n";
        if (!answer.empty()) io.out << "\n" << answer;
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

} // namespace cakupan::cli
