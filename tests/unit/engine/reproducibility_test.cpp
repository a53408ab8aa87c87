// Results that do not depend on how the work is cut: regions in tiles of 512, and random streams
// keyed by (seed, variant name, draw, region, step, flow) as src/engine/stream_keys.hpp states.
#include "cakupan/engine/engine.hpp"
#include "engine/stream_keys.hpp"
#include "engine_support.hpp"
#include "scenario_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace cakupan {
namespace {

using test::babel2025;
using test::expect_conserved;
using test::expect_identical;
using test::scenario_file;
using test::source;

// ---- tiles of regions ------------------------------------------------------------------------

// The national kab/kota layer (514 regions) with spill-over off and, unless `campaign_province` is
// empty, a regulation and an outreach campaign in that province: every lever acts region by region. `within` cuts the layer to a province; the statistics are cut
// to match.
std::unique_ptr<test::Loaded> national(const test::TempDir& tmp, const std::string& name, const std::string& within,
                                       const std::string& campaign_province) {
    std::istringstream in(test::slurp(test::geodata("statistics/idn_kabkota.csv")));
    std::string line, stats;
    for (bool header = true; std::getline(in, line); header = false)
        if (header || within.empty() || line.rfind(within + ".", 0) == 0) stats += line + "\n";
    test::spit(tmp / (name + ".csv"), stats);
    test::spit(tmp / (name + ".toml"),
               "[scenario]\nname = \"tiles\"\n\n[data]\nboundaries = \"" + test::geodata("boundaries/idn_kabkota.gpkg") +
                   "\"\nlayer = \"kabkota\"\n" + (within.empty() ? "" : "within = \"" + within + "\"\n") + "statistics = \"" +
                   tmp / (name + ".csv") + "\"\n\n[model]\nfile = \"" + source("models/jamsostek-estimates.toml") +
                   "\"\n\n[parameters]\nspillover_rho = 0\n\n[period]\nstart = 2025-06-01\nend = 2026-02-28\n\n"
                   "[target]\ncoverage = 0.3\n\n[run]\nseed = 4\nuncertainty = \"none\"\n\n" +
                   (campaign_province.empty()
                        ? std::string()
                        : std::string() + "[intervention.pergub]\ntype = \"regulation\"\nstart = 2025-06-01\nregions = \"" +
                              campaign_province +
                              "\"\n\n"
                              "[intervention.campaign]\ntype = \"outreach\"\nstart = 2025-08-01\nend = 2025-10-31\nregions = \"" +
                              campaign_province + "\"\n"));
    return test::load(tmp / (name + ".toml"));
}

// The enrolment and lapse phases run over tiles of 512 regions. On a layer of more than one tile,
// the regions past the first must get exactly what they get when their province runs alone and
// they sit in the first tile (expected mode: no random streams, which are keyed by position).
TEST(Tiles, RegionsPastTheFirstTileMatchTheirProvinceAlone) {
    test::TempDir tmp;
    const auto all = national(tmp, "all", "", "");
    const std::size_t R = all->in.regions.size();
    ASSERT_GT(R, 512u);
    const std::string province = all->in.regions.ids[R - 1].substr(0, 2);
    const auto whole = national(tmp, "whole", "", province);
    const auto alone = national(tmp, "alone", province, province);
    const VariantResult a = test::run(*whole, Mode::expected, 1).variants[0];
    const VariantResult b = test::run(*alone, Mode::expected, 1).variants[0];
    std::size_t past_first_tile = 0;
    for (std::size_t j = 0; j < alone->in.regions.size(); ++j) {
        const std::string& code = alone->in.regions.ids[j];
        const std::size_t r = whole->region(code);
        past_first_tile += r >= 512;
        SCOPED_TRACE("region " + code + " at " + std::to_string(r) + " of the national layer");
        EXPECT_TRUE((a.mean.row(static_cast<Eigen::Index>(r)) == b.mean.row(static_cast<Eigen::Index>(j))).all());
        EXPECT_TRUE((a.lever_mean.row(static_cast<Eigen::Index>(r)) == b.lever_mean.row(static_cast<Eigen::Index>(j))).all());
    }
    EXPECT_GT(past_first_tile, 0u);
    // The campaigns did act there: the province's regions differ from a run without them.
    EXPECT_GT(a.mean(static_cast<Eigen::Index>(R - 1), a.mean.cols() - 1),
              test::run(*all, Mode::expected, 1).variants[0].mean(static_cast<Eigen::Index>(R - 1), a.mean.cols() - 1));
}

TEST(Tiles, StochasticDrawsConserveWorkersAcrossTiles) {
    test::TempDir tmp;
    const auto whole = national(tmp, "whole", "", "94");
    expect_conserved(*whole, 0, Mode::stochastic, 3);
    expect_conserved(*whole, 0, Mode::expected, 0);
}

// ---- random streams --------------------------------------------------------------------------

TEST(RandomStreams, SameSeedSameDraws) {
    const auto& l = babel2025();
    const RunResult a = test::run(l, Mode::stochastic, 30, 1, 5);
    const RunResult b = test::run(l, Mode::stochastic, 30, 2, 5);
    for (std::size_t v = 0; v < a.variants.size(); ++v) expect_identical(a.variants[v], b.variants[v]);
    const std::size_t v = l.variant("combined");
    const Trajectory t1 = l.engine->trace(v, 7, Mode::stochastic, 5);
    const Trajectory t2 = l.engine->trace(v, 7, Mode::stochastic, 5);
    for (std::size_t k = 0; k < t1.active.size(); ++k) {
        EXPECT_TRUE((t1.active[k] == t2.active[k]).all()) << k;
        EXPECT_TRUE((t1.lapsed[k] == t2.lapsed[k]).all()) << k;
    }
}

TEST(RandomStreams, DifferentSeedOrDrawDifferentDraws) {
    const auto& l = babel2025();
    const RunResult a = test::run(l, Mode::stochastic, 30, 1, 5);
    const RunResult b = test::run(l, Mode::stochastic, 30, 1, 6);
    for (std::size_t v = 0; v < a.variants.size(); ++v) {
        std::size_t same = 0;
        for (std::size_t d = 0; d < 30; ++d) same += a.variants[v].overall_end[d] == b.variants[v].overall_end[d];
        EXPECT_LT(same, 3u) << a.variants[v].name;
        // Draws of one run differ from each other.
        std::set<double> distinct(a.variants[v].overall_end.begin(), a.variants[v].overall_end.end());
        EXPECT_GT(distinct.size(), 25u) << a.variants[v].name;
    }
}

TEST(RandomStreams, AddingOrReorderingVariantsChangesNoOther) {
    const auto two = test::load(scenario_file("engine_streams.toml"));
    const auto three = test::load(scenario_file("engine_streams_more.toml"));
    ASSERT_EQ(three->in.scenario.variants.size(), 3u);
    const RunResult a = test::run(*two, Mode::stochastic, 50, 1, 17);
    const RunResult b = test::run(*three, Mode::stochastic, 50, 2, 17);
    for (const char* name : {"alpha", "beta"}) expect_identical(a.variants[two->variant(name)], b.variants[three->variant(name)]);
    // The new variant has draws of its own.
    EXPECT_NE(b.variants[three->variant("gamma")].overall_end, b.variants[three->variant("beta")].overall_end);
}

// The contract's arithmetic: a flow's address packs (flow, plan, segment) into 20 bits, and the
// keys are the splitmix of the seed with the FNV-1a-style hash of a name.
TEST(StreamKeys, TheContractsArithmetic) {
    EXPECT_EQ(streams::stream_name_key(""), 1469598103934665603ull);
    // Not the standard FNV-1a of "a" (0xaf63dc4c8601ec8c): the offset is the standard basis without its last digit.
    EXPECT_EQ(streams::stream_name_key("a"), ((1469598103934665603ull ^ 'a') * 1099511628211ull));
    EXPECT_EQ(streams::stream_name_key("a"), 0x44bd8ad473cd9906ull);
    EXPECT_EQ(streams::flow_id(streams::kCore, 0, 2), (10u << 16) | 2u);
    EXPECT_EQ(streams::flow_id(streams::kFundingEnd, 3, 1), (1u << 16) | (3u << 8) | 1u);
    EXPECT_EQ(streams::variant_key(7, "combined"), rng::Stream::key(7, streams::stream_name_key("combined")));
    auto a = streams::flow_stream(streams::variant_key(7, "combined"), 3, 4, 5, 6);
    rng::Stream b(7, streams::stream_name_key("combined"), 3, 4, 5, 6);
    EXPECT_EQ(a.uniform(), b.uniform());
    auto p = streams::parameter_stream(streams::parameters_key(9), 2, "bass_p");
    rng::Stream q(9, streams::stream_name_key("parameters"), 2, streams::stream_name_key("bass_p") & 0xffffffffu, 0, 0);
    EXPECT_EQ(p.uniform(), q.uniform());
}

} // namespace
} // namespace cakupan
