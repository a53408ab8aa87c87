// load_model and set_parameter: the bundled models/jamsostek-estimates.toml, one exact "file:line:column: what"
// error for each broken copy of tests/data/models/minimal.toml, and the limits and range rules of
// parameter overrides.
#include "cakupan/common/error.hpp"
#include "cakupan/scenario/model.hpp"
#include "scenario_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using test::data;
using test::source;

std::string model_file(const std::string& name) { return data("models/" + name); }

// Line (1-based) of the first line of `path` that starts with `text`, or 0.
int line_of(const std::string& path, const std::string& text) {
    std::ifstream in(path);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.rfind(text, 0) == 0) return n;
    return 0;
}

TEST(Model, BundledModelLoads) {
    const std::string path = source("models/jamsostek-estimates.toml");
    const Model m = load_model(path);
    EXPECT_EQ(m.path, path);
    EXPECT_EQ(m.name, "jamsostek-estimates");
    EXPECT_EQ(m.time_unit, "month");
    EXPECT_FALSE(m.title.empty());

    ASSERT_EQ(m.segments.size(), 4u);
    std::vector<std::string> ids;
    std::vector<Payer> pays;
    for (const auto& s : m.segments) {
        ids.push_back(s.id);
        pays.push_back(s.pays);
        EXPECT_FALSE(s.label_en.empty()) << s.id;
        EXPECT_FALSE(s.label_id.empty()) << s.id;
    }
    EXPECT_THAT(ids, ElementsAre("formal", "informal", "vulnerable", "officials"));
    EXPECT_THAT(pays, ElementsAre(Payer::employer, Payer::self, Payer::budget, Payer::budget));
    EXPECT_EQ(m.segment_index("vulnerable"), 2);
    EXPECT_EQ(m.segment_index("pns"), -1);

    // 13 scalars, saturation, lapse and replacement for each of 4 segments, a premium for the 3 not
    // paid by an employer (an employer's contribution is a share of wages, not a flat premium), and
    // the 7 optional costs of the levers.
    EXPECT_EQ(m.parameters.size(), 35u);
    for (const char* key : {"agent_commission", "agent_bonus", "agent_bonus_threshold", "agent_fee", "outreach_cost",
                            "regulation_cost", "enforcement_cost"})
        EXPECT_NE(m.find(key), nullptr) << key;
    EXPECT_EQ(m.value("agent_commission"), 0.075);
    EXPECT_TRUE(std::is_sorted(m.parameters.begin(), m.parameters.end(),
                               [](const Parameter& a, const Parameter& b) { return a.key < b.key; }));
    for (const auto& s : m.segments) {
        EXPECT_NE(m.find("saturation." + s.id), nullptr) << s.id;
        EXPECT_NE(m.find("lapse." + s.id), nullptr) << s.id;
        EXPECT_NE(m.find("replacement." + s.id), nullptr) << s.id;
        EXPECT_EQ(m.value("replacement." + s.id), 1.0) << "no built-in trend: " << s.id;
        EXPECT_EQ(m.find("premium." + s.id) != nullptr, s.pays != Payer::employer) << s.id;
    }

    for (const auto& p : m.parameters) {
        SCOPED_TRACE(p.key);
        EXPECT_TRUE(std::isfinite(p.value) && std::isfinite(p.min) && std::isfinite(p.max));
        EXPECT_LE(p.min, p.low);
        EXPECT_LE(p.low, p.value);
        EXPECT_LE(p.value, p.high);
        EXPECT_LE(p.high, p.max);
        EXPECT_FALSE(p.unit.empty());
        EXPECT_FALSE(p.source.empty());
        // `where` names the [parameters.KEY] header of its table.
        const int line = line_of(path, "[parameters." + p.key + "]");
        ASSERT_GT(line, 0);
        EXPECT_EQ(p.where, path + ":" + std::to_string(line) + ":1");
        EXPECT_EQ(m.value(p.key), p.value);
    }

    // Evidence marks, as the model file and docs/model.md give them: published figures
    // are "sourced", figures computed from published ones "derived", the rest "estimate".
    std::map<std::string, Evidence> marks;
    for (const auto& p : m.parameters) marks[p.key] = p.evidence;
    for (const char* k : {"premium.informal", "premium.vulnerable", "premium.officials", "agent_active_share"})
        EXPECT_EQ(marks[k], Evidence::sourced) << k;
    for (const char* k : {"agent_productivity", "initial_lapsed_share"}) EXPECT_EQ(marks[k], Evidence::derived) << k;
    for (const char* k : {"bass_p", "bass_q", "spillover_rho", "lapse.informal", "funded_retention", "enforcement_hazard"})
        EXPECT_EQ(marks[k], Evidence::estimate) << k;
    std::size_t counted = 0;
    for (const auto& [k, e] : marks) counted += e == Evidence::sourced || e == Evidence::derived || e == Evidence::estimate;
    EXPECT_EQ(counted, m.parameters.size());

    // A few defaults from the seeds: the BPU premium Rp16,800 = JKK 10,000 + JKM 6,800.
    EXPECT_EQ(m.value("premium.informal"), 16800);
    EXPECT_EQ(m.value("premium.vulnerable"), 16800);
    EXPECT_EQ(m.value("premium.officials"), 10800);
}

TEST(Model, UnknownKeyNamesTheNearest) {
    const Model m = load_model(source("models/jamsostek-estimates.toml"));
    EXPECT_EQ(m.find("lapse.informl"), nullptr);
    try {
        (void)m.value("lapse.informl");
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), m.path + ": model has no parameter 'lapse.informl' (did you mean 'lapse.informal'?)");
    }
}

TEST(Model, MinimalTestModelLoads) {
    // The base of the broken copies: each of them fails for its one change only.
    const Model m = load_model(model_file("minimal.toml"));
    EXPECT_EQ(m.name, "minimal");
    ASSERT_EQ(m.segments.size(), 2u);
    EXPECT_EQ(m.parameters.size(), 20u);
    const auto* p = m.find("lapse.informal");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->where, model_file("minimal.toml") + ":36:18"); // the inline table's '{'
}

// ---- broken model files ----------------------------------------------------------------------

struct BrokenModel {
    const char* file;
    int line, column; // 0, 0: the message has no position
    const char* text; // the message after "file:line:column: "
    bool exact = true; // false: `text` is a prefix (messages of the TOML parser)
};

std::ostream& operator<<(std::ostream& os, const BrokenModel& c) { return os << c.file; }

const BrokenModel kBrokenModels[] = {
    {"misspelt_parameter.toml", 36, 17, "parameters.lapse.informl: unknown parameter (did you mean 'lapse.informal'?)"},
    {"value_outside_range.toml", 22, 10, "parameters.bass_q.value 0.05 lies outside its range [0.005, 0.03]"},
    // at the limits array
    {"range_outside_limits.toml", 24, 55, "parameters.crowd_in: range [0, 2] is not inside limits [0, 1]"},
    {"unknown_evidence.toml", 31, 100,
     "parameters.funded_retention.evidence: 'estimated' is not an evidence mark (expected sourced, derived, estimate or calibrated) "
     "(did you mean 'estimate'?)"},
    // A missing key is reported at the table that should hold it (as TomlFile::require does):
    // the [parameters] table on line 20.
    {"missing_parameter.toml", 20, 1, "parameters.initial_lapsed_share is missing (every model needs it)"},
    // at the [[segment]] table of the second definition
    {"duplicate_segment.toml", 14, 1, "segment[1].id: segment 'formal' is defined twice"},
    // the string on line 5 is not closed: the parser stops at the end of the line
    {"syntax_error.toml", 5, 32, "Error while parsing string", false},
};

class BrokenModelFile : public ::testing::TestWithParam<BrokenModel> {};

TEST_P(BrokenModelFile, ExactError) {
    const BrokenModel& c = GetParam();
    const std::string path = model_file(c.file);
    try {
        (void)load_model(path);
        FAIL() << c.file << " loaded without error";
    } catch (const ScenarioError& e) {
        const std::string msg = e.what();
        const std::string where = c.line > 0 ? path + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) : path;
        if (c.exact) { EXPECT_EQ(msg, where + ": " + c.text); }
        else { EXPECT_THAT(msg, StartsWith(where + ": " + c.text)); }
        EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
        EXPECT_EQ(e.exit_code(), ExitCode::scenario);
    }
}

INSTANTIATE_TEST_SUITE_P(Models, BrokenModelFile, ::testing::ValuesIn(kBrokenModels),
                         [](const ::testing::TestParamInfo<BrokenModel>& param) {
                             std::string name = param.param.file;
                             return name.substr(0, name.find('.'));
                         });

TEST(Model, MissingFile) {
    const std::string path = model_file("no_such_model.toml");
    try {
        (void)load_model(path);
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), path + ": file not found");
    }
}

// ---- set_parameter ---------------------------------------------------------------------------

TEST(SetParameter, InsideRangeIsSetAndReturnsTrue) {
    Model m = load_model(source("models/jamsostek-estimates.toml"));
    EXPECT_TRUE(set_parameter(m, "lapse.informal", 0.05, "here"));
    EXPECT_EQ(m.value("lapse.informal"), 0.05);
    // The ends of the range are inside it.
    EXPECT_TRUE(set_parameter(m, "lapse.informal", 0.015, "here"));
    EXPECT_TRUE(set_parameter(m, "lapse.informal", 0.06, "here"));
    EXPECT_EQ(m.value("lapse.informal"), 0.06);
    // Other parameters are untouched.
    EXPECT_EQ(m.value("lapse.formal"), 0.03);
}

TEST(SetParameter, OutsideRangeInsideLimitsIsSetAndReturnsFalse) {
    Model m = load_model(source("models/jamsostek-estimates.toml"));
    EXPECT_FALSE(set_parameter(m, "lapse.informal", 0.2, "here")); // range [0.015, 0.06], limits [0, 1]
    EXPECT_EQ(m.value("lapse.informal"), 0.2);
    // The limits themselves are allowed.
    EXPECT_FALSE(set_parameter(m, "lapse.informal", 0, "here"));
    EXPECT_EQ(m.value("lapse.informal"), 0);
    EXPECT_FALSE(set_parameter(m, "lapse.informal", 1, "here"));
    EXPECT_EQ(m.value("lapse.informal"), 1);
    EXPECT_FALSE(set_parameter(m, "premium.informal", 1e7, "here")); // limits [1, 1e7]
}

TEST(SetParameter, OutsideLimitsThrowsAndKeepsTheValue) {
    Model m = load_model(source("models/jamsostek-estimates.toml"));
    auto message = [&](const std::string& key, double v) -> std::string {
        try {
            set_parameter(m, key, v, "scenario.toml:3:7");
        } catch (const ScenarioError& e) {
            return e.what();
        }
        return "no error";
    };
    EXPECT_EQ(message("lapse.informal", 1.5),
              "scenario.toml:3:7: parameters.lapse.informal = 1.5 is outside its limits [0, 1] (per month)");
    EXPECT_EQ(message("lapse.informal", -0.01),
              "scenario.toml:3:7: parameters.lapse.informal = -0.01 is outside its limits [0, 1] (per month)");
    EXPECT_EQ(message("premium.informal", 0.5),
              "scenario.toml:3:7: parameters.premium.informal = 0.5 is outside its limits [1, 1e+07] (Rp per member per month)");
    EXPECT_THAT(message("bass_p", std::numeric_limits<double>::quiet_NaN()),
                StartsWith("scenario.toml:3:7: parameters.bass_p = "));
    EXPECT_THAT(message("bass_p", std::numeric_limits<double>::infinity()), HasSubstr("is outside its limits [0, 1]"));
    EXPECT_EQ(m.value("lapse.informal"), 0.03);
    EXPECT_EQ(m.value("premium.informal"), 16800);
    EXPECT_EQ(m.value("bass_p"), 0.0025);
}

TEST(SetParameter, UnknownKeyNamesTheNearest) {
    Model m = load_model(source("models/jamsostek-estimates.toml"));
    try {
        set_parameter(m, "lapse.informl", 0.04, "scenario.toml:3:7");
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "scenario.toml:3:7: parameters.lapse.informl: the model has no such parameter (did you mean 'lapse.informal'?)");
    }
    // A group is not a parameter.
    EXPECT_THROW(set_parameter(m, "lapse", 0.04, "x"), ScenarioError);
}

} // namespace
} // namespace cakupan
