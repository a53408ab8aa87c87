#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/plan/run_plan.hpp"
#include "cakupan/render/lang.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <ostream>

namespace cakupan::cli {

namespace {

class PlanCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("plan", po::value<std::string>()->required(), "plan file (TOML, docs/plan.md)")
            ("out", po::value<std::string>()->required(), "plan directory to write")
            ("draws", po::value<int>(), "stochastic draws per candidate (default: the plan's plan.draws)")
            ("lang", po::value<std::string>()->default_value("id"), "language of the answer, charts and report: id or en")
            ("no-figures", po::bool_switch(), "no charts and no report.html")
            ("force", po::bool_switch(), "replace an earlier plan in --out (only files a plan writes)");
        positional.add("plan", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        return on_every_process([&](const ProcessGroup& group) { return body(vm, io, group); });
    }

private:
    static int body(const po::variables_map& vm, Streams io, const ProcessGroup& group) {
        PlanConfig c;
        c.plan = vm["plan"].as<std::string>();
        c.out = vm["out"].as<std::string>();
        c.force = vm["force"].as<bool>();
        if (vm.count("draws")) c.draws = vm["draws"].as<int>();
        c.threads = vm["threads"].as<int>(); // the common option, already checked
        c.lang = render::parse_lang(vm["lang"].as<std::string>());
        c.figures = !vm["no-figures"].as<bool>();
        c.command_line = io.command_line;
        c.notice = [&io](const std::string& line) { io.err << "cakupan: " << line << '\n'; };
        const PlanOutcome out = run_plan(c, group);
        if (!group.root()) return 0;
        io.out << out.summary << "\n"
               << "wrote " << output_path(c.out).string() << "/ (" << out.written.size() << " files) in " << format_fixed(out.seconds, 2)
               << " s\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_plan_command() { return std::make_unique<PlanCommand>(); }

} // namespace cakupan::cli
