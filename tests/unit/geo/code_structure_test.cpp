// How region codes nest, for every coding system a layer may use: Kemendagri dots, prefix lengths
// (US FIPS state + county, BPS-style integers), a separator (ISO 3166-2 style), a parent field,
// and flat codes. Levels, parents, `within`, level names and detection.
#include "cakupan/geo/code_structure.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cakupan {
namespace {

using Kind = CodeStructure::Kind;

// One coding system with a code at each level, from the top down, and look-alikes that are not
// ancestors of the deepest code.
struct Case {
    const char* name;
    CodeStructure codes;
    std::vector<std::string> chain;     // top level first
    std::vector<std::string> not_above; // never an ancestor of chain.back()
};

std::vector<Case> cases() {
    return {
        {"kemendagri", CodeStructure::kemendagri(), {"19", "19.01", "19.01.01", "19.01.01.2001"}, {"19.0", "19.01.0", "1", "19.1", "9"}},
        {"fips", CodeStructure::prefix_lengths({2, 5}), {"06", "06037"}, {"6", "0", "060", "36", "0603"}},
        {"bps_integers", CodeStructure::prefix_lengths({2, 4}), {"19", "1901"}, {"1", "190", "91"}},
        {"iso_dash", CodeStructure::separated_by("-"), {"ID", "ID-BK", "ID-BK-01"}, {"I", "ID-B", "ID-BK-0", "BK"}},
        {"parent_field",
         CodeStructure::parent_field("STATEFP", {{"06037", "06"}, {"06001", "06"}, {"36001", "36"}}),
         {"06", "06037"},
         {"6", "36", "06001", "0603"}},
    };
}

TEST(CodeStructure, EveryCodingNestsItsChain) {
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name);
        const auto& codes = c.codes;
        ASSERT_TRUE(codes.nests());
        for (std::size_t i = 0; i < c.chain.size(); ++i) {
            const int level = static_cast<int>(i) + 1;
            EXPECT_EQ(codes.level(c.chain[i]), level) << c.chain[i];
            EXPECT_EQ(codes.parent(c.chain[i]), i == 0 ? "" : c.chain[i - 1]) << c.chain[i];
            EXPECT_EQ(codes.ancestor(c.chain.back(), level), c.chain[i]);
            // Strictly below every ancestor, never within itself or below itself.
            for (std::size_t j = 0; j < c.chain.size(); ++j)
                EXPECT_EQ(codes.is_within(c.chain[i], c.chain[j]), j < i) << c.chain[i] << " in " << c.chain[j];
        }
        for (const auto& other : c.not_above) EXPECT_FALSE(codes.is_within(c.chain.back(), other)) << other;
        EXPECT_FALSE(codes.is_within(c.chain.back(), ""));
    }
}

// Unknown levels are never given a name, least of all "province".
TEST(CodeStructure, LevelNamesNeverInventAProvince) {
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name);
        const bool kemendagri = c.codes.kind() == Kind::kemendagri;
        EXPECT_EQ(c.codes.level_name(1), kemendagri ? "province" : "level 1");
        EXPECT_EQ(c.codes.level_name(0), "");
        EXPECT_EQ(c.codes.level_label(0), "an unknown level");
        EXPECT_EQ(c.codes.level_named("province"), kemendagri ? 1 : 0);
    }
    const CodeStructure flat = CodeStructure::flat();
    for (const char* code : {"1", "06037", "19", "ID-JB-01", "19.01"}) {
        EXPECT_EQ(flat.level(code), 0) << code;
        EXPECT_EQ(flat.parent(code), "") << code;
        EXPECT_FALSE(flat.is_within(code, "1")) << code;
    }
    EXPECT_FALSE(flat.nests());
    EXPECT_EQ(flat.level_count(), 0);
    EXPECT_EQ(flat.level_label(flat.level("1")), "an unknown level");
}

TEST(CodeStructure, KemendagriLevelsAndTheirOtherNames) {
    const CodeStructure k;
    EXPECT_EQ(k.kind(), Kind::kemendagri);
    EXPECT_EQ(k.level_name(2), "kab/kota");
    EXPECT_EQ(k.level_label(2), "kab/kota level");
    EXPECT_EQ(k.level_named("kabkota"), 2);
    EXPECT_EQ(k.level_named("provinsi"), 1);
    EXPECT_EQ(k.level_named("desa"), 4);
    EXPECT_EQ(k.level_count(), 4);
    // Not of the Permendagri form: no level, so no parent and no place in the hierarchy.
    for (const char* code : {"1901", "19.", "19.7", "9.01", "06.01", "19.01.01.20011", "19.01.01.2001.1", "ID-BB"})
        EXPECT_EQ(k.level(code), 0) << code;
}

TEST(CodeStructure, DeclaredNamesReplaceTheDefaults) {
    CodeStructure fips = CodeStructure::prefix_lengths({2, 5});
    fips.name_levels({"state", "county"});
    EXPECT_EQ(fips.level_name(1), "state");
    EXPECT_EQ(fips.level_label(2), "county level");
    EXPECT_EQ(fips.level_named("county"), 2);
    EXPECT_EQ(fips.level_named("province"), 0);
    EXPECT_THAT(fips.level_names(), ::testing::ElementsAre("state", "county"));
    CodeStructure k = CodeStructure::kemendagri();
    k.name_levels({"provinsi", "kabupaten"});
    EXPECT_EQ(k.level_name(2), "kabupaten");
    EXPECT_EQ(k.level_name(3), "level 3");
    EXPECT_EQ(k.level_named("village"), 0);
}

TEST(CodeStructure, PrefixLengthsGiveNoLevelToOtherLengths) {
    const CodeStructure fips = CodeStructure::prefix_lengths({2, 5});
    EXPECT_EQ(fips.level("6037"), 0); // a county whose leading zero was lost
    EXPECT_EQ(fips.parent("6037"), "");
    EXPECT_EQ(fips.level_count(), 2);
    EXPECT_EQ(fips.ancestor("06037", 3), "");
}

TEST(CodeStructure, ParentFieldChainsAndLoops) {
    // tract -> county -> state, with the states not regions of the layer.
    const CodeStructure p = CodeStructure::parent_field(
        "parent", {{"T1", "06037"}, {"06037", "06"}, {"06001", "06"}, {"A", "B"}, {"B", "A"}, {"R", ""}});
    EXPECT_EQ(p.level("06"), 1);
    EXPECT_EQ(p.level("06037"), 2);
    EXPECT_EQ(p.level("T1"), 3);
    EXPECT_EQ(p.level("R"), 1);
    EXPECT_TRUE(p.is_within("T1", "06"));
    EXPECT_FALSE(p.is_within("06001", "06037"));
    EXPECT_EQ(p.level("A"), 0); // a loop has no top
    EXPECT_EQ(p.level("B"), 0);
    EXPECT_FALSE(p.is_within("A", "B"));
    EXPECT_EQ(p.level("99"), 0); // not in the layer
    EXPECT_EQ(p.level_count(), 3);
}

TEST(CodeStructure, DetectKnowsKemendagriAndNothingElse) {
    EXPECT_EQ(CodeStructure::detect({"19.01", "19.71"}).kind(), Kind::kemendagri);
    EXPECT_EQ(CodeStructure::detect({"11", "19", "96"}).kind(), Kind::kemendagri);
    EXPECT_EQ(CodeStructure::detect({"19.01.01.2001", "19"}).kind(), Kind::kemendagri);
    EXPECT_EQ(CodeStructure::detect({"A.1", "A.2", "B"}).kind(), Kind::separator);
    EXPECT_EQ(CodeStructure::detect({"A.1", "A.2", "B"}).level("A.1"), 2);
    EXPECT_EQ(CodeStructure::detect({"19.01", "1901"}).level("1901"), 1); // dotted, but not Kemendagri: "level 1"
    EXPECT_EQ(CodeStructure::detect({"19.01", "1901"}).level_name(1), "level 1");
    for (const std::vector<std::string>& flat : std::vector<std::vector<std::string>>{
             {"06037", "06001"}, {"06", "36"}, {"1", "2", "12"}, {"1901", "1971"}, {"ID-BK-01", "ID-BT-02"}})
        EXPECT_EQ(CodeStructure::detect(flat).kind(), Kind::flat) << flat.front();
}

TEST(CodeStructure, DescribeShowsTheRuleOnTheDeepestCode) {
    CodeStructure fips = CodeStructure::prefix_lengths({2, 5});
    fips.name_levels({"state", "county"});
    EXPECT_EQ(fips.describe({"06", "06037"}), "codes nest by prefix lengths 2,5 (state 06 -> county 06037)");
    EXPECT_EQ(CodeStructure().describe({"19.01"}), "codes nest by dots (province 19 -> kab/kota 19.01)");
    EXPECT_EQ(CodeStructure::separated_by("-").describe({"ID-BK-01"}), "codes nest by '-' (level 1 ID -> level 2 ID-BK -> level 3 ID-BK-01)");
    EXPECT_EQ(CodeStructure::parent_field("STATEFP", {{"06037", "06"}}).describe({"06037"}),
              "codes nest by the parent field STATEFP (level 1 06 -> level 2 06037)");
    EXPECT_EQ(CodeStructure::flat().describe({"7", "1"}), "codes do not nest (flat codes such as 7)");
}

} // namespace
} // namespace cakupan
