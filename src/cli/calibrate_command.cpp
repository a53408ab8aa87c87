#include "cakupan/calibrate/calibration.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/render/lang.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <cstdio>
#include <ostream>

namespace cakupan::cli {

namespace {

std::string significant(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

class CalibrateCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("calibration", po::value<std::string>()->required(), "calibration file (TOML, docs/calibration.md)")
            ("out", po::value<std::string>()->required(), "calibration directory to write")
            ("holdout", po::value<std::string>()->default_value(""),
             "observation table kept aside: projected and scored, never fitted (holdout.csv)")
            ("rolling", po::value<int>()->default_value(0),
             "rolling-origin backtests: fit up to each month observed, project N months ahead (backtest.csv)")
            ("lang", po::value<std::string>()->default_value("id"), "language of the fit charts and report.html: id or en")
            ("force", po::bool_switch(), "replace the --out directory of an earlier calibration (only what it wrote)")
            ("quiet", po::bool_switch(), "no progress lines");
        positional.add("calibration", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        return on_every_process([&](const ProcessGroup& group) { return body(vm, io, group); });
    }

private:
    static int body(const po::variables_map& vm, Streams io, const ProcessGroup& group) {
        CalibrationConfig config;
        config.calibration = vm["calibration"].as<std::string>();
        config.out = vm["out"].as<std::string>();
        config.holdout = vm["holdout"].as<std::string>();
        config.force = vm["force"].as<bool>();
        config.rolling = vm["rolling"].as<int>();
        config.lang = render::parse_lang(vm["lang"].as<std::string>());
        if (config.rolling < 0 || config.rolling > 120)
            throw UsageError("--rolling: " + std::to_string(config.rolling) + " is out of range: expected 1 to 120 months (0 = none)");
        config.command_line = io.command_line;
        if (group.root()) remove_leftovers_beside(config.out, io.err);
        if (!vm["quiet"].as<bool>()) config.progress = [&](const std::string& line) { io.err << "cakupan: " << line << "\n"; };
        const CalibrationOutcome r = run_calibration(config, group);
        if (!group.root()) return 0;

        io.out << "parameter                      best        p50      90% interval          R-hat\n";
        for (const auto& p : r.parameters) {
            std::string key = p.key;
            key.resize(std::max<std::size_t>(key.size(), 30), ' ');
            io.out << key << " " << significant(p.best) << "\t" << significant(p.p50) << "\t[" << significant(p.p5) << ", "
                   << significant(p.p95) << "]\t" << format_fixed(p.rhat, 3) << "\n";
        }
        auto scores = [&](const char* what, const FitScores& s) {
            if (s.n == 0) return;
            io.out << what << ": " << s.n << " observations, RMSE " << format_count(s.rmse) << " persons, MAPE "
                   << format_fixed(s.mape, 1) << "% (median " << format_fixed(s.median_ape, 1) << "%), "
                   << format_fixed(100 * s.inside90, 0) << "% inside their 90% band\n";
        };
        scores("fit", r.fit);
        scores("hold-out", r.holdout);
        for (std::size_t h = 0; h < r.backtest_scores.size(); ++h)
            if (r.backtest_scores[h].n > 0)
                scores(("backtest " + std::to_string(h + 1) + " month" + (h == 0 ? "" : "s") + " ahead").c_str(), r.backtest_scores[h]);
        io.out << "posterior acceptance " << format_fixed(r.acceptance, 2) << "; " << r.evaluations << " model evaluations, "
               << format_fixed(r.seconds_per_evaluation * 1e6, 0) << " us each\n";
        io.out << "wrote " << config.out << " (model.toml, fit.csv, posterior.csv, calibration.json"
               << (config.holdout.empty() ? "" : ", holdout.csv") << (config.rolling > 0 ? ", backtest.csv" : "")
               << ", charts/fit-*.svg|png, report.html)\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_calibrate_command() { return std::make_unique<CalibrateCommand>(); }

} // namespace cakupan::cli
