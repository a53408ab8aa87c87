// Calibration: known parameters recovered from observations the model itself produced, the same
// bytes on any thread count, hold-out scoring, the calibrated model file, and exact errors for bad
// calibration files.
#include "cakupan/calibrate/calibration.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/model.hpp"
#include "calibration_support.hpp"
#include "scenario_support.hpp"
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <numbers>
#include <random>
#include <set>

namespace cakupan {
namespace {

const ProcessGroup& group() { return test::calibration_group(); }

using ::testing::HasSubstr;
using test::TempDir;

constexpr double kFormal = 1.1, kInformal = 1.05; // replacement: the truth the observations are made from

std::string scenario_text() {
    return "[scenario]\nname = \"synthetic\"\n\n[data]\nboundaries = \"" + test::geodata("boundaries/babel_19.gpkg") +
           "\"\nlayer = \"kabkota\"\nstatistics = \"" + test::geodata("statistics/babel_kabkota_2025-06.csv") +
           "\"\ncontiguity = \"queen\"\n\n[model]\nname = \"jamsostek-estimates\"\n\n[period]\nstart = 2025-06-01\nend = 2025-12-31\n"
           "step = \"month\"\n\n[target]\ncoverage = 0.5717\n\n[run]\nmode = \"expected\"\n";
}

// Active members per kab/kota at the end of each month, from the model with the true parameters.
void write_observations(const std::string& scenario, const std::string& fitted, const std::string& held_out) {
    Diagnostics notes;
    const Simulation sim = Simulation::load(scenario, notes);
    Settings s;
    s.parameters = {{"replacement.formal", kFormal}, {"replacement.informal", kInformal}};
    const RunResult r = sim.evaluate(s, 1);
    const VariantResult& v = r.variants.front();
    const std::string header = "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n";
    std::ofstream a(fitted), b(held_out);
    a << header;
    b << header;
    const auto& regions = sim.inputs().regions;
    for (std::size_t k = 1; k <= 7; ++k)
        for (std::size_t i = 0; i < regions.size(); ++i) {
            const double actives = std::round(v.mean(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) *
                                              v.workers(static_cast<Eigen::Index>(i)));
            (k <= 5 ? a : b) << "kabkota," << regions.ids[i] << "," << regions.names[i] << ",2025-" << (k + 5 < 10 ? "0" : "")
                             << (k + 5) << ",bpjstk_participants_active," << static_cast<long long>(actives)
                             << ",persons,exact,model,\n";
        }
}

struct Synthetic {
    TempDir dir;
    std::string calibration;
    Synthetic(const std::string& extra = "") {
        std::ofstream(dir / "synthetic.toml") << scenario_text();
        write_observations(dir / "synthetic.toml", dir / "observed.csv", dir / "later.csv");
        calibration = dir / "synthetic.calibration.toml";
        std::ofstream(calibration) << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = [\"observed.csv\"]\n"
                                      "discrepancy = 0.002\nseed = 7\n" << extra
                                   << "\n[fit]\nstarts = 4\nevaluations = 300\n\n[posterior]\nchains = 3\nburn_in = 400\n"
                                      "samples = 600\nthin = 3\n\n[[parameter]]\nkey = \"replacement.formal\"\nlow = 0.8\nhigh = 1.3\n\n"
                                      "[[parameter]]\nkey = \"parameters.replacement.informal\"\nlow = 0.8\nhigh = 1.3\n";
    }
    CalibrationOutcome run(const std::string& out, int threads, bool holdout = false, int rolling = 0,
                           render::Lang lang = render::Lang::id) const {
        CalibrationConfig c;
        c.lang = lang;
        c.rolling = rolling;
        c.calibration = calibration;
        c.out = dir / out;
        c.threads = threads;
        if (holdout) c.holdout = dir / "later.csv";
        return run_calibration(c, group());
    }
};

TEST(Calibration, RecoversKnownParameters) {
    const Synthetic s;
    const CalibrationOutcome r = s.run("out", 2);
    ASSERT_EQ(r.parameters.size(), 2u);
    const double truth[] = {kFormal, kInformal};
    for (std::size_t j = 0; j < 2; ++j) {
        const auto& p = r.parameters[j];
        SCOPED_TRACE(p.key);
        EXPECT_NEAR(p.best, truth[j], 0.02 * truth[j]); // the optimiser finds the truth within 2%
        EXPECT_LE(p.p5, truth[j]);                      // and the posterior's 90% interval holds it
        EXPECT_GE(p.p95, truth[j]);
        EXPECT_LT(p.rhat, 1.1);
    }
    EXPECT_EQ(r.fit.n, 35u); // 7 kab/kota x 5 months
    EXPECT_LT(r.fit.mape, 0.5);
    EXPECT_GE(r.fit.inside90, 0.8);
}

TEST(Calibration, SameBytesOnAnyThreadCount) {
    const Synthetic s;
    s.run("one", 1, true);
    s.run("three", 3, true);
    // Every file, the fit charts and report.html included (manifest.json names the command only).
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(s.dir.path() / "one"))
        if (e.is_regular_file()) files.push_back(std::filesystem::relative(e.path(), s.dir.path() / "one").generic_string());
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files.size(), 7u + 2 * 7u); // 7 kab/kota series, each charted as SVG and PNG
    for (const auto& f : files)
        EXPECT_EQ(test::slurp(s.dir.path() / "one" / f), test::slurp(s.dir.path() / "three" / f)) << f;
}

TEST(Calibration, FitChartsAndReportPerSeries) {
    const Synthetic s;
    const CalibrationOutcome r = s.run("out", 2, true, 0, render::Lang::en);
    const auto dir = s.dir.path() / "out";
    const std::string html = test::slurp(dir / "report.html");
    EXPECT_THAT(html, HasSubstr("<html lang=\"en\">"));
    EXPECT_THAT(html, HasSubstr("<h2>Estimates</h2>"));
    EXPECT_THAT(html, HasSubstr("<td>replacement.formal</td><td>uniform [0.8, 1.3]</td>"));
    EXPECT_THAT(html, HasSubstr("<td>hold-out</td><td class=\"num\">14</td>"));
    std::size_t figures = 0;
    for (auto at = html.find("<figure>"); at != std::string::npos; at = html.find("<figure>", at + 1)) ++figures;
    EXPECT_EQ(figures, 7u);
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    const std::string svg = test::slurp(dir / "charts" / "fit-kabkota-19.01-bpjstk_participants_active.svg");
    EXPECT_THAT(svg, HasSubstr("<svg"));
    EXPECT_EQ(test::slurp(dir / "charts" / "fit-kabkota-19.01-bpjstk_participants_active.png").substr(1, 3), "PNG");
    EXPECT_EQ(r.fits.size(), 49u);
}

TEST(Calibration, HoldOutIsProjectedAndScoredNotFitted) {
    const Synthetic s;
    const CalibrationOutcome r = s.run("out", 2, true);
    EXPECT_EQ(r.fit.n, 35u);
    EXPECT_EQ(r.holdout.n, 14u); // November and December
    EXPECT_LT(r.holdout.mape, 1.0);
    const std::string csv = test::slurp(s.dir.path() / "out" / "holdout.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n')), "region_level,kode,period,indicator,observed,p5,p50,p95\r");
    EXPECT_THAT(csv, HasSubstr("kabkota,19.01,2025-12,bpjstk_participants_active,"));
}

TEST(Calibration, RollingOriginBacktests) {
    const Synthetic s;
    const CalibrationOutcome r = s.run("out", 2, false, 2);
    // Origins June to September (October is the last month observed); each projects up to 2 months.
    ASSERT_EQ(r.backtest_scores.size(), 2u);
    EXPECT_EQ(r.backtest_scores[0].n, 28u); // 4 origins x 7 kab/kota, one month ahead
    EXPECT_EQ(r.backtest_scores[1].n, 21u); // 3 origins reach two months ahead
    for (const auto& b : r.backtest) {
        EXPECT_GE(b.horizon, 1);
        EXPECT_LE(b.horizon, 2);
        EXPECT_TRUE(b.fit.holdout);
    }
    EXPECT_LT(r.backtest_scores[0].mape, 1.0);
    const std::string csv = test::slurp(s.dir.path() / "out" / "backtest.csv");
    EXPECT_THAT(csv, HasSubstr("2025-06,1,kabkota,19.01,2025-07,bpjstk_participants_active,"));
}

TEST(Calibration, CalibratedModelLoadsWithPosteriorValues) {
    const Synthetic s;
    const CalibrationOutcome r = s.run("out", 2);
    const Model m = load_model((s.dir.path() / "out" / "model.toml").string());
    EXPECT_EQ(m.name, "synthetic");
    const Parameter* formal = m.find("replacement.formal");
    ASSERT_NE(formal, nullptr);
    EXPECT_EQ(formal->evidence, Evidence::calibrated);
    EXPECT_NEAR(formal->value, r.parameters[0].p50, 1e-5 * r.parameters[0].p50);
    EXPECT_NEAR(formal->low, r.parameters[0].p5, 1e-5 * r.parameters[0].p5);
    EXPECT_NEAR(formal->high, r.parameters[0].p95, 1e-5 * r.parameters[0].p95);
    EXPECT_EQ(m.find("lapse.formal")->evidence, Evidence::estimate); // untouched
}

void expect_error(const std::string& extra_calibration, const std::string& expected, const char* observations = nullptr) {
    Synthetic s(extra_calibration);
    if (observations != nullptr) std::ofstream(s.dir / "observed.csv", std::ios::app) << observations;
    try {
        s.run("out", 1);
        FAIL() << "no error";
    } catch (const Error& e) {
        std::string what = e.what();
        const std::string prefix = s.dir.path().string() + "/";
        for (auto p = what.find(prefix); p != std::string::npos; p = what.find(prefix)) what.erase(p, prefix.size());
        EXPECT_EQ(what, expected);
    }
    EXPECT_FALSE(std::filesystem::exists(s.dir / "out"));
}

// The model's own error estimated (discrepancy = "estimate"): observations made from the model's
// actives times (1 + d z), z fixed standard normal draws (a seeded std::mt19937_64 through
// Box-Muller), d = 0.05, fitted with the model parameters.
constexpr double kDiscrepancy = 0.05;

struct Noisy {
    TempDir dir;
    std::string calibration;
    explicit Noisy(const std::string& discrepancy = "discrepancy = \"estimate\"\n",
                   const std::string& parameter = "[[parameter]]\nkey = \"observation.discrepancy\"\nlow = 0.005\nhigh = 0.3\n") {
        std::ofstream(dir / "synthetic.toml") << scenario_text();
        Diagnostics notes;
        const Simulation sim = Simulation::load(dir / "synthetic.toml", notes);
        Settings st;
        st.parameters = {{"replacement.formal", kFormal}, {"replacement.informal", kInformal}};
        const RunResult r = sim.evaluate(st, 1);
        const VariantResult& v = r.variants.front();
        std::mt19937_64 gen(20250601);
        auto uniform = [&] { return (static_cast<double>(gen() >> 11) + 0.5) * 0x1.0p-53; };
        std::ofstream out(dir / "noisy.csv");
        out << "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n";
        const auto& regions = sim.inputs().regions;
        for (std::size_t k = 1; k <= 7; ++k)
            for (std::size_t i = 0; i < regions.size(); ++i) {
                const double u1 = uniform(), u2 = uniform();
                const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
                const double model = v.mean(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) *
                                     v.workers(static_cast<Eigen::Index>(i));
                out << "kabkota," << regions.ids[i] << ",," << "2025-" << (k + 5 < 10 ? "0" : "") << (k + 5)
                    << ",bpjstk_participants_active," << std::llround(model * (1 + kDiscrepancy * z)) << ",persons,exact,model,\n";
            }
        calibration = dir / "noisy.calibration.toml";
        std::ofstream(calibration) << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = [\"noisy.csv\"]\n" << discrepancy
                                   << "seed = 3\n\n[fit]\nstarts = 4\nevaluations = 300\n\n[posterior]\nchains = 3\nburn_in = 1500\n"
                                      "samples = 1500\nthin = 3\n\n[[parameter]]\nkey = \"replacement.formal\"\nlow = 0.8\nhigh = 1.3\n\n"
                                      "[[parameter]]\nkey = \"replacement.informal\"\nlow = 0.8\nhigh = 1.3\n\n"
                                   << parameter;
    }
    CalibrationOutcome run(const std::string& out, int threads) const {
        CalibrationConfig c;
        c.calibration = calibration;
        c.out = dir / out;
        c.threads = threads;
        return run_calibration(c, group());
    }
    std::string error() const {
        std::string what = "no error";
        try {
            run("out", 1);
        } catch (const Error& e) {
            what = e.what();
        }
        const std::string prefix = dir.path().string() + "/";
        for (auto p = what.find(prefix); p != std::string::npos; p = what.find(prefix)) what.erase(p, prefix.size());
        EXPECT_FALSE(std::filesystem::exists(dir / "out"));
        return what;
    }
};

TEST(Calibration, RecoversAKnownDiscrepancy) {
    const Noisy n;
    const CalibrationOutcome r = n.run("out", 2);
    ASSERT_EQ(r.parameters.size(), 3u);
    const auto& d = r.parameters[2];
    EXPECT_EQ(d.key, "observation.discrepancy");
    EXPECT_LE(d.p5, kDiscrepancy); // the 90% interval holds the truth
    EXPECT_GE(d.p95, kDiscrepancy);
    EXPECT_GT(d.p5, 0.02);         // and is not the prior's (0.005 to 0.3)
    EXPECT_LT(d.p95, 0.1);
    EXPECT_LT(d.rhat, 1.1);
    // With the estimated error in the bands, about 90% of the observations lie inside them.
    EXPECT_EQ(r.fit.n, 49u);
    EXPECT_GE(r.fit.inside90, 0.8);
    EXPECT_LE(r.fit.inside90, 0.98);
    const std::string json = test::slurp(n.dir.path() / "out" / "calibration.json");
    EXPECT_THAT(json, HasSubstr("\"discrepancy\": \"estimate\""));
    EXPECT_THAT(json, HasSubstr("\"observation_parameters\": [\n    {\n      \"key\": \"observation.discrepancy\""));
    EXPECT_EQ(test::slurp(n.dir.path() / "out" / "model.toml").find("observation."), std::string::npos);
}

TEST(Calibration, EstimatedDiscrepancySameBytesOnAnyThreadCount) {
    const Noisy n;
    n.run("one", 1);
    n.run("three", 3);
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(n.dir.path() / "one"))
        if (e.is_regular_file() && e.path().filename() != "manifest.json")
            files.push_back(std::filesystem::relative(e.path(), n.dir.path() / "one").generic_string());
    EXPECT_EQ(files.size(), 5u + 2 * 7u); // model, fit, posterior, json, report and 7 charts as SVG and PNG
    for (const auto& f : files)
        EXPECT_EQ(test::slurp(n.dir.path() / "one" / f), test::slurp(n.dir.path() / "three" / f)) << f;
}

TEST(Calibration, EstimatedDiscrepancyNeedsItsParameter) {
    EXPECT_EQ(Noisy("discrepancy = \"estimate\"\n", "").error(),
              "noisy.calibration.toml:4:15: calibration.discrepancy = \"estimate\" needs the observation parameter "
              "'observation.discrepancy': declare it in a [[parameter]] table with key, low and high");
}

TEST(Calibration, DiscrepancyParameterNeedsEstimate) {
    EXPECT_EQ(Noisy("discrepancy = 0.03\n").error(),
              "noisy.calibration.toml:27:1: parameter[2]: observation parameter 'observation.discrepancy' is estimated only "
              "with calibration.discrepancy = \"estimate\" (the discrepancy is 0.03)");
    EXPECT_EQ(Noisy("").error(),
              "noisy.calibration.toml:26:1: parameter[2]: observation parameter 'observation.discrepancy' is estimated only "
              "with calibration.discrepancy = \"estimate\" (the discrepancy is 0.03, the default)");
}

TEST(Calibration, DiscrepancyWordOrBounds) {
    EXPECT_EQ(Noisy("discrepancy = \"estimated\"\n").error(),
              "noisy.calibration.toml:4:15: calibration.discrepancy: 'estimated' is not a discrepancy: write a share of the "
              "observed value from 0 to below 1, e.g. 0.03, or \"estimate\"");
    EXPECT_EQ(Noisy("discrepancy = \"estimate\"\n", "[[parameter]]\nkey = \"observation.discrepancy\"\nlow = 0.01\nhigh = 1.5\n")
                  .error(),
              "noisy.calibration.toml:27:1: parameter 'observation.discrepancy': the bounds [0.01, 1.5] leave 0 to 1, the range "
              "of calibration.discrepancy (noisy.calibration.toml:4:15)");
}

TEST(Calibration, UnknownParameterNamesTheNearest) {
    Synthetic s;
    std::ofstream(s.calibration, std::ios::app) << "\n[[parameter]]\nkey = \"lapse.informl\"\n";
    try {
        s.run("out", 1);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_THAT(e.what(), HasSubstr("synthetic.calibration.toml:27:1: parameter: 'lapse.informl' is not a parameter of model "));
        EXPECT_THAT(e.what(), HasSubstr("(did you mean 'lapse.informal'?)"));
    }
}

TEST(Calibration, ObservationForAnUnknownRegion) {
    expect_error("", "observed.csv:37: observation for region 19.99 (Nowhere): no region of " +
                         test::geodata("boundaries/babel_19.gpkg") + " has this code or lies within it",
                 "kabkota,19.99,Nowhere,2025-07,bpjstk_participants_active,5,persons,exact,,\n");
}

TEST(Calibration, ObservationOutsideThePeriod) {
    expect_error("", "observed.csv:37: observation at the end of 2024-12 lies outside the period of synthetic.toml "
                     "(2025-06-01 to 2025-12-31) or not at the end of one of its steps",
                 "kabkota,19.01,Bangka,2024-12,bpjstk_participants_active,5,persons,exact,,\n");
}

TEST(Calibration, ObservationWithoutPrecision) {
    expect_error("", "observed.csv:37:8: precision is missing (write 'exact' or the rounding step, such as '0.01 million')",
                 "kabkota,19.01,Bangka,2025-07,bpjstk_participants_active,5,persons,,,\n");
}

TEST(Calibration, MisspeltKeyInTheFile) {
    Synthetic s;
    std::ofstream(s.calibration) << "[calibration]\nscenario = \"synthetic.toml\"\nobservation = [\"observed.csv\"]\n";
    try {
        load_calibration(s.calibration);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_THAT(e.what(), HasSubstr("synthetic.calibration.toml:3:15: calibration.observation: unknown key (did you mean "
                                        "'observations'?); expected one of: name, title, model_name, scenario, variant, observations,"));
    }
}

TEST(Calibration, IndicatorTheModelDoesNotProduce) {
    Synthetic s;
    std::ofstream(s.calibration) << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = \"observed.csv\"\n"
                                    "indicators = [\"bpjstk_participants_activ\"]\n[[parameter]]\nkey = \"bass_q\"\n";
    try {
        load_calibration(s.calibration);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_THAT(e.what(), HasSubstr("synthetic.calibration.toml:4:15: calibration.indicators: 'bpjstk_participants_activ' "
                                        "is not an indicator the model produces (did you mean 'bpjstk_participants_active'?)"));
    }
}

} // namespace
} // namespace cakupan

namespace cakupan {
namespace {

// The default model is what the national calibration writes: running it again from a clean
// checkout gives models/jamsostek.toml byte for byte (thread count and all).
TEST(NationalCalibration, ReproducesTheDefaultModel) {
    TempDir dir;
    CalibrationConfig c;
    c.calibration = test::source("models/indonesia-provinces.calibration.toml");
    c.out = dir / "cal";
    c.threads = 2;
    const CalibrationOutcome r = run_calibration(c, group());
    std::ifstream shipped(test::source("models/jamsostek.toml"), std::ios::binary);
    const std::string expected((std::istreambuf_iterator<char>(shipped)), std::istreambuf_iterator<char>());
    EXPECT_EQ(r.model_text, expected) << "re-make it: cakupan calibrate models/indonesia-provinces.calibration.toml --out DIR, "
                                         "then copy DIR/model.toml to models/jamsostek.toml";
    for (const auto& p : r.parameters) EXPECT_LT(p.rhat, 1.1) << p.key;
    EXPECT_GE(r.fit.inside90, 0.8);

    // Every parameter it estimates is marked calibrated, the others are the estimates' own.
    const Model calibrated = load_model(test::source("models/jamsostek.toml"));
    const Model estimates = load_model(test::source("models/jamsostek-estimates.toml"));
    EXPECT_EQ(calibrated.name, "jamsostek");
    ASSERT_EQ(calibrated.parameters.size(), estimates.parameters.size());
    std::set<std::string> estimated;
    for (const auto& p : r.parameters)
        if (p.key.rfind("observation.", 0) != 0) estimated.insert(p.key.substr(0, p.key.find('@')));
    for (std::size_t i = 0; i < calibrated.parameters.size(); ++i) {
        const auto& a = calibrated.parameters[i];
        const auto& b = estimates.parameters[i];
        SCOPED_TRACE(a.key);
        EXPECT_EQ(a.key, b.key);
        if (estimated.count(a.key) != 0) {
            EXPECT_EQ(a.evidence, Evidence::calibrated);
        } else {
            EXPECT_EQ(a.value, b.value);
            EXPECT_EQ(a.evidence, b.evidence);
        }
    }
    EXPECT_EQ(estimated.size(), 5u); // replacement.formal, renewal_delay, lapse.formal, january_gap, bass_p
}

} // namespace
} // namespace cakupan

namespace cakupan {
namespace {

// Partial pooling: kab/kota trends around the provincial one. Observations made by the model with
// replacement.formal = 1.1 and multipliers 1.05 (19.01) and 0.95 (19.71), 1 elsewhere; the
// calibration estimates the national value and one multiplier per kab/kota with a Normal(1, 0.05)
// prior. Each kab/kota's own trend (national x multiplier) is found within 1%, the two that
// differ are told apart, and the multipliers never enter the calibrated model file.
TEST(Calibration, PooledMultipliersPerRegion) {
    TempDir dir;
    std::ofstream(dir / "s.toml") << scenario_text();
    Diagnostics notes;
    const Simulation sim = Simulation::load(dir / "s.toml", notes);
    Settings st;
    st.parameters = {{"replacement.formal", 1.1}, {"replacement.formal#19.01", 1.05}, {"replacement.formal#19.71", 0.95}};
    const Trajectory t = sim.trace(st, 1);
    const auto& regions = sim.inputs().regions;
    std::ofstream obs(dir / "o.csv");
    obs << "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n";
    for (std::size_t k = 1; k <= 7; ++k)
        for (std::size_t i = 0; i < regions.size(); ++i) {
            const auto r = static_cast<Eigen::Index>(i);
            obs << "kabkota," << regions.ids[i] << ",,2025-" << (k + 5 < 10 ? "0" : "") << (k + 5) << ",bpjstk_participants_active,"
                << std::llround(t.active[k].row(r).sum() + t.funded[k].row(r).sum()) << ",persons,exact,model,\n";
        }
    obs.close();
    std::ofstream(dir / "p.calibration.toml")
        << "[calibration]\nscenario = \"s.toml\"\nobservations = [\"o.csv\"]\ndiscrepancy = 0.001\nseed = 5\n\n[fit]\nstarts = 4\n"
           "evaluations = 600\n\n[posterior]\nchains = 2\nburn_in = 600\nsamples = 600\nthin = 3\n\n[[parameter]]\n"
           "key = \"replacement.formal\"\nlow = 0.8\nhigh = 1.4\nper = \"kabkota\"\npooling = 0.05\n";
    CalibrationConfig c;
    c.calibration = dir / "p.calibration.toml";
    c.out = dir / "out";
    c.threads = 2;
    const CalibrationOutcome r = run_calibration(c, group());
    ASSERT_EQ(r.parameters.size(), 8u); // the national value and 7 kab/kota
    EXPECT_EQ(r.parameters[0].key, "replacement.formal");
    std::map<std::string, double> best;
    for (const auto& p : r.parameters) best[p.key] = p.best;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const std::string code = regions.ids[i];
        const double truth = 1.1 * (code == "19.01" ? 1.05 : code == "19.71" ? 0.95 : 1.0);
        EXPECT_NEAR(best["replacement.formal"] * best["replacement.formal#" + code], truth, 0.01 * truth) << code;
    }
    EXPECT_GT(best["replacement.formal#19.01"], best["replacement.formal#19.02"]);
    EXPECT_LT(best["replacement.formal#19.71"], best["replacement.formal#19.02"]);
    const std::string model = r.model_text;
    EXPECT_EQ(model.find("#19"), std::string::npos);
    std::ifstream html(std::filesystem::path(c.out) / "report.html");
    const std::string report((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
    EXPECT_THAT(report, HasSubstr("<td>replacement.formal#19.71</td><td>normal(1, 0,05)</td>") /* the report is in Bahasa Indonesia */);
}

TEST(Calibration, PoolingErrors) {
    auto error_of = [](const std::string& extra) {
        TempDir dir;
        std::ofstream(dir / "s.toml") << scenario_text();
        std::ofstream(dir / "o.csv") << "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n"
                                        "kabkota,19.01,,2025-07,bpjstk_participants_active,30000,persons,exact,model,\n";
        std::ofstream(dir / "p.calibration.toml") << "[calibration]\nscenario = \"s.toml\"\nobservations = [\"o.csv\"]\n\n[[parameter]]\n" << extra;
        return test::calibration_error(dir, "p.calibration.toml");
    };
    EXPECT_EQ(error_of("key = \"replacement.formal\"\nper = \"kabkota\"\n"),
              "p.calibration.toml:5:1: parameter[0]: per = \"kabkota\" needs pooling = SD, the spread of the regional multipliers around 1 "
              "(e.g. 0.05)");
    EXPECT_EQ(error_of("key = \"bass_p\"\nper = \"kabkota\"\npooling = 0.1\n"),
              "p.calibration.toml:7:7: parameter[0].per: only replacement.<segment> varies by region, not 'bass_p'");
    EXPECT_EQ(error_of("key = \"replacement.formal\"\npooling = 0.1\n"),
              "p.calibration.toml:7:11: parameter[0].pooling: only with per = \"LEVEL\" (one multiplier per region of that level)");
    EXPECT_THAT(error_of("key = \"replacement.formal\"\nper = \"kabupaten\"\npooling = 0.1\n"),
                HasSubstr("p.calibration.toml:5:1: parameter 'replacement.formal': per = \"kabupaten\" is not a level of "));
}

} // namespace
} // namespace cakupan
