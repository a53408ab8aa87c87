// "Did you mean": distances, the nearest candidate and the phrase built from it.
#include "cakupan/common/suggest.hpp"

#include <gtest/gtest.h>

namespace cakupan {
namespace {

TEST(Suggest, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("kabkota", "kabkota"), 0u);
    EXPECT_EQ(edit_distance("kabkot", "kabkota"), 1u);   // insertion
    EXPECT_EQ(edit_distance("kabkpta", "kabkota"), 1u);  // substitution
    EXPECT_EQ(edit_distance("vaildate", "validate"), 1u); // adjacent transposition counts once
    EXPECT_EQ(edit_distance("KODE", "kode"), 0u);        // case does not count
    EXPECT_EQ(edit_distance("19.7", "19.71"), 1u);
    EXPECT_EQ(edit_distance("abc", "xyz"), 3u);
    EXPECT_EQ(edit_distance("ca", "abc"), 3u); // optimal string alignment, not full Damerau
}

TEST(Suggest, EditDistanceIsSymmetric) {
    for (auto [a, b] : {std::pair{"kecamatan", "kecamtan"}, {"19.01.01", "19.10.01"}, {"desa", "kabkota"}})
        EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " " << b;
}

TEST(Suggest, Nearest) {
    const std::vector<std::string> commands = {"info", "validate", "adjacency"};
    EXPECT_EQ(nearest("vaildate", commands), "validate");
    EXPECT_EQ(nearest("adjacenct", commands), "adjacency");
    EXPECT_EQ(nearest("inof", commands), "info");
    EXPECT_EQ(nearest("simulate", commands), std::nullopt); // too far from everything
    EXPECT_EQ(nearest("x", {}), std::nullopt);
    EXPECT_EQ(nearest("info", {"info"}), std::nullopt); // the word itself is no suggestion
}

TEST(Suggest, ToleranceGrowsWithLength) {
    // Short words allow one edit; a 9-letter word allows three.
    EXPECT_EQ(nearest("ab", {"xy"}), std::nullopt);
    EXPECT_EQ(nearest("ab", {"ax"}), "ax");
    EXPECT_EQ(nearest("kecamatan", {"kcmatan"}), "kcmatan");
    EXPECT_EQ(nearest("kecamatan", {"kcmtn"}), std::nullopt);
}

TEST(Suggest, TiesGoToTheFirstCandidate) {
    EXPECT_EQ(nearest("19.05", {"19.01", "19.04", "19.06"}), "19.01");
    EXPECT_EQ(nearest("19.05", {"19.06", "19.04", "19.01"}), "19.06");
}

TEST(Suggest, ClosestWinsOverFirst) {
    EXPECT_EQ(nearest("kabkotaa", {"kabupaten", "kabkot", "kabkota"}), "kabkota");
}

TEST(Suggest, DidYouMeanPhrase) {
    EXPECT_EQ(did_you_mean("19.7", {"19.01", "19.71"}), " (did you mean '19.71'?)");
    EXPECT_EQ(did_you_mean("zzz", {"19.01", "19.71"}), "");
}

TEST(Suggest, JoinList) {
    EXPECT_EQ(join_list({}), "");
    EXPECT_EQ(join_list({"a"}), "a");
    EXPECT_EQ(join_list({"a", "b", "c"}), "a, b, c");
    EXPECT_EQ(join_list({"a", "b", "c", "d"}, 2), "a, b, ... (2 more)");
}

} // namespace
} // namespace cakupan
