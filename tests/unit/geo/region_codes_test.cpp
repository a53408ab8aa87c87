// Layers whose codes are not Kemendagri codes: the Babel kab/kota layer re-coded as US FIPS-style
// counties, BPS-style integers, ISO-style codes split by '-' and plain integers
// (tests/data/codes/). Reading with `within`, the statistics join, the scenarios of
// tests/data/scenarios/codes/ and their exact errors, and the same run as the Kemendagri layer.
#include "cakupan/common/error.hpp"
#include "cakupan/geo/region_data.hpp"
#include "cakupan/scenario/scenario.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string recoded() { return test::data("codes/babel_recoded.fgb"); }
std::string recoded_stats() { return test::data("codes/babel_recoded_stats.csv"); }
std::string codes_scenario(const std::string& name) { return test::scenario_file("codes/" + name); }

BoundaryOptions options(const std::string& id_field, CodeSpec codes = {}, const std::string& within = "") {
    BoundaryOptions o;
    o.path = recoded();
    o.id_field = id_field;
    o.codes = std::move(codes);
    o.within = within;
    return o;
}

CodeSpec lengths(std::vector<int> l) {
    CodeSpec s;
    s.lengths = std::move(l);
    return s;
}


// `within` keeps the same regions whichever coding names Bangka island or all of Babel.
struct WithinCase {
    const char* name;
    const char* id_field;
    CodeSpec codes;
    const char* within;
    std::size_t kept;
};

TEST(RegionCodes, WithinFollowsEachCoding) {
    CodeSpec parent;
    parent.parent_field = "STATEFP";
    CodeSpec dash;
    dash.separator = "-";
    const WithinCase cases[] = {
        {"fips prefix", "GEOID", lengths({2, 5}), "06", 5},
        {"fips prefix", "GEOID", lengths({2, 5}), "36", 2},
        {"fips parent field", "GEOID", parent, "06", 5},
        {"fips parent field", "GEOID", parent, "36", 2},
        {"bps integers", "bps", lengths({2, 4}), "19", 7},
        {"iso dash", "iso", dash, "ID-BK", 5},
        {"iso dash", "iso", dash, "ID", 7},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.name) + " within " + c.within);
        Diagnostics notes;
        const RegionTable t = read_boundaries(options(c.id_field, c.codes, c.within), notes);
        EXPECT_EQ(t.size(), c.kept);
        for (const auto& id : t.ids) EXPECT_TRUE(t.codes.is_within(id, c.within)) << id;
        // Bangka island is the same five kab/kota in every coding.
        if (c.kept == 5) {
            EXPECT_THAT(t.names, ::testing::Contains("Kota Pangkal Pinang"));
        }
    }
}

TEST(RegionCodes, LevelsOfEachCoding) {
    Diagnostics notes;
    CodeSpec named = lengths({2, 5});
    named.level_names = {"state", "county"};
    const RegionTable fips = read_boundaries(options("GEOID", named), notes);
    EXPECT_EQ(fips.codes.level("06001"), 2);
    EXPECT_EQ(fips.codes.level_name(2), "county");
    const RegionTable flat = read_boundaries(options("num"), notes);
    EXPECT_EQ(flat.codes.kind(), CodeStructure::Kind::flat); // detected: plain integers
    EXPECT_EQ(flat.codes.level("1"), 0);
    const RegionTable fips_detected = read_boundaries(options("GEOID"), notes);
    EXPECT_EQ(fips_detected.codes.kind(), CodeStructure::Kind::flat); // undeclared FIPS: flat, never "province"
    const RegionTable kab = read_boundaries(BoundaryOptions{test::babel_gpkg(), "kabkota", "", "", "", "", {}}, notes);
    EXPECT_EQ(kab.codes.kind(), CodeStructure::Kind::kemendagri);
    EXPECT_EQ(kab.codes.level_name(kab.codes.level(kab.ids.front())), "kab/kota");
}

void expect_input_error(const BoundaryOptions& o, const std::string& text) {
    Diagnostics notes;
    try {
        (void)read_boundaries(o, notes);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), recoded() + ": layer babel_recoded: " + text);
    }
}

TEST(RegionCodes, WithinErrorsExplainTheRule) {
    CodeSpec named = lengths({2, 5});
    named.level_names = {"state", "county"};
    expect_input_error(options("GEOID", named, "6"),
                       "no region lies within '6': codes nest by prefix lengths 2,5 (state 06 -> county 06001), and within "
                       "takes the code of a higher level (did you mean '06'?)");
    expect_input_error(options("num", {}, "1"),
                       "within '1': codes do not nest (flat codes such as 1), so no region lies within another; declare how "
                       "they nest (data.code_levels, data.parent or data.code_separator in a scenario; --code-levels, "
                       "--parent-field or --code-separator on the command line)");
    expect_input_error(options("GEOID", lengths({2, 4})),
                       "7 id(s) in field 'GEOID' are not codes of one of the declared lengths (prefix lengths 2,4): 06001, "
                       "06003, 06005, 06007, 06071, 36001, 36003");
    CodeSpec parent;
    parent.parent_field = "STATEF";
    expect_input_error(options("GEOID", parent),
                       "no parent field 'STATEF' (did you mean 'STATEFP'?); fields: GEOID, STATEFP, bps, num, iso, nama");
    CodeSpec kemendagri;
    kemendagri.structure = "kemendagri";
    expect_input_error(options("bps", kemendagri),
                       "7 id(s) in field 'bps' are not Kemendagri codes (NN, NN.NN, NN.NN.NN or NN.NN.NN.NNNN): 1901, 1903, "
                       "1904, 1905, 1971, 1902, 1906");
}

// Statistics rows outside `within` are skipped by the layer's own rule: 36xxx rows are not
// "within 06" though no dot says so.
TEST(RegionCodes, StatisticsJoinWithinAState) {
    Diagnostics diag;
    const RegionData data = load_region_data(options("GEOID", lengths({2, 5}), "06"),
                                             StatisticsOptions{recoded_stats(), "", "GEOID"}, diag);
    EXPECT_FALSE(diag.has_errors()) << ::testing::PrintToString(test::lines(diag));
    ASSERT_TRUE(data.statistics);
    EXPECT_EQ(data.statistics->total_workers(), 417983); // 528,873 less Belitung's 65,669 and 45,221
}

// BPS-style codes in the statistics of a Kemendagri layer are of no Kemendagri level: the join
// names the codes, and never calls them a province.
TEST(RegionCodes, CodesOfNoLevelAreNotCalledProvince) {
    Diagnostics diag;
    (void)load_region_data(BoundaryOptions{test::babel_gpkg(), "kabkota", "", "", "", "", {}},
                           StatisticsOptions{recoded_stats(), "", "bps"}, diag);
    EXPECT_TRUE(diag.has_errors());
    for (const auto& line : test::lines(diag)) EXPECT_THAT(line, Not(HasSubstr("province"))) << line;
}

// ---- scenarios on the re-coded layer ---------------------------------------------------------

std::vector<std::string> picked(const test::Loaded& l, const std::string& variant, const std::string& intervention) {
    const auto& v = l.in.scenario.variants[l.variant(variant)];
    for (const auto& iv : v.interventions)
        if (iv.name == intervention) {
            std::vector<std::string> out;
            for (auto r : select_regions(iv.regions, l.in.regions)) out.push_back(l.in.regions.ids[r]);
            return out;
        }
    throw std::runtime_error("no intervention " + intervention);
}

TEST(RegionCodes, ScenarioSelectorsOnEachCoding) {
    const auto fips = test::load(codes_scenario("fips.toml"));
    EXPECT_EQ(picked(*fips, "combined", "pergub").size(), 7u);
    EXPECT_EQ(picked(*fips, "combined", "apbd").size(), 7u); // level = "county"
    EXPECT_THAT(picked(*fips, "combined", "agents"), ElementsAre("06003"));

    const auto parent = test::load(codes_scenario("fips_parent.toml"));
    EXPECT_EQ(parent->in.regions.size(), 5u); // within = "06"
    EXPECT_THAT(picked(*parent, "combined", "apbd"), ElementsAre("06001", "06003", "06005", "06007")); // level 2, not 06071

    const auto bps = test::load(codes_scenario("bps.toml"));
    EXPECT_EQ(picked(*bps, "combined", "pergub").size(), 7u); // "19"
    EXPECT_THAT(picked(*bps, "combined", "agents"), ElementsAre("1903"));

    const auto iso = test::load(codes_scenario("iso.toml"));
    EXPECT_EQ(iso->in.regions.size(), 5u); // within = "ID-BK"
    EXPECT_EQ(picked(*iso, "combined", "apbd").size(), 5u); // level = "kabkota"
    EXPECT_THAT(picked(*iso, "combined", "agents"), ElementsAre("ID-BK-01", "ID-BK-03", "ID-BK-04", "ID-BK-05"));

    const auto flat = test::load(codes_scenario("flat.toml"));
    EXPECT_THAT(picked(*flat, "combined", "agents"), ElementsAre("3"));
    EXPECT_EQ(picked(*flat, "combined", "apbd").size(), 7u); // a list of whole codes
}

// The same programmes on the same regions give the same answer whatever the codes are called.
TEST(RegionCodes, RecodedScenariosRunAsTheKemendagriOne) {
    const auto kemendagri = test::load(test::scenario_file("small.toml"));
    const RunResult want = test::run(*kemendagri, Mode::expected, 1);
    for (const char* name : {"fips.toml", "bps.toml", "flat.toml"}) {
        SCOPED_TRACE(name);
        const auto l = test::load(codes_scenario(name));
        const RunResult got = test::run(*l, Mode::expected, 1);
        ASSERT_EQ(got.variants.size(), want.variants.size());
        for (std::size_t v = 0; v < want.variants.size(); ++v) {
            const auto end = want.variants[v].overall_mean.size() - 1;
            EXPECT_NEAR(got.variants[v].overall_mean[end], want.variants[v].overall_mean[end], 1e-12);
            // Region by region, matched by name (the layers order their regions differently).
            for (std::size_t r = 0; r < l->in.regions.size(); ++r) {
                const auto& name_r = l->in.regions.names[r];
                const auto& names = kemendagri->in.regions.names;
                const auto k = static_cast<Eigen::Index>(std::find(names.begin(), names.end(), name_r) - names.begin());
                ASSERT_LT(k, static_cast<Eigen::Index>(names.size())) << name_r;
                EXPECT_NEAR(got.variants[v].mean(static_cast<Eigen::Index>(r), end), want.variants[v].mean(k, end), 1e-12) << name_r;
            }
        }
    }
}

// `cakupan run` and then `cakupan map` of the run, on FIPS codes cut to one state.
TEST(RegionCodes, RunAndMapOfARecodedScenario) {
    test::TempDir tmp;
    const auto run = test::run_process({CAKUPAN_CLI, "run", codes_scenario("fips_parent.toml"), "--out", tmp / "run", "--draws",
                                        "5", "--quiet", "--no-maps", "--no-charts", "--no-report"});
    ASSERT_EQ(run.exit, 0) << run.err;
    const auto map = test::run_process({CAKUPAN_CLI, "map", tmp / "run", "--kind", "coverage", "--variant", "combined", "--out",
                                        tmp / "coverage.svg", "--lang", "en"});
    ASSERT_EQ(map.exit, 0) << map.err;
    EXPECT_THAT(test::slurp(tmp / "coverage.svg"), HasSubstr("<svg"));
    const std::string summary = test::slurp(tmp / "run/summary.json");
    EXPECT_THAT(summary, HasSubstr("\"06071\""));
    EXPECT_THAT(summary, Not(HasSubstr("\"36001\""))); // within = "06": Bangka island only
}

struct BrokenCase {
    const char* file;
    ExitCode code;
    std::string text; // the whole message after the scenario's own path, or the boundaries' message
};

TEST(RegionCodes, BrokenScenariosSayHowCodesNest) {
    const std::string layer = recoded() + ": layer babel_recoded: ";
    const BrokenCase cases[] = {
        {"fips_no_match.toml", ExitCode::scenario,
         ":50:11: intervention.agents.regions: region selector '6' matches no region of babel_recoded: codes nest by prefix "
         "lengths 2,5 (state 06 -> county 06001), and a code selects itself and the regions below it (did you mean '06'?)"},
        {"fips_level_unknown.toml", ExitCode::scenario,
         ":43:9: intervention.apbd.level: 'province' is not a level of babel_recoded; levels: state, county"},
        {"fips_two_ways.toml", ExitCode::scenario,
         ":15:10: data.parent: data.code_levels already says how codes nest; give one of code_structure, code_levels, "
         "code_separator or parent"},
        {"flat_level.toml", ExitCode::scenario,
         ":46:9: intervention.agents.level: the codes do not nest (flat codes such as 1), so they have no levels; declare how "
         "they nest with data.code_levels, data.parent or data.code_separator"},
        {"fips_misfit.toml", ExitCode::input_data,
         layer + "7 id(s) in field 'GEOID' are not codes of one of the declared lengths (prefix lengths 2,4): 06001, 06003, "
                 "06005, 06007, 06071, 36001, 36003"},
        {"flat_within.toml", ExitCode::input_data,
         layer + "within '3': codes do not nest (flat codes such as 1), so no region lies within another; declare how they "
                 "nest (data.code_levels, data.parent or data.code_separator in a scenario; --code-levels, --parent-field or "
                 "--code-separator on the command line)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.file);
        Diagnostics notes;
        const std::string path = codes_scenario(c.file);
        try {
            (void)load_scenario_inputs(path, notes);
            ADD_FAILURE() << "no error";
        } catch (const Error& e) {
            EXPECT_EQ(e.exit_code(), c.code);
            const std::string want = c.text.rfind(":", 0) == 0 ? path + c.text : c.text;
            EXPECT_EQ(std::string(e.what()), want);
        }
    }
}

// The [data] keys that declare a structure, checked where they are written.
TEST(RegionCodes, CodeKeysAreCheckedInTheScenarioFile) {
    // A copy in a temporary directory, naming the model by its absolute path.
    std::string base = test::slurp(codes_scenario("fips.toml"));
    const std::string model = "file = \"../../../../models/jamsostek-estimates.toml\"";
    const auto m = base.find(model);
    ASSERT_NE(m, std::string::npos);
    base.replace(m, model.size(), "file = \"" + test::source("models/jamsostek-estimates.toml") + "\"");
    test::TempDir tmp;
    struct Edit {
        const char* old_text;
        const char* new_text;
        const char* error; // after "file:line:column: "
    };
    const Edit edits[] = {
        {"code_levels = [2, 5]", "code_levels = [5, 2]",
         "data.code_levels[1]: expected whole numbers of characters from 1 to 64, each longer than the one before, e.g. [2, 5]"},
        {"code_levels = [2, 5]", "code_levels = \"2,5\"",
         "data.code_levels: expected an array of code lengths, e.g. [2, 5] (US FIPS state, county)"},
        {"code_levels = [2, 5]", "code_structure = \"kemendagr\"",
         "data.code_structure: 'kemendagr' is not a code structure (did you mean 'kemendagri'?); expected kemendagri or flat, "
         "or give code_levels, code_separator or parent"},
        {"code_levels = [2, 5]\nlevel_names = [\"state\", \"county\"]", "code_structure = \"flat\"\nlevel_names = [\"a\"]",
         "data.level_names: flat codes have no levels to name"},
        {"level_names = [\"state\", \"county\"]", "level_names = [\"state\", \"county\", \"tract\"]",
         "data.level_names: 3 names for 2 code_levels"},
        {"level_names = [\"state\", \"county\"]", "level_names = [\"state\", \"state\"]",
         "data.level_names[1]: expected a name used once, found 'state'"},
        {"code_levels = [2, 5]", "code_separator = \"\"",
         "data.code_separator: expected the text between the parts of a code, e.g. \"-\""},
        {"code_levels = [2, 5]", "code_level = [2, 5]", "data.code_level: unknown key (did you mean 'code_levels'?)"},
    };
    for (const auto& e : edits) {
        SCOPED_TRACE(e.new_text);
        std::string text = base;
        const auto at = text.find(e.old_text);
        ASSERT_NE(at, std::string::npos);
        text.replace(at, std::string(e.old_text).size(), e.new_text);
        const std::string path = tmp / "edited.toml";
        test::spit(path, text);
        Diagnostics notes;
        try {
            (void)load_scenario(path, notes);
            ADD_FAILURE() << "no error";
        } catch (const ScenarioError& err) {
            EXPECT_THAT(std::string(err.what()), HasSubstr(e.error));
            EXPECT_THAT(std::string(err.what()), ::testing::StartsWith(path + ":"));
        }
    }
}

} // namespace
} // namespace cakupan
