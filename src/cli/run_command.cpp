#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/scenario/loaded_scenario.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/run/run_scenario.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <charconv>
#include <chrono>
#include <optional>
#include <ostream>

#include <unistd.h>

namespace cakupan::cli {

namespace {

Mode parse_mode(const std::string& s) {
    if (s == "stochastic") return Mode::stochastic;
    if (s == "expected") return Mode::expected;
    throw UsageError("--mode: '" + s + "' is not a mode (expected stochastic or expected)");
}

// Digits only: Boost would read "-5" as 2^64 - 5.
std::uint64_t parse_seed(const std::string& s) {
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seed);
    if (s.empty() || s[0] == '-' || s[0] == '+' || ec != std::errc() || end != s.data() + s.size())
        throw UsageError("--seed: '" + s + "' is not a whole number from 0 to 18446744073709551615");
    return seed;
}

std::string rupiah(double v) { return "Rp" + format_count(v); }

class RunCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("scenario", po::value<std::string>()->required(), "scenario file (TOML)")
            ("out", po::value<std::string>()->required(), "run directory to write")
            ("draws", po::value<int>(), "stochastic draws (default: the scenario's run.draws)")
            ("seed", po::value<std::string>(), "random seed, a whole number 0 to 18446744073709551615 (default: the scenario's run.seed)")
            ("mode", po::value<std::string>(), "stochastic or expected (default: the scenario's run.mode)")
            ("uncertainty", po::value<std::string>(),
             "parameters (draw each uncertain parameter from its plausible range in every draw) or none "
             "(binomial noise only); default: the scenario's run.uncertainty")
            ("force", po::bool_switch(), "replace an earlier run in --out (only what it wrote; never a directory holding other files)")
            ("quiet", po::bool_switch(), "no progress bar")
            ("region-timeseries", po::bool_switch(),
             "timeseries.csv with a row per region, date and percentile (default: only for layers of at most 1,000 regions)")
            ("no-region-timeseries", po::bool_switch(), "timeseries.csv with the all-region rows only")
            ("lang", po::value<std::string>()->default_value("id"), "language of the maps, charts and report: id or en")
            ("figure-format", po::value<std::string>()->default_value("png,svg"),
             "formats of maps/ and charts/, comma-separated: png, svg, pdf")
            ("no-maps", po::bool_switch(), "no maps/ (and no maps in the report)")
            ("no-charts", po::bool_switch(), "no charts/ files (the report still has its charts)")
            ("no-report", po::bool_switch(), "no report.html");
        positional.add("scenario", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        // Every option is checked before the inputs are read, so a typo costs no time.
        RunConfig c;
        c.scenario = vm["scenario"].as<std::string>();
        c.out = vm["out"].as<std::string>();
        c.force = vm["force"].as<bool>();
        if (vm.count("mode")) c.mode = parse_mode(vm["mode"].as<std::string>());
        if (vm.count("draws")) c.draws = vm["draws"].as<int>();
        if (vm.count("seed")) c.seed = parse_seed(vm["seed"].as<std::string>());
        if (vm.count("uncertainty")) {
            const std::string u = vm["uncertainty"].as<std::string>();
            if (u != "parameters" && u != "none") throw UsageError("--uncertainty: '" + u + "' is not a choice (expected parameters or none)");
            c.vary_parameters = u == "parameters";
        }
        if (vm["region-timeseries"].as<bool>() && vm["no-region-timeseries"].as<bool>())
            throw UsageError("--region-timeseries and --no-region-timeseries: choose one");
        if (vm["region-timeseries"].as<bool>()) c.region_timeseries = true;
        if (vm["no-region-timeseries"].as<bool>()) c.region_timeseries = false;
        c.figures.lang = render::parse_lang(vm["lang"].as<std::string>());
        c.figures.formats = parse_figure_formats(vm["figure-format"].as<std::string>());
        c.figures.formats_chosen = !vm["figure-format"].defaulted();
        c.figures.maps = !vm["no-maps"].as<bool>();
        c.figures.charts = !vm["no-charts"].as<bool>();
        c.figures.report = !vm["no-report"].as<bool>();
        c.command_line = io.command_line;
        c.notice = [&io](const std::string& line) { io.err << "cakupan: " << line << '\n'; };
        const bool bar = !vm["quiet"].as<bool>() && ::isatty(STDERR_FILENO);
        if (bar)
            c.progress = [&io](double share) {
                const int width = 40, filled = static_cast<int>(share * width);
                io.err << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
                       << std::string(static_cast<std::size_t>(width - filled), ' ') << "] "
                       << static_cast<int>(share * 100) << "%" << (share >= 1 ? "\r" + std::string(48, ' ') + "\r" : "") << std::flush;
            };
        if (bar)
            c.step = [&io](const std::string& step) {
                const std::string line = "[" + std::string(40, '#') + "] 100% " + step;
                io.err << "\r" << line << std::string(line.size() < 60 ? 60 - line.size() : 0, ' ') << std::flush;
            };

        const auto clear = [&] {
            if (bar) io.err << "\r" << std::string(60, ' ') << "\r" << std::flush;
        };
        const RunOutcome run = [&] {
            try {
                return run_scenario(c);
            } catch (...) {
                clear(); // the error on a line of its own
                throw;
            }
        }();
        clear();
        const LoadedScenario& loaded = run.simulation->inputs();
        const RunResult& result = run.result;
        print_table(io.out, run.data.summary);
        print_funders(io.out, run.data.summary);
        for (const auto& line : run.data.summary.warnings) io.err << "cakupan: warning: " << line << '\n';
        io.out << "\n" << loaded.regions.size() << " regions x " << result.calendar.steps() << " steps x " << result.draws
               << (result.mode == Mode::expected ? " expected path" : " draws") << " x " << result.variants.size()
               << " variant(s) in " << format_fixed(run.engine_seconds, 3) << " s; wrote " << output_path(c.out).string() << "/\n";
        return 0;
    }

private:
    // Every cost of each variant (premiums, stated costs and the levers' own) by who pays it.
    static void print_funders(std::ostream& os, const RunSummary& s) {
        os << "\nspend by funder (lever costs included):\n";
        for (const auto& v : s.variants) {
            os << "  " << v.name << ":";
            bool any = false;
            for (const auto& [funder, x] : v.spend_by_funder) {
                if (x <= 0) continue;
                os << (any ? ", " : " ") << funder << " " << rupiah(x);
                any = true;
            }
            os << (any ? "" : " nothing") << "\n";
        }
    }

    // The table of the run as summary.json holds it.
    static void print_table(std::ostream& os, const RunSummary& s) {
        os << s.scenario_name << (s.scenario_title.empty() ? "" : ": " + s.scenario_title) << "\n";
        os << "coverage on " << s.end << " (start " << s.start << ": " << format_percent(s.variants.front().coverage_start)
           << "), target " << format_percent(s.target) << ", "
           << (s.mode == "expected" ? "expected path"
                                    : std::to_string(s.draws) + " draws" +
                                          (s.parameter_uncertainty ? " with uncertain parameters" : ", binomial noise only"))
           << "\n\n";
        std::size_t w = 7;
        for (const auto& v : s.variants) w = std::max(w, v.name.size());
        auto pad = [](std::string t, std::size_t n) {
            if (t.size() < n) t.resize(n, ' ');
            return t;
        };
        auto lpad = [](const std::string& t, std::size_t n) { return t.size() < n ? std::string(n - t.size(), ' ') + t : t; };
        os << pad("variant", w) << "  " << lpad("median", 7) << "  " << lpad("p5-p95", 15) << "  " << lpad("P(target)", 9)
           << "  " << lpad("spend", 18) << "  " << lpad("per member", 12) << "\n";
        for (const auto& v : s.variants) {
            const auto& e = v.coverage_end;
            os << pad(v.name, w) << "  " << lpad(format_percent(e.p50), 7) << "  "
               << lpad(format_percent(e.p5) + "-" + format_percent(e.p95), 15) << "  "
               << lpad(format_fixed(100 * v.probability, 1) + "%", 9) << "  " << lpad(rupiah(v.spend), 18) << "  "
               << lpad(v.cost_per_added_member > 0 ? rupiah(v.cost_per_added_member) : "-", 12) << "\n";
        }
    }
};

} // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

} // namespace cakupan::cli
