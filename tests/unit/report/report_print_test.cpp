// The report on paper and on screen: a tooltip per region on its maps, region tables under their
// parent with a summary row, a print stylesheet, and maps simplified without changing the layout.
#include "cakupan/render/map.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/run/run_reader.hpp"
#include "report/report_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cakupan {
namespace {

using ::testing::HasSubstr;

TEST(ReportPrint, EveryMapHasOneTooltipPerRegionWithItsNameAndValue) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    const RunData run = read_run(test::small_run().dir);
    const auto& regions = run.summary.variants.front().regions;
    const auto maps = html.find("<section id=\"maps\""), end = html.find("</section>", maps);
    ASSERT_NE(maps, std::string::npos);
    const std::string section = html.substr(maps, end - maps);
    // Map 1 is the coverage of the first variant: one tooltip per region, "name: value".
    const std::string first = section.substr(0, section.find("</figure>"));
    const auto titles = test::matches(first, "<title>([^<]*)</title>");
    ASSERT_EQ(titles.size(), regions.size());
    for (std::size_t i = 0; i < regions.size(); ++i) {
        EXPECT_EQ(titles[i].substr(0, regions[i].name.size() + 2), regions[i].name + ": ") << titles[i];
        EXPECT_EQ(titles[i], regions[i].name + ": " + render::format_value(render::ValueFormat::percent, render::Lang::id,
                                                                           regions[i].coverage_end.p50, 1));
    }
    // Every map figure has them; the map files do not (they stay the bytes `cakupan map` draws).
    const auto figures = test::matches(section, "(<figure>)");
    EXPECT_EQ(test::matches(section, "(<g class=\"tooltips\")").size(), figures.size());
    EXPECT_THAT(test::slurp(test::small_run().dir + "/maps/coverage-baseline.svg"), ::testing::Not(HasSubstr("tooltips")));
}

TEST(ReportPrint, RegionTablesSumUpEachParent) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    const RunData run = read_run(test::small_run().dir);
    // Babel kab/kota: one province (19) above them, a bold summary row first in each table.
    const auto parents = test::matches(html, R"~(<tr class="parent"><td>([0-9.]+)</td>)~");
    ASSERT_EQ(parents.size(), run.summary.variants.size());
    for (const auto& p : parents) EXPECT_EQ(p, "19");
    const auto& v = run.summary.variants.front();
    double workers = 0, members = 0, spend = 0;
    for (const auto& r : v.regions) workers += r.workers, members += r.workers * r.coverage_start, spend += r.spend;
    const std::string row = html.substr(html.find("<tr class=\"parent\">"), html.find("</tr>", html.find("<tr class=\"parent\">")) -
                                                                             html.find("<tr class=\"parent\">"));
    EXPECT_THAT(row, HasSubstr("provinsi 19 (7 wilayah)"));
    EXPECT_THAT(row, HasSubstr(">" + render::format_number(render::Lang::id, workers, 0) + "<"));
    EXPECT_THAT(row, HasSubstr(">" + render::format_percent(render::Lang::id, members / workers, 2) + "<"));
    EXPECT_THAT(row, HasSubstr(">" + render::format_rupiah(render::Lang::id, spend) + "<"));
    EXPECT_EQ(test::matches(html, R"~(<tr><td>(19\.\d\d)</td>)~").size(), run.summary.variants.size() * v.regions.size());

    // Above the limit: a table of parents, then the extremes.
    ReportOptions o;
    o.lang = render::Lang::en;
    o.maps = false;
    o.table_max_regions = 6;
    o.table_extremes = 2;
    const std::string big = report_html(run, o);
    EXPECT_EQ(test::matches(big, R"~(<table id="(table-parents-\d+)")~").size(), run.summary.variants.size());
    EXPECT_THAT(big, HasSubstr("sums them up by parent"));
    EXPECT_THAT(big, HasSubstr("Every region is in regions.gpkg"));
}

TEST(ReportPrint, StylesheetPrintsSectionsOnNewPagesAndMapsAtPageWidth) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    const auto print = html.find("@media print");
    ASSERT_NE(print, std::string::npos);
    const std::string rules = html.substr(print, html.find("</style>") - print);
    EXPECT_THAT(rules, HasSubstr("section + section { break-before: page;"));
    EXPECT_THAT(rules, HasSubstr(".maps figure svg, .maps figure img { width: 100%;"));
    EXPECT_THAT(rules, HasSubstr(".tooltips { display: none; }"));
}

TEST(ReportPrint, SimplifiedMapsKeepTheirLegendAndShrink) {
    const render::RunMaps maps(test::small_run().dir);
    render::RunMapOptions simplified, full;
    full.simplify_pt = 0;
    const render::RunMapRequest req{render::MapKind::coverage, "baseline"};
    // Title, legend, scale and source are the same (labels may move with the outlines).
    auto fixed = [](std::vector<std::string> t) { return std::vector<std::string>(t.begin(), t.begin() + 11); };
    EXPECT_EQ(fixed(maps.texts(req, simplified)), fixed(maps.texts(req, full)));
    const auto a = maps.render(req, simplified), b = maps.render(req, full);
    EXPECT_LT(a.size(), b.size()) << a.size() << " vs " << b.size();
}

} // namespace
} // namespace cakupan
