// load_scenario, check_against and load_scenario_inputs: the small test scenario, one exact
// "file:line:column: what" error for each broken copy in tests/data/scenarios/, paths relative to
// the scenario file, file order, sweeps and overlays.
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using test::geodata;
using test::scenario_file;
using test::source;

namespace fs = std::filesystem;

std::string normal(const std::string& p) { return fs::path(p).lexically_normal().string(); }

Scenario load(const std::string& name, Diagnostics& notes) { return load_scenario(scenario_file(name), notes); }
Scenario load(const std::string& name) {
    Diagnostics notes;
    return load(name, notes);
}

std::vector<std::string> names_of(const std::vector<Intervention>& ivs) {
    std::vector<std::string> out;
    for (const auto& iv : ivs) out.push_back(iv.name);
    return out;
}

std::vector<std::string> names_of(const std::vector<Variant>& vs) {
    std::vector<std::string> out;
    for (const auto& v : vs) out.push_back(v.name);
    return out;
}

Date ymd(int y, unsigned m, unsigned d) { return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}; }

TEST(Scenario, SmallLoads) {
    Diagnostics notes;
    const Scenario sc = load("small.toml", notes);
    EXPECT_TRUE(notes.items().empty()) << ::testing::PrintToString(test::lines(notes));
    EXPECT_EQ(sc.path, scenario_file("small.toml"));
    EXPECT_EQ(sc.name, "small");
    EXPECT_EQ(sc.title, "test scenario");
    EXPECT_EQ(sc.boundaries.path, normal(geodata("boundaries/babel_19.gpkg")));
    EXPECT_EQ(sc.boundaries.layer, "kabkota");
    EXPECT_EQ(sc.statistics.path, normal(geodata("statistics/babel_kabkota_2025-06.csv")));
    EXPECT_EQ(sc.period.start, ymd(2025, 6, 1));
    EXPECT_EQ(sc.period.end, ymd(2025, 12, 31));
    EXPECT_EQ(sc.period.step, StepUnit::month);
    EXPECT_EQ(sc.target.overall, 0.5717);
    EXPECT_EQ(sc.seed, 7u);
    EXPECT_EQ(sc.draws, 20);
    EXPECT_EQ(sc.mode, Mode::stochastic);
    EXPECT_THAT(sc.input_files, ElementsAre(scenario_file("small.toml"), normal(geodata("boundaries/babel_19.gpkg")),
                                            normal(geodata("statistics/babel_kabkota_2025-06.csv")),
                                            normal(source("models/jamsostek-estimates.toml"))));
    ASSERT_EQ(sc.variants.size(), 2u);
    EXPECT_EQ(sc.variants[0].name, "baseline");
    EXPECT_EQ(sc.variants[1].name, "combined");

    // The subsidy: Rp16,800 (the model's vulnerable premium), six months from 1 July, so it ends
    // on 31 December; retention unset: the model's funded_retention of each draw.
    const auto& ivs = sc.variants[1].interventions;
    const auto apbd = std::find_if(ivs.begin(), ivs.end(), [](const Intervention& iv) { return iv.name == "apbd"; });
    ASSERT_NE(apbd, ivs.end());
    EXPECT_EQ(apbd->kind, InterventionKind::subsidy);
    EXPECT_EQ(apbd->budget, 2016000000.0);
    EXPECT_EQ(apbd->months, 6);
    EXPECT_EQ(apbd->premium, 16800);
    EXPECT_TRUE(std::isnan(apbd->retention));
    EXPECT_EQ(apbd->start, ymd(2025, 7, 1));
    EXPECT_EQ(apbd->end, ymd(2025, 12, 31));
    EXPECT_THAT(apbd->segments, ElementsAre("vulnerable"));
    EXPECT_THAT(apbd->regions.include, ElementsAre("19"));
    // The agents act on every segment not enrolled by an employer.
    const auto agents = std::find_if(ivs.begin(), ivs.end(), [](const Intervention& iv) { return iv.name == "agents"; });
    ASSERT_NE(agents, ivs.end());
    EXPECT_THAT(agents->segments, ElementsAre("informal", "vulnerable", "officials"));
}

// ---- broken scenario files -------------------------------------------------------------------

enum class Stage { scenario, inputs }; // caught by load_scenario, or only by load_scenario_inputs

struct BrokenScenario {
    const char* file;
    Stage stage;
    ExitCode code;
    int line;    // -1: no position (the message starts with another file's path)
    int column;  // 0: any column on that line
    const char* text; // the start of the message after "file:line:column: "
};

std::ostream& operator<<(std::ostream& os, const BrokenScenario& c) { return os << c.file; }

// Lines and columns refer to the files made by tests/data/make_scenario_fixtures.py from small.toml.
const BrokenScenario kBrokenScenarios[] = {
    {"misspelt_top_key.toml", Stage::scenario, ExitCode::scenario, 15, 1,
     "peroid: unknown key (did you mean 'period'?); expected one of: scenario, data, model, parameters, period, target, "
     "run, intervention, variant, sweep"},
    {"misspelt_nested_key.toml", Stage::scenario, ExitCode::scenario, 16, 0,
     "period.strat: unknown key (did you mean 'start'?); expected one of: start, end, step"},
    {"wrong_type.toml", Stage::scenario, ExitCode::scenario, 24, 9, "run.draws: expected a whole number"},
    {"quoted_number.toml", Stage::scenario, ExitCode::scenario, 24, 9, "run.draws: expected a whole number"},
    {"bad_date.toml", Stage::scenario, ExitCode::scenario, 16, 9,
     "period.start: expected a date such as 2025-06-01 (unquoted)"},
    {"end_before_start.toml", Stage::scenario, ExitCode::scenario, 15, 0,
     "period: end 2025-01-31 is not after start 2025-06-01"},
    {"target_percent.toml", Stage::scenario, ExitCode::scenario, 20, 12,
     "target.coverage = 57.17: write coverage as a share, e.g. 0.5717 for 57.17%"},
    {"unknown_intervention_type.toml", Stage::scenario, ExitCode::scenario, 32, 8,
     "intervention.apbd.type: 'subsidi' is not an intervention (did you mean 'subsidy'?); types: subsidy, "
     "village_programme, outreach, agents, regulation, enforcement"},
    {"unknown_segment.toml", Stage::scenario, ExitCode::scenario, 35, 11,
     "intervention.apbd: unknown segment 'vulnerabel' (did you mean 'vulnerable'?); segments: formal, informal, "
     "vulnerable, officials"},
    {"funded_with_end.toml", Stage::scenario, ExitCode::scenario, 35, 7,
     "intervention.apbd.end: funded programmes last 'months' from their start; remove 'end'"},
    {"campaign_end_and_months.toml", Stage::scenario, ExitCode::scenario, 29, 7,
     "intervention.pergub: give end or months, not both"},
    {"months_not_whole.toml", Stage::scenario, ExitCode::scenario, 34, 10,
     "intervention.apbd.months: expected a whole number of months"},
    {"variant_unknown_intervention.toml", Stage::scenario, ExitCode::scenario, 50, 0,
     "variant.combined.interventions: no intervention 'apdb' (did you mean 'apbd'?)"},
    {"variant_undefined_intervention.toml", Stage::scenario, ExitCode::scenario, 52, 1,
     "variant.combined.intervention.apdb: no such intervention in the scenario; define it under [intervention.apdb]"},
    {"sweep_non_parameter.toml", Stage::scenario, ExitCode::scenario, 53, 0,
     "sweep.\"run.seed\": only parameters.* and intervention.*.* keys can be swept"},
    {"sweep_unknown_parameter.toml", Stage::scenario, ExitCode::scenario, 53, 0,
     "parameters.lapse.informl: the model has no such parameter (did you mean 'lapse.informal'?)"},
    {"parameter_out_of_limits.toml", Stage::scenario, ExitCode::scenario, 27, 18,
     "parameters.lapse.informal = 1.5 is outside its limits [0, 1] (per month)"},
    {"region_no_match.toml", Stage::inputs, ExitCode::scenario, 44, 11,
     "intervention.agents.regions: region selector '19.7' matches no region of kabkota: codes nest by dots (province 19 -> "
     "kab/kota 19.01), and a code selects itself and the regions below it (did you mean '19.71'?)"},
    {"statistics_missing.toml", Stage::inputs, ExitCode::input_data, -1, 0, ": file not found"},
    {"too_many_steps.toml", Stage::scenario, ExitCode::scenario, 15, 0,
     "period: more than 4095 steps; shorten the period or use monthly steps"},
};

class BrokenScenarioFile : public ::testing::TestWithParam<BrokenScenario> {};

TEST_P(BrokenScenarioFile, ExactError) {
    const BrokenScenario& c = GetParam();
    const std::string path = scenario_file(c.file);
    Diagnostics notes;
    if (c.stage == Stage::inputs) {
        // The file itself is well-formed; the error needs the regions or the statistics.
        EXPECT_NO_THROW(load_scenario(path, notes));
    }
    std::string msg;
    try {
        if (c.stage == Stage::scenario) (void)load_scenario(path, notes);
        else (void)load_scenario_inputs(path, notes);
        FAIL() << c.file << " loaded without error";
    } catch (const Error& e) {
        msg = e.what();
        EXPECT_EQ(e.exit_code(), c.code) << msg;
        if (c.code == ExitCode::scenario) { EXPECT_NE(dynamic_cast<const ScenarioError*>(&e), nullptr); }
        if (c.code == ExitCode::input_data) { EXPECT_NE(dynamic_cast<const InputError*>(&e), nullptr); }
    }
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    if (c.line < 0) {
        // Data problems name the data file.
        EXPECT_EQ(msg, normal(geodata("statistics/babel_kabkota_2099-01.csv")) + c.text);
        return;
    }
    const std::string at = path + ":" + std::to_string(c.line) + ":";
    ASSERT_THAT(msg, StartsWith(at)) << "the error should name " << c.file << " line " << c.line << " and a column";
    std::string rest = msg.substr(at.size());
    const auto colon = rest.find(": ");
    ASSERT_NE(colon, std::string::npos) << msg;
    const std::string column = rest.substr(0, colon);
    EXPECT_FALSE(column.empty() || column.find_first_not_of("0123456789") != std::string::npos) << "column: " << msg;
    if (c.column > 0) { EXPECT_EQ(column, std::to_string(c.column)) << msg; }
    EXPECT_THAT(rest.substr(colon + 2), StartsWith(c.text));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, BrokenScenarioFile, ::testing::ValuesIn(kBrokenScenarios),
                         [](const ::testing::TestParamInfo<BrokenScenario>& param) {
                             std::string name = param.param.file;
                             return name.substr(0, name.find('.'));
                         });

// `draws = "20"` is a string that looks like a number: the message must say that a string was
// found (as TomlFile::number does: "found a string"), not "found 20", which reads as if 20 were
// refused.
TEST(BrokenScenarioFile, QuotedNumberIsNamedAString) {
    Diagnostics notes;
    try {
        (void)load_scenario(scenario_file("quoted_number.toml"), notes);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        const std::string msg = e.what();
        EXPECT_THAT(msg, HasSubstr("run.draws: expected a whole number"));
        EXPECT_THAT(msg, ::testing::Not(::testing::EndsWith("found 20"))) << msg;
        EXPECT_TRUE(msg.find("found a string") != std::string::npos || msg.find("found \"20\"") != std::string::npos) << msg;
    }
}

// Every broken scenario file is in the table above (and so, by the same list, in tests/cli/cases.toml).
TEST(BrokenScenarioFile, EveryFixtureIsListed) {
    std::set<std::string> listed;
    for (const auto& c : kBrokenScenarios) listed.insert(c.file);
    const std::set<std::string> valid = {"small.toml", "order.toml", "overlay.toml", "sweep.toml"};
    for (const auto& e : fs::directory_iterator(test::data("scenarios"))) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() != ".toml" || valid.count(name) || name.rfind("engine_", 0) == 0) continue;
        EXPECT_TRUE(listed.count(name)) << name << " is not in kBrokenScenarios";
    }
}

// ---- selectors and targets against the regions -----------------------------------------------

TEST(CheckAgainst, UnknownTargetRegionNamesTheNearest) {
    const Scenario base = load("small.toml");
    Scenario sc = base;
    sc.target.regions["19.7"] = 0.5;
    try {
        check_against(sc, test::babel("kabkota").table);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("target.regions: no region '19.7' in kabkota (did you mean '19.71'?)"));
    }
    sc.target.regions.clear();
    sc.target.regions["19.71"] = 0.5;
    EXPECT_NO_THROW(check_against(sc, test::babel("kabkota").table));
}

TEST(CheckAgainst, ExcludeThatMatchesNothingIsAnError) {
    Scenario sc = load("small.toml");
    sc.variants[1].interventions.front().regions.exclude = {"19.99"};
    EXPECT_THROW(check_against(sc, test::babel("kabkota").table), ScenarioError);
}

TEST(SelectRegions, CodesGlobsExcludesAndLevels) {
    const RegionTable& kab = test::babel("kabkota").table;
    auto codes = [&](std::vector<std::string> include, std::vector<std::string> exclude = {}, int level = 0) {
        RegionSelector s;
        s.include = std::move(include);
        s.exclude = std::move(exclude);
        s.level = level;
        std::vector<std::string> out;
        for (auto r : select_regions(s, kab)) out.push_back(kab.ids[r]);
        return out;
    };
    EXPECT_EQ(codes({"*"}).size(), 7u);
    EXPECT_EQ(codes({"19"}).size(), 7u); // a code takes every region below it
    EXPECT_THAT(codes({"19.0?"}, {"19.03"}), ElementsAre("19.01", "19.02", "19.04", "19.05", "19.06"));
    EXPECT_THAT(codes({"19.71", "19.01"}), ElementsAre("19.01", "19.71")); // in region order
    EXPECT_TRUE(codes({"19"}, {}, 4).empty());
    EXPECT_TRUE(codes({"19.7"}).empty()); // a code is not a prefix of another code's digits
    const RegionTable& desa = test::babel("desa").table;
    RegionSelector s;
    s.include = {"19.03"};
    const auto villages = select_regions(s, desa);
    ASSERT_FALSE(villages.empty());
    for (auto r : villages) EXPECT_THAT(desa.ids[r], StartsWith("19.03."));
}

// ---- paths, order, sweeps and overlays -------------------------------------------------------

TEST(Scenario, PathsResolveRelativeToTheScenarioFile) {
    test::TempDir elsewhere;
    {
        // From an unrelated directory, with the scenario named by an absolute path.
        const test::CwdGuard cwd(elsewhere.path());
        Diagnostics notes;
        const LoadedScenario in = load_scenario_inputs(scenario_file("small.toml"), notes);
        EXPECT_EQ(in.scenario.boundaries.path, normal(geodata("boundaries/babel_19.gpkg")));
        EXPECT_EQ(in.regions.size(), 7u);
        EXPECT_EQ(in.statistics.total_workers(), 528873);
    }
    {
        // From tests/data, with the scenario named by a relative path: its paths stay relative to
        // the scenario file, whatever the working directory.
        const test::CwdGuard cwd(test::data(""));
        Diagnostics notes;
        const LoadedScenario in = load_scenario_inputs("scenarios/small.toml", notes);
        EXPECT_TRUE(fs::equivalent(in.scenario.boundaries.path, geodata("boundaries/babel_19.gpkg")));
        EXPECT_TRUE(fs::equivalent(in.scenario.statistics.path, geodata("statistics/babel_kabkota_2025-06.csv")));
        EXPECT_EQ(in.regions.size(), 7u);
    }
}

TEST(Scenario, VariantsKeepFileOrder) {
    const Scenario sc = load("order.toml");
    EXPECT_THAT(names_of(sc.variants), ElementsAre("zulu", "alpha", "mike"));
    EXPECT_EQ(sc.variants[0].description, "listed first");
}

TEST(Scenario, InterventionsKeepFileOrder) {
    // The file defines zeta_rule, alpha_fund, mid_agents, beta_off (disabled), in that order; a
    // variant's list says which run, not in which order they are reported.
    const Scenario sc = load("order.toml");
    ASSERT_EQ(sc.variants.size(), 3u);
    EXPECT_THAT(names_of(sc.variants[0].interventions), ElementsAre("zeta_rule", "alpha_fund", "mid_agents"));
    EXPECT_THAT(names_of(sc.variants[1].interventions), ElementsAre("zeta_rule", "alpha_fund"));
    EXPECT_THAT(names_of(sc.variants[2].interventions), ElementsAre("zeta_rule", "alpha_fund", "mid_agents"));
}

TEST(Scenario, SweepIsTheCartesianProduct) {
    Diagnostics notes;
    const Scenario sc = load("sweep.toml", notes);
    // 3 lapse rates x 2 budgets, named by the last part of each key.
    EXPECT_THAT(names_of(sc.variants),
                UnorderedElementsAre("main[informal=0.02,budget=1000000000]", "main[informal=0.04,budget=1000000000]",
                                     "main[informal=0.05,budget=1000000000]", "main[informal=0.02,budget=2000000000]",
                                     "main[informal=0.04,budget=2000000000]", "main[informal=0.05,budget=2000000000]"));
    std::set<std::pair<double, double>> grid;
    for (const auto& v : sc.variants) {
        SCOPED_TRACE(v.name);
        ASSERT_EQ(v.interventions.size(), 1u);
        const double lapse = v.model.value("lapse.informal");
        const double budget = v.interventions[0].budget;
        grid.insert({lapse, budget});
        char expected[96];
        std::snprintf(expected, sizeof expected, "main[informal=%g,budget=%.0f]", lapse, budget);
        EXPECT_EQ(v.name, expected);
        // Everything not swept stays as the file has it.
        EXPECT_EQ(v.model.value("lapse.formal"), 0.03);
        EXPECT_EQ(v.interventions[0].months, 6);
        EXPECT_EQ(v.interventions[0].start, ymd(2025, 7, 1));
    }
    EXPECT_EQ(grid.size(), 6u);
}

// Two swept keys that end alike are named by as many trailing parts as tell them apart, and a
// number that %g would round is written in full: two different sweep points never share a name
// (they used to be "budget=8e+09,budget=8.4e+09", and 8000000001 looked like 8000000002).
TEST(Scenario, SweepNamesTellKeysAndValuesApart) {
    test::TempDir tmp;
    std::string text = test::slurp(scenario_file("sweep.toml"));
    text = text.substr(0, text.find("[sweep]"));
    text += "[intervention.village]\ntype = \"subsidy\"\nstart = 2025-07-01\nmonths = 6\nsegment = \"informal\"\n"
            "budget = 1_000_000_000\nregions = \"19\"\n\n"
            "[sweep]\n\"intervention.apbd.budget\" = [8e9, 8.4e9]\n\"intervention.village.budget\" = [8000000001.0, 8000000002.0]\n"
            "\"parameters.lapse.informal\" = [0.02]\n";
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"../../../geodata", CAKUPAN_GEODATA_DIR},
                                   {"../../../models", std::string(CAKUPAN_SOURCE_DIR) + "/models"}})
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from)) text.replace(at, from.size(), to);
    const std::string path = tmp / "sweep_names.toml";
    test::spit(path, text);
    Diagnostics notes;
    const Scenario sc = load_scenario(path, notes);
    EXPECT_THAT(names_of(sc.variants),
                ElementsAre("main[apbd.budget=8e+09,village.budget=8000000001,informal=0.02]",
                            "main[apbd.budget=8.4e+09,village.budget=8000000001,informal=0.02]",
                            "main[apbd.budget=8e+09,village.budget=8000000002,informal=0.02]",
                            "main[apbd.budget=8.4e+09,village.budget=8000000002,informal=0.02]"));
}

TEST(Scenario, VariantOverlaysMergeWithTheBase) {
    Diagnostics notes;
    const Scenario sc = load("overlay.toml", notes);
    ASSERT_EQ(sc.variants.size(), 2u);
    const Variant& base = sc.variants[0];
    const Variant& tweaked = sc.variants[1];
    ASSERT_EQ(base.name, "base");
    ASSERT_EQ(tweaked.name, "tweaked");

    // The base's [parameters] apply to every variant.
    EXPECT_EQ(base.model.value("lapse.informal"), 0.04);
    EXPECT_EQ(base.model.value("bass_q"), 0.02);
    EXPECT_EQ(base.model.value("saturation.informal"), 0.6); // model default
    // A variant's parameters override the base's; the others stay.
    EXPECT_EQ(tweaked.model.value("lapse.informal"), 0.1);
    EXPECT_EQ(tweaked.model.value("saturation.informal"), 0.7);
    EXPECT_EQ(tweaked.model.value("bass_q"), 0.02);
    EXPECT_EQ(tweaked.model.value("lapse.formal"), 0.03);

    // A variant's intervention table changes only the keys it names.
    ASSERT_EQ(base.interventions.size(), 1u);
    ASSERT_EQ(tweaked.interventions.size(), 1u);
    EXPECT_EQ(base.interventions[0].budget, 2e9);
    EXPECT_EQ(tweaked.interventions[0].budget, 1e9);
    EXPECT_EQ(tweaked.interventions[0].months, 6);
    EXPECT_EQ(tweaked.interventions[0].start, ymd(2025, 7, 1));
    EXPECT_THAT(tweaked.interventions[0].segments, ElementsAre("vulnerable"));

    // lapse.informal = 0.1 is inside the limits but outside the plausible range: one warning, at the
    // value in the file (line 45 of overlay.toml).
    ASSERT_EQ(notes.warning_count(), 1u) << ::testing::PrintToString(test::lines(notes));
    const auto& w = notes.items().front();
    EXPECT_THAT(w.what, HasSubstr("parameters.lapse.informal = 0.1 lies outside the plausible range [0.015, 0.06]"));
    EXPECT_EQ(w.where, scenario_file("overlay.toml") + ":45:18");
}

// Funded cohorts last whole months from their start; the end of a short month is clamped.
TEST(Calendar, AddMonthsClampsToTheMonthEnd) {
    using namespace std::chrono;
    EXPECT_EQ(to_string(add_months(Date(year(2025), January, day(31)), 1)), "2025-02-28");
    EXPECT_EQ(to_string(add_months(Date(year(2024), January, day(31)), 1)), "2024-02-29");
    EXPECT_EQ(to_string(add_months(Date(year(2025), July, day(1)), 6)), "2026-01-01");
    EXPECT_EQ(to_string(add_months(Date(year(2025), December, day(15)), 12)), "2026-12-15");
}

} // namespace
} // namespace cakupan
