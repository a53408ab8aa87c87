// The observation model of a calibration: measures computed by hand from the model's trajectory
// (segment sums, scale, percent of workers), the workplace hub moving exactly its share of other
// regions' members with totals unchanged, known observation parameters recovered from observations
// made here from a trace, the same estimates on any thread count, and exact errors.
#include "cakupan/calibrate/calibration.hpp"
#include "cakupan/common/error.hpp"
#include "calibrate/calibration_fit.hpp"
#include "calibrate/observation_model.hpp"
#include "calibration_support.hpp"
#include "scenario_support.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cakupan {
namespace {

const ProcessGroup& group() { return test::calibration_group(); }

using test::TempDir;

// The model's segments (models/jamsostek-estimates.toml) as columns.
constexpr Eigen::Index kFormal = 0, kInformal = 1, kVulnerable = 2, kOfficials = 3;
constexpr double kLapse = 0.035, kPuShare = 0.9, kWorkplaceShare = 0.2; // the truth of the made observations

std::string scenario_text() {
    return "[scenario]\nname = \"synthetic\"\n\n[data]\nboundaries = \"" + test::geodata("boundaries/babel_19.gpkg") +
           "\"\nlayer = \"kabkota\"\nstatistics = \"" + test::geodata("statistics/babel_kabkota_2025-06.csv") +
           "\"\ncontiguity = \"queen\"\n\n[model]\nname = \"jamsostek\"\n\n[period]\nstart = 2025-06-01\nend = 2025-12-31\n"
           "step = \"month\"\n\n[target]\ncoverage = 0.5717\n\n[run]\nmode = \"expected\"\n";
}

const char* kHeader = "region_level,kode,region_name,period,indicator,value,unit,precision,source,source_url\n";

// Covered members of region r and segment s at report date k.
double members(const Trajectory& t, std::size_t k, Eigen::Index r, Eigen::Index s) { return t.active[k](r, s) + t.funded[k](r, s); }

struct Fixture {
    TempDir dir;
    Simulation sim;
    Fixture() : sim(load()) {}
    Simulation load() {
        std::ofstream(dir / "synthetic.toml") << scenario_text();
        std::ofstream(dir / "empty.csv") << kHeader;
        Diagnostics notes;
        return Simulation::load(dir / "synthetic.toml", notes);
    }
    const Model& model() const { return sim.inputs().scenario.variants.front().model; }
    Eigen::Index regions() const { return static_cast<Eigen::Index>(sim.inputs().regions.size()); }
    Eigen::Index region(const std::string& code) const {
        const auto& ids = sim.inputs().regions.ids;
        return static_cast<Eigen::Index>(std::find(ids.begin(), ids.end(), code) - ids.begin());
    }
    Calibration calibration(const std::string& text) const {
        std::ofstream(dir / "c.calibration.toml") << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = [\"empty.csv\"]\n"
                                                  << text;
        return load_calibration(dir / "c.calibration.toml");
    }
};

std::vector<Eigen::Index> every(Eigen::Index n) {
    std::vector<Eigen::Index> v;
    for (Eigen::Index i = 0; i < n; ++i) v.push_back(i);
    return v;
}

calibration::Target target(std::vector<Eigen::Index> regions, std::size_t measure, std::size_t step) {
    calibration::Target t;
    t.regions = std::move(regions);
    t.measure = measure;
    t.step = step;
    return t;
}

TEST(ObservationModel, MeasuresComputedByHand) {
    const Fixture f;
    const Calibration c = f.calibration(
        "[[measure]]\nindicator = \"pu\"\nsegments = [\"formal\", \"officials\"]\nscale = 0.76\n\n"
        "[[measure]]\nindicator = \"ucj\"\nsegments = [\"informal\", \"vulnerable\"]\nscale = 0.5\nunit = \"percent\"\n\n"
        "[[parameter]]\nkey = \"lapse.informal\"\n");
    ASSERT_EQ(c.measured_indicators(), (std::vector<std::string>{"pu", "ucj", "bpjstk_participants_active"}));
    const auto om = calibration::resolve_observation_model(c, f.model(), f.sim.inputs().regions, c.parameters);
    const Eigen::Index R = f.regions();
    std::vector<calibration::Target> targets;
    for (std::size_t m = 0; m < 3; ++m)
        for (std::size_t k : {0u, 3u, 7u}) {
            for (Eigen::Index r = 0; r < R; ++r) targets.push_back(target({r}, m, k));
            targets.push_back(target(every(R), m, k));
        }
    const calibration::Predictor p(f.sim, "", {"lapse.informal"}, targets, om);
    const std::vector<double> pred = p.predict({kLapse});

    Settings s;
    s.parameters = {{"lapse.informal", kLapse}};
    const Trajectory t = f.sim.trace(s, 1);
    const RunResult run = f.sim.evaluate(s, 1);
    const VariantResult& v = run.variants.front();
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& tg = targets[i];
        double pu = 0, ucj = 0, workers = 0, legacy = 0;
        for (Eigen::Index r : tg.regions) {
            pu += members(t, tg.step, r, kFormal) + members(t, tg.step, r, kOfficials);
            for (Eigen::Index sg : {kInformal, kVulnerable}) {
                ucj += members(t, tg.step, r, sg);
                workers += t.never[tg.step](r, sg) + t.active[tg.step](r, sg) + t.funded[tg.step](r, sg) + t.lapsed[tg.step](r, sg);
            }
            legacy += v.mean(r, static_cast<Eigen::Index>(tg.step)) * v.workers(r);
        }
        SCOPED_TRACE("target " + std::to_string(i));
        if (tg.measure == 0) {
            EXPECT_NEAR(pred[i], 0.76 * pu, 1e-9 * pu);
        } else if (tg.measure == 1) {
            EXPECT_NEAR(pred[i], 0.5 * ucj / workers * 100, 1e-9);
        } else {
            EXPECT_EQ(pred[i], legacy); // the built-in measure: bit for bit what evaluate() gives
        }
    }
    EXPECT_GT(pred[R], 1000.0); // the PU of all regions at the start is a real count
}

// A hand-made state of three regions and two segments, regions 1 and 2 forming the hub.
TEST(ObservationModel, WorkplaceHubCountsShareOfOthersMembers) {
    calibration::ObservationModel om;
    om.measures.push_back({"both", {0, 1}, true, {}, ObservationUnit::persons, ""});
    om.measures.push_back({"first", {0}, false, {}, ObservationUnit::persons, ""});
    om.measures.push_back({"second", {1}, false, {}, ObservationUnit::persons, ""});
    om.measures.push_back({"first_percent", {0}, false, {}, ObservationUnit::percent, ""});
    calibration::WorkplaceRef wp;
    wp.in_hub = {false, true, true};
    wp.segments = {0};
    wp.share = {0, 0, false}; // the first parameter value
    om.workplaces.push_back(wp);
    Eigen::ArrayXXd active(3, 2), funded(3, 2), zero = Eigen::ArrayXXd::Zero(3, 2), workers(3, 2);
    active << 1000, 50, 300, 40, 100, 10;
    funded << 200, 5, 0, 0, 100, 0;
    workers << 2000, 100, 600, 80, 400, 20;
    const std::vector<double> x{0.25};
    const calibration::ObservedState st(om, workers, workers - active - funded, active, funded, zero, x);
    // Region 0 lies outside: 1200 members of segment 0, a quarter (300) counted in the hub.
    EXPECT_DOUBLE_EQ(st.value(1, {0}), 900);
    EXPECT_DOUBLE_EQ(st.value(2, {0}), 55);          // the other segment stays where it lives
    EXPECT_DOUBLE_EQ(st.value(0, {0}), 955);
    // The hub's 300 + 200 members of segment 0 take the 300 in proportion: 180 and 120.
    EXPECT_DOUBLE_EQ(st.value(1, {1}), 480);
    EXPECT_DOUBLE_EQ(st.value(1, {2}), 320);
    EXPECT_DOUBLE_EQ(st.value(1, {1, 2}), 800);     // the hub as a whole: own 500 + 300
    EXPECT_DOUBLE_EQ(st.value(0, {0, 1, 2}), 1805); // a national total is unchanged
    EXPECT_DOUBLE_EQ(st.value(3, {0}), 60);         // percent measures count residents: 1200 / 2000
}

// Several hubs, by hand: five regions, two segments; hub A (region 1) counts a share 0.1 of segment 0
// (a parameter), hub B (regions 2 and 3) 0.2 of both segments. Only regions in no hub give members.
TEST(ObservationModel, SeveralHubsShareTheOthersMembers) {
    calibration::ObservationModel om;
    om.measures.push_back({"first", {0}, false, {}, ObservationUnit::persons, ""});
    om.measures.push_back({"second", {1}, false, {}, ObservationUnit::persons, ""});
    calibration::WorkplaceRef a, b;
    a.in_hub = {false, true, false, false, false};
    a.segments = {0};
    a.share = {0, 0, false}; // the first parameter value
    b.in_hub = {false, false, true, true, false};
    b.segments = {0, 1};
    b.share = {0.2, -1, false};
    om.workplaces = {a, b};
    Eigen::ArrayXXd active(5, 2), zero = Eigen::ArrayXXd::Zero(5, 2);
    active << 1000, 50, 300, 40, 200, 10, 100, 30, 500, 70;
    const calibration::ObservedState st(om, active, zero, active, zero, zero, {0.1});
    // Segment 0: regions 0 and 4 (1500 members) keep 1 - 0.1 - 0.2 of theirs; A gains 150, B 300
    // (split 200:100 like its own members).
    const double expected0[] = {700, 450, 400, 200, 350};
    // Segment 1: only B counts it; region 1 is a hub, so it keeps its own 40; B gains 0.2 x 120.
    const double expected1[] = {40, 40, 16, 48, 56};
    for (Eigen::Index r = 0; r < 5; ++r) {
        EXPECT_NEAR(st.value(0, {r}), expected0[r], 1e-9) << r;
        EXPECT_NEAR(st.value(1, {r}), expected1[r], 1e-9) << r;
    }
    EXPECT_NEAR(st.value(0, {0, 1, 2, 3, 4}), 2100, 1e-9); // totals unchanged
    EXPECT_NEAR(st.value(1, {0, 1, 2, 3, 4}), 200, 1e-9);
}

TEST(ObservationModel, WorkplaceTablesOnTheBabelLayerKeepTotals) {
    const Fixture f;
    const Calibration c = f.calibration(
        "[[measure]]\nindicator = \"pu\"\nsegments = [\"formal\", \"officials\"]\n\n"
        "[[workplace]]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = \"observation.commuters\"\n\n"
        "[[workplace]]\nhub = \"19.01\"\nsegments = [\"formal\", \"officials\"]\nshare = 0.05\n\n"
        "[[parameter]]\nkey = \"observation.commuters\"\nlow = 0\nhigh = 0.5\n");
    ASSERT_EQ(c.workplaces.size(), 2u);
    EXPECT_EQ(c.workplaces[1].path, "workplace[1]");
    const auto om = calibration::resolve_observation_model(c, f.model(), f.sim.inputs().regions, c.parameters);
    const Eigen::Index R = f.regions(), h1 = f.region("19.71"), h2 = f.region("19.01");
    ASSERT_LT(h1, R);
    ASSERT_LT(h2, R);
    const Trajectory t = f.sim.trace(Settings{}, 1);
    const std::size_t k = 4;
    const calibration::ObservedState st(om, f.sim.workers(), t.never[k], t.active[k], t.funded[k], t.lapsed[k], {0.3});
    double formal = 0, officials = 0;
    for (Eigen::Index r = 0; r < R; ++r) {
        if (r == h1 || r == h2) continue;
        formal += members(t, k, r, kFormal), officials += members(t, k, r, kOfficials);
        EXPECT_NEAR(st.value(0, {r}), 0.65 * members(t, k, r, kFormal) + 0.95 * members(t, k, r, kOfficials), 1e-7);
    }
    EXPECT_NEAR(st.value(0, {h1}), members(t, k, h1, kFormal) + members(t, k, h1, kOfficials) + 0.3 * formal, 1e-7);
    EXPECT_NEAR(st.value(0, {h2}), members(t, k, h2, kFormal) + members(t, k, h2, kOfficials) + 0.05 * (formal + officials), 1e-7);
    double total = 0;
    for (Eigen::Index r = 0; r < R; ++r) total += members(t, k, r, kFormal) + members(t, k, r, kOfficials);
    EXPECT_NEAR(st.value(0, every(R)), total, 1e-6);
    EXPECT_GT(formal, 1000.0);
}

TEST(ObservationModel, WorkplaceOnTheBabelLayerKeepsTotals) {
    const Fixture f;
    const Calibration c = f.calibration(
        "[[measure]]\nindicator = \"pu\"\nsegments = [\"formal\", \"officials\"]\n\n"
        "[workplace]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = \"observation.commuters\"\n\n"
        "[[parameter]]\nkey = \"observation.commuters\"\nlow = 0\nhigh = 0.5\n");
    const auto om = calibration::resolve_observation_model(c, f.model(), f.sim.inputs().regions, c.parameters);
    const Eigen::Index R = f.regions(), hub = f.region("19.71");
    ASSERT_LT(hub, R);
    const Trajectory t = f.sim.trace(Settings{}, 1);
    const std::size_t k = 4;
    const calibration::ObservedState moved(om, f.sim.workers(), t.never[k], t.active[k], t.funded[k], t.lapsed[k], {0.3});
    const calibration::ObservedState still(om, f.sim.workers(), t.never[k], t.active[k], t.funded[k], t.lapsed[k], {0.0});
    double others = 0;
    for (Eigen::Index r = 0; r < R; ++r) {
        if (r == hub) continue;
        others += members(t, k, r, kFormal);
        EXPECT_NEAR(moved.value(0, {r}), 0.7 * members(t, k, r, kFormal) + members(t, k, r, kOfficials), 1e-7);
        EXPECT_NEAR(still.value(0, {r}), members(t, k, r, kFormal) + members(t, k, r, kOfficials), 1e-7);
    }
    EXPECT_NEAR(moved.value(0, {hub}) - still.value(0, {hub}), 0.3 * others, 1e-7);
    EXPECT_NEAR(moved.value(0, every(R)), still.value(0, every(R)), 1e-7);
    EXPECT_NEAR(moved.value(1, every(R)), still.value(1, every(R)), 1e-7); // the built-in measure too
    EXPECT_GT(others, 1000.0);
}

// Recovery: PU and all actives per kab/kota made from a trace at known values, with 20% of the
// formal members outside Pangkal Pinang counted there and PU reported as 90% of the formal and
// officials' members.
// lapse.informal is only weakly identified by five months (its 90% interval spans most of its
// bounds), so the chains run long enough for it to mix (R-hat < 1.1).
struct Made {
    TempDir dir;
    std::string calibration;
    Made() {
        std::ofstream(dir / "synthetic.toml") << scenario_text();
        Diagnostics notes;
        const Simulation sim = Simulation::load(dir / "synthetic.toml", notes);
        Settings s;
        s.parameters = {{"lapse.informal", kLapse}};
        const Trajectory t = sim.trace(s, 1);
        const auto& regions = sim.inputs().regions;
        const auto R = static_cast<Eigen::Index>(regions.size());
        std::ofstream out(dir / "observed.csv");
        out << kHeader;
        for (std::size_t k = 1; k <= 5; ++k) {
            double outside = 0;
            for (Eigen::Index r = 0; r < R; ++r)
                if (regions.ids[static_cast<std::size_t>(r)] != "19.71") outside += members(t, k, r, kFormal);
            for (Eigen::Index r = 0; r < R; ++r) {
                const bool hub = regions.ids[static_cast<std::size_t>(r)] == "19.71";
                const double formal = hub ? members(t, k, r, kFormal) + kWorkplaceShare * outside
                                          : (1 - kWorkplaceShare) * members(t, k, r, kFormal);
                const double pu = kPuShare * (formal + members(t, k, r, kOfficials));
                const double all = formal + members(t, k, r, kOfficials) + members(t, k, r, kInformal) + members(t, k, r, kVulnerable);
                const std::string where = "kabkota," + regions.ids[static_cast<std::size_t>(r)] + ",," + "2025-" +
                                          (k + 5 < 10 ? "0" : "") + std::to_string(k + 5);
                out << where << ",bpjstk_active_wage_earners_PU," << std::llround(pu) << ",persons,exact,test,\n";
                out << where << ",bpjstk_participants_active," << std::llround(all) << ",persons,exact,test,\n";
            }
        }
        calibration = dir / "made.calibration.toml";
        std::ofstream(calibration)
            << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = [\"observed.csv\"]\ndiscrepancy = 0.002\nseed = 5\n\n"
               "[fit]\nstarts = 4\nevaluations = 300\n\n[posterior]\nchains = 3\nburn_in = 3000\nsamples = 6000\nthin = 6\n\n"
               "[[measure]]\nindicator = \"bpjstk_active_wage_earners_PU\"\nsegments = [\"formal\", \"officials\"]\n"
               "scale = \"observation.pu_share\"\n\n"
               "[workplace]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = \"observation.workplace_share\"\n\n"
               "[[parameter]]\nkey = \"lapse.informal\"\nlow = 0.01\nhigh = 0.08\n\n"
               "[[parameter]]\nkey = \"observation.pu_share\"\nlow = 0.5\nhigh = 1\n\n"
               "[[parameter]]\nkey = \"observation.workplace_share\"\nlow = 0\nhigh = 0.5\n";
    }
    CalibrationOutcome run(const std::string& out, int threads) const {
        CalibrationConfig c;
        c.calibration = calibration;
        c.out = dir / out;
        c.threads = threads;
        return run_calibration(c, group());
    }
};

TEST(ObservationModel, RecoversObservationParameters) {
    const Made m;
    const CalibrationOutcome r = m.run("out", 2);
    ASSERT_EQ(r.parameters.size(), 3u);
    const double truth[] = {kLapse, kPuShare, kWorkplaceShare};
    for (std::size_t j = 0; j < 3; ++j) {
        const auto& p = r.parameters[j];
        SCOPED_TRACE(p.key);
        EXPECT_NEAR(p.best, truth[j], 0.02 * truth[j]);
        EXPECT_LE(p.p5, truth[j]);
        EXPECT_GE(p.p95, truth[j]);
        EXPECT_LT(p.rhat, 1.1);
    }
    EXPECT_EQ(r.fit.n, 70u); // 7 kab/kota x 5 months x 2 indicators
    const std::string json = test::slurp(m.dir.path() / "out" / "calibration.json");
    EXPECT_NE(json.find("\"observation_parameters\": [\n    {\n      \"key\": \"observation.pu_share\""), std::string::npos);
    const std::string model = test::slurp(m.dir.path() / "out" / "model.toml");
    EXPECT_EQ(model.find("observation."), std::string::npos); // not model parameters
    EXPECT_NE(model.find("calibrated by made"), std::string::npos);
    const std::string posterior = test::slurp(m.dir.path() / "out" / "posterior.csv");
    EXPECT_EQ(posterior.substr(0, posterior.find('\r')), "draw,lapse.informal,observation.pu_share,observation.workplace_share");
    EXPECT_NE(test::slurp(m.dir.path() / "out" / "report.html").find("<td>observation.workplace_share</td>"), std::string::npos);
}

TEST(ObservationModel, SameEstimatesOnAnyThreadCount) {
    const Made m;
    const CalibrationOutcome a = m.run("one", 1), b = m.run("three", 3);
    ASSERT_EQ(a.parameters.size(), b.parameters.size());
    for (std::size_t j = 0; j < a.parameters.size(); ++j) {
        EXPECT_EQ(a.parameters[j].best, b.parameters[j].best);
        EXPECT_EQ(a.parameters[j].p5, b.parameters[j].p5);
        EXPECT_EQ(a.parameters[j].p50, b.parameters[j].p50);
        EXPECT_EQ(a.parameters[j].p95, b.parameters[j].p95);
    }
    for (const char* file : {"posterior.csv", "calibration.json", "fit.csv", "model.toml", "report.html"})
        EXPECT_EQ(test::slurp(m.dir.path() / "one" / file), test::slurp(m.dir.path() / "three" / file)) << file;
}

// The error of a calibration with `text` after its [calibration] table, and `rows` of observations.
std::string error_of(const std::string& text, const std::string& rows = "") {
    TempDir dir;
    std::ofstream(dir / "synthetic.toml") << scenario_text();
    std::ofstream(dir / "observed.csv") << kHeader << rows;
    std::ofstream(dir / "c.calibration.toml") << "[calibration]\nscenario = \"synthetic.toml\"\nobservations = [\"observed.csv\"]\n"
                                              << text;
    const std::string what = test::calibration_error(dir, "c.calibration.toml");
    EXPECT_FALSE(std::filesystem::exists(dir / "out"));
    return what;
}

const std::string kLapseParameter = "[[parameter]]\nkey = \"lapse.informal\"\n";

TEST(ObservationModel, UnknownSegmentNamesTheNearest) {
    const Fixture f;
    EXPECT_EQ(error_of("[[measure]]\nindicator = \"pu\"\nsegments = [\"formal\", \"oficials\"]\n" + kLapseParameter),
              "c.calibration.toml:6:23: measure[0].segments: 'oficials' is not a segment of model " + f.model().path +
                  " (did you mean 'officials'?); segments: formal, informal, vulnerable, officials");
}

TEST(ObservationModel, UndeclaredObservationParameter) {
    EXPECT_EQ(error_of("[[measure]]\nindicator = \"pu\"\nscale = \"1 - observation.jakon_shar\"\n" + kLapseParameter +
                       "[[parameter]]\nkey = \"observation.jakon_share\"\nlow = 0\nhigh = 0.3\n"),
              "c.calibration.toml:6:9: measure[0].scale: observation parameter 'observation.jakon_shar' is not declared "
              "(did you mean 'observation.jakon_share'?); declare it in a [[parameter]] table with key, low and high");
}

TEST(ObservationModel, UnusedObservationParameter) {
    EXPECT_EQ(error_of(kLapseParameter + "[[parameter]]\nkey = \"observation.pu_share\"\nlow = 0.5\nhigh = 1\n"),
              "c.calibration.toml:6:1: parameter[1]: observation parameter 'observation.pu_share' is used by no measure's scale "
              "nor the workplace share");
}

TEST(ObservationModel, ObservationParameterWithoutBounds) {
    EXPECT_EQ(error_of("[[measure]]\nindicator = \"pu\"\nscale = \"observation.pu_share\"\n" + kLapseParameter +
                       "[[parameter]]\nkey = \"observation.pu_share\"\nlow = 0.5\n"),
              "c.calibration.toml:9:1: parameter[1]: observation parameter 'observation.pu_share' needs low and high: it has no "
              "model default");
}

TEST(ObservationModel, MisspeltMeasureKey) {
    EXPECT_EQ(error_of("[[measure]]\nindicator = \"pu\"\nsegment = [\"formal\"]\n" + kLapseParameter),
              "c.calibration.toml:6:11: measure[0].segment: unknown key (did you mean 'segments'?); expected one of: indicator, "
              "segments, scale, unit");
}

TEST(ObservationModel, UnitOfTheObservationMustAgreeWithItsMeasure) {
    EXPECT_EQ(error_of("[[measure]]\nindicator = \"ucj\"\nsegments = [\"informal\"]\nunit = \"percent\"\n" + kLapseParameter,
                       "kabkota,19.01,Bangka,2025-07,ucj,1234,persons,exact,,\n"),
              "observed.csv:2: observation of ucj in persons, but its measure (c.calibration.toml:4:1) gives percent: set the "
              "measure's unit or correct the row");
}

TEST(ObservationModel, HubThatIsNoRegion) {
    EXPECT_EQ(error_of("[workplace]\nhub = \"31\"\nsegments = [\"formal\"]\nshare = 0.1\n" + kLapseParameter),
              "c.calibration.toml:5:7: workplace.hub: '31': no region of " + test::geodata("boundaries/babel_19.gpkg") +
                  " has this code, lies within it or contains it");
}

const std::string kTwoHubs = "[[workplace]]\nhub = \"19\"\nsegments = [\"formal\"]\nshare = 0.6\n\n"
                             "[[workplace]]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = \"observation.w\"\n";

TEST(ObservationModel, SameHubTwice) {
    EXPECT_EQ(error_of("[[workplace]]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = 0.1\n\n"
                       "[[workplace]]\nhub = \"19.71\"\nsegments = [\"formal\"]\nshare = 0.2\n" + kLapseParameter),
              "c.calibration.toml:10:7: workplace[1].hub: '19.71' is a hub twice (first at c.calibration.toml:5:7)");
}

TEST(ObservationModel, WorkplaceSharesAboveOne) {
    EXPECT_EQ(error_of(kTwoHubs + kLapseParameter + "[[parameter]]\nkey = \"observation.w\"\nlow = 0\nhigh = 0.5\n"),
              "c.calibration.toml:9:1: workplace: the shares of segment 'formal' can sum to 1.1 (0.6 + 0.5, at their upper "
              "bounds), above 1: the regions outside the hubs would lose more than their members");
}

TEST(ObservationModel, HubsMustNotOverlap) {
    EXPECT_EQ(error_of(kTwoHubs + kLapseParameter + "[[parameter]]\nkey = \"observation.w\"\nlow = 0\nhigh = 0.3\n"),
              "c.calibration.toml:10:7: workplace[1].hub: '19.71' shares region 19.71 with hub '19' (c.calibration.toml:5:7): "
              "hubs must not overlap");
}

TEST(ObservationModel, IndicatorWithoutMeasureListsTheMeasured) {
    EXPECT_EQ(error_of("indicators = [\"bpjstk_active_wage_earners_BPU\"]\n[[measure]]\nindicator = \"bpjstk_active_wage_earners_PU\"\n"
                       "segments = [\"formal\"]\n" + kLapseParameter),
              "c.calibration.toml:4:15: calibration.indicators: 'bpjstk_active_wage_earners_BPU' is not an indicator the model "
              "produces (did you mean 'bpjstk_active_wage_earners_PU'?); measured: bpjstk_active_wage_earners_PU, "
              "bpjstk_participants_active (a [[measure]] table maps the model to another)");
}

} // namespace
} // namespace cakupan
