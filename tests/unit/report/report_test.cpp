// The report: one self-contained HTML file (nothing fetched, every id unique, every reference
// resolving), its tables, both languages, escaped inputs; the run reader's errors; and what
// `cakupan run` leaves in its run directory.
#include "cakupan/common/error.hpp"
#include "cakupan/render/run_maps.hpp"
#include "cakupan/report/report.hpp"
#include "cakupan/run/run_output.hpp"
#include "cakupan/run/run_reader.hpp"
#include "report/report_texts.hpp"
#include "report/report_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <set>

namespace cakupan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

TEST(RunWithFigures, LeavesMapsChartsAndReportInTheRunDirectory) {
    const std::string dir = test::small_run().dir;
    EXPECT_TRUE(fs::exists(dir + "/report.html"));
    EXPECT_TRUE(fs::exists(dir + "/charts/coverage-all.svg"));
    EXPECT_TRUE(fs::exists(dir + "/charts/members-by-lever.svg"));
    EXPECT_TRUE(fs::exists(dir + "/charts/cost-per-member.svg"));
    EXPECT_TRUE(fs::exists(dir + "/maps/coverage-baseline.svg"));
    EXPECT_FALSE(fs::exists(dir + "/charts/coverage-all.png")) << "--figure-format svg asked for SVG only";
}

TEST(RunWithFigures, FiguresAreWrittenBeforeTheDirectoryMovesIntoPlaceAndAFailureLeavesNothing) {
    const auto loaded = test::load(test::scenario_file("small.toml"));
    const RunResult result = test::run(*loaded, Mode::stochastic, 5);
    test::TempDir tmp;
    OutputOptions o;
    o.dir = tmp / "run";
    std::string seen;
    o.finish = [&](const std::string& dir, const RunData& run) {
        seen = dir;
        EXPECT_FALSE(fs::exists(o.dir)) << "the run directory appears only when complete";
        FigureOptions f;
        f.maps = false;
        f.formats = {render::Format::svg};
        write_run_figures(dir, run, f);
    };
    write_run_outputs(loaded->in, result, o);
    EXPECT_NE(seen, o.dir);
    EXPECT_TRUE(fs::exists(o.dir + "/charts/coverage-all.svg"));
    EXPECT_TRUE(fs::exists(o.dir + "/report.html"));

    test::TempDir tmp2;
    o.dir = tmp2 / "run";
    o.finish = [](const std::string& dir, const RunData&) {
        test::spit(fs::path(dir) / "half.svg", "<svg");
        throw OutputError("disk full");
    };
    EXPECT_THROW(write_run_outputs(loaded->in, result, o), OutputError);
    EXPECT_TRUE(tmp2.listing().empty()) << "nothing left after a failed figure step";
}

// A village layer's maps take seconds each: the figure step names every step before it runs, in
// order, so a terminal shows which one is running.
TEST(RunWithFigures, EveryOutputStepIsNamedBeforeItRuns) {
    const auto loaded = test::load(test::scenario_file("small.toml"));
    const RunResult result = test::run(*loaded, Mode::stochastic, 5);
    test::TempDir tmp;
    OutputOptions o;
    o.dir = tmp / "run";
    std::vector<std::string> steps;
    std::size_t maps = 0;
    o.finish = [&](const std::string& dir, const RunData& run) {
        maps = render::RunMaps(run).defaults().size();
        FigureOptions f;
        f.formats = {render::Format::svg};
        f.step = [&](const std::string& s) { steps.push_back(s); };
        write_run_figures(dir, run, f);
    };
    write_run_outputs(loaded->in, result, o);
    ASSERT_GT(maps, 1u);
    std::vector<std::string> expected = {"charts"};
    for (std::size_t k = 1; k <= maps; ++k) expected.push_back("maps " + std::to_string(k) + "/" + std::to_string(maps));
    expected.push_back("report");
    EXPECT_EQ(steps, expected);
}

TEST(Report, IsSelfContained) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    EXPECT_THAT(html, Not(HasSubstr("http:")));
    EXPECT_THAT(html, Not(HasSubstr("https:")));
    EXPECT_THAT(html, Not(HasSubstr("<link")));
    EXPECT_THAT(html, Not(HasSubstr("<script")));
    EXPECT_THAT(html, Not(HasSubstr("<img")));
    EXPECT_THAT(html, Not(HasSubstr("src=")));
    EXPECT_THAT(html, Not(HasSubstr("@import")));
    EXPECT_THAT(html, Not(HasSubstr("<?xml")));
    for (const auto& u : test::matches(html, R"(url\(([^)]*)\))")) EXPECT_EQ(u.substr(0, 1), "#") << "url(" << u << ")";
}

TEST(Report, EveryIdIsUniqueAndEveryReferenceResolves) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    const auto ids = test::matches(html, R"~(\sid="([^"]*)")~");
    std::set<std::string> seen;
    for (const auto& id : ids) EXPECT_TRUE(seen.insert(id).second) << "id " << id << " appears twice";
    EXPECT_GT(seen.size(), 100u) << "maps and charts bring their glyph ids";
    auto refs = test::matches(html, R"~(href="#([^"]*)")~");
    for (const auto& u : test::matches(html, R"(url\(#([^)]*)\))")) refs.push_back(u);
    for (const auto& r : refs) EXPECT_TRUE(seen.count(r)) << "reference to missing #" << r;
    // Figures carry different prefixes: the same Cairo glyph name in two figures is two ids
    // ("glyph0-1" written "g0-1"), unless a later figure's glyph is the very same shape and
    // refers to the earlier one.
    std::set<std::string> figures_with_glyphs;
    for (const auto& id : ids)
        if (const auto at = id.find("-g0-"); at != std::string::npos) figures_with_glyphs.insert(id.substr(0, at));
    EXPECT_GT(figures_with_glyphs.size(), 2u);
    // A use of a shared glyph or path points to a definition in an earlier figure.
    EXPECT_GT(std::count_if(refs.begin(), refs.end(), [](const std::string& r) { return r.rfind("s-", 0) == 0; }), 0);
}

TEST(Report, HasEveryTableMapAndChart) {
    const std::string html = test::slurp(test::small_run().dir + "/report.html");
    for (const char* id : {"table-answer", "table-regions-1", "table-regions-2", "table-run", "table-inputs"})
        EXPECT_THAT(html, HasSubstr(std::string("<table id=\"") + id + "\"")) << id;
    const RunData run = read_run(test::small_run().dir);
    const auto answer = html.substr(html.find("table-answer"), html.find("</table>", html.find("table-answer")) - html.find("table-answer"));
    for (const auto& v : run.summary.variants) EXPECT_THAT(answer, HasSubstr("<td>" + v.name + "</td>"));
    const auto region_rows = test::matches(html, R"~(<tr><td>(19\.\d\d)</td>)~");
    EXPECT_EQ(region_rows.size(), run.summary.variants.size() * run.summary.variants.front().regions.size());
    EXPECT_EQ(test::matches(html, R"~((<figure>))~").size(), test::matches(html, R"~((<svg))~").size());
    EXPECT_GE(test::matches(html, R"~((<svg))~").size(), 5u + 3u) << "maps and charts";
    for (const auto& f : run.manifest.inputs) EXPECT_THAT(html, HasSubstr(f.sha256));
    EXPECT_THAT(html, HasSubstr(std::to_string(run.summary.seed)));
}

TEST(ReportThresholds, AboveTheRegionLimitMapsArePngDataUrisAndTablesHoldTheExtremes) {
    const RunData run = read_run(test::small_run().dir); // 7 regions
    ReportOptions o;
    o.lang = render::Lang::en;
    o.svg_map_max_regions = 6;
    o.table_max_regions = 6;
    o.table_extremes = 2;
    const std::string html = report_html(run, o);
    const auto imgs = test::matches(html, R"~(<img src="data:image/png;base64,([A-Za-z0-9+/=]{8}))~");
    EXPECT_EQ(imgs.size(), test::matches(html, R"~(<figcaption>(Map \d+))~").size());
    EXPECT_GE(imgs.size(), 5u);
    for (const auto& b : imgs) EXPECT_EQ(b, "iVBORw0K") << "a PNG signature";
    EXPECT_EQ(test::matches(html, R"~((<svg))~").size(), test::matches(html, R"~(<figcaption>(Chart \d+))~").size()) << "charts stay SVG";
    // Each table: the 2 lowest and the 2 highest medians, and a row saying 3 more.
    const auto rows = test::matches(html, R"~(<tr><td>(19\.\d\d)</td>)~");
    EXPECT_EQ(rows.size(), run.summary.variants.size() * 4);
    EXPECT_THAT(html, HasSubstr("3 more regions"));
    EXPECT_THAT(html, HasSubstr("regions.gpkg"));
    const auto& v = run.summary.variants.front();
    std::vector<const RunRegionResult*> sorted;
    for (const auto& r : v.regions) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->coverage_end.p50 < b->coverage_end.p50; });
    const std::vector<std::string> want = {sorted[0]->code, sorted[1]->code, sorted[5]->code, sorted[6]->code};
    EXPECT_EQ(std::vector<std::string>(rows.begin(), rows.begin() + 4), want);

    // At the limit nothing changes: inline SVG maps, every region.
    o.svg_map_max_regions = o.table_max_regions = 7;
    const std::string small = report_html(run, o);
    EXPECT_THAT(small, Not(HasSubstr("<img")));
    EXPECT_EQ(test::matches(small, R"~(<tr><td>(19\.\d\d)</td>)~").size(), run.summary.variants.size() * 7);
}

TEST(ReportThresholds, ABigLayerRunWritesPngMapsAndEmbedsThemUnlessSvgIsAsked) {
    const auto loaded = test::load(test::scenario_file("small.toml"));
    const RunResult result = test::run(*loaded, Mode::expected, 1);
    auto write = [&](std::vector<render::Format> formats) {
        auto tmp = std::make_unique<test::TempDir>();
        OutputOptions o;
        o.dir = *tmp / "run";
        o.finish = [&](const std::string& dir, const RunData& run) {
            FigureOptions f;
            f.charts = false;
            f.svg_map_max_regions = 6;
            if (!formats.empty()) f.formats = formats, f.formats_chosen = true;
            write_run_figures(dir, run, f);
        };
        write_run_outputs(loaded->in, result, o);
        return tmp;
    };
    const auto by_default = write({});
    const std::string dir = *by_default / "run";
    EXPECT_TRUE(fs::exists(dir + "/maps/coverage-baseline.png"));
    EXPECT_FALSE(fs::exists(dir + "/maps/coverage-baseline.svg")) << "no SVG maps on a big layer by default";
    const std::string html = test::slurp(dir + "/report.html");
    EXPECT_GE(test::matches(html, R"~((<img src="data:image/png;base64,))~").size(), 5u);
    // The embedded map is the file's bytes.
    const std::string png = test::slurp(dir + "/maps/coverage-baseline.png");
    EXPECT_THAT(html, HasSubstr(report_detail::base64(png)));
    const auto asked = write({render::Format::svg});
    EXPECT_TRUE(fs::exists(std::string(*asked / "run") + "/maps/coverage-baseline.svg")) << "--figure-format svg is obeyed";
}

TEST(ReportThresholds, Base64) {
    EXPECT_EQ(report_detail::base64(""), "");
    EXPECT_EQ(report_detail::base64("f"), "Zg==");
    EXPECT_EQ(report_detail::base64("fo"), "Zm8=");
    EXPECT_EQ(report_detail::base64("foo"), "Zm9v");
    EXPECT_EQ(report_detail::base64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(report_detail::base64(std::string("\xff\x00\x10", 3)), "/wAQ");
}

// The text of every heading, table header, caption and figure caption, in document order.
std::vector<std::string> fixed_texts(const std::string& html) {
    return test::matches(html, R"~(<(?:h1|h2|h3|th|th class="num"|caption|figcaption|a href="#[a-z-]*")>([^<]*)<)~");
}

TEST(Report, EveryFixedTextChangesWithTheLanguage) {
    const RunData run = read_run(test::small_run().dir);
    ReportOptions id, en;
    id.maps = en.maps = false; // the maps' own texts are tested with the maps
    en.lang = render::Lang::en;
    const std::string a = report_html(run, id), b = report_html(run, en);
    EXPECT_THAT(a, HasSubstr("<html lang=\"id\">"));
    EXPECT_THAT(b, HasSubstr("<html lang=\"en\">"));
    const auto ta = fixed_texts(a), tb = fixed_texts(b);
    ASSERT_EQ(ta.size(), tb.size());
    ASSERT_GT(ta.size(), 30u);
    const std::string title = escape_html(run.summary.scenario_title);
    for (std::size_t i = 0; i < ta.size(); ++i)
        if (ta[i] != title) {
            EXPECT_NE(ta[i], tb[i]) << "same text in both languages: " << ta[i];
        }
    // Numbers follow the language: decimal comma in Indonesian, point in English.
    const std::string start = render::format_percent(render::Lang::id, run.summary.variants[0].coverage_start);
    EXPECT_THAT(a, HasSubstr(start));
    EXPECT_THAT(start, HasSubstr(","));
    EXPECT_THAT(b, HasSubstr(render::format_percent(render::Lang::en, run.summary.variants[0].coverage_start)));
}

TEST(Report, EscapesTextFromInputs) {
    RunData run = read_run(test::small_run().dir);
    run.summary.scenario_title = "<script>alert('x')</script> & co";
    run.summary.variants[0].description = "a \"quoted\" <b>";
    ReportOptions o;
    o.maps = false;
    const std::string html = report_html(run, o);
    EXPECT_THAT(html, Not(HasSubstr("<script>")));
    EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    EXPECT_THAT(html, HasSubstr("a &quot;quoted&quot; &lt;b&gt;"));
}

TEST(Report, ExtraSectionsFollowTheCharts) {
    const RunData run = read_run(test::small_run().dir);
    ReportOptions o;
    o.maps = false;
    o.extra_sections.push_back({"sensitivity", "Sensitivitas <1>", "<p>isi</p>"});
    const std::string html = report_html(run, o);
    const auto at = html.find("<section id=\"sensitivity\"><h2>Sensitivitas &lt;1&gt;</h2>\n<p>isi</p></section>");
    ASSERT_NE(at, std::string::npos);
    EXPECT_LT(html.find("<section id=\"charts\""), at);
    EXPECT_LT(at, html.find("<section id=\"regions\""));
}

TEST(Report, WriteRefusesToOverwriteWithoutForce) {
    test::TempDir tmp;
    ReportOptions o;
    o.maps = false;
    o.out = tmp / "r.html";
    EXPECT_EQ(write_report(test::small_run().dir, o), o.out);
    EXPECT_THROW(write_report(test::small_run().dir, o), OutputError);
    o.force = true;
    EXPECT_NO_THROW(write_report(test::small_run().dir, o));
    EXPECT_EQ(default_report_name(render::Lang::en), "report-en.html");
    EXPECT_EQ(default_report_name(render::Lang::id), "report.html");
    EXPECT_THROW(write_report(tmp / "missing", o), InputError);
}

TEST(InlineSvg, PrefixesIdsAndReferencesAndDropsTheProlog) {
    const std::string svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10pt\" height=\"5pt\" viewBox=\"0 0 10 5\" version=\"1.1\">"
        "<defs><symbol overflow=\"visible\" id=\"glyph0-1\"/><clipPath id=\"clip1\"/></defs>"
        "<use xlink:href=\"#glyph0-1\" x=\"1\"/><g clip-path=\"url(#clip1)\" data-id=\"x\"/></svg>";
    EXPECT_EQ(inline_svg(svg, "f2-"),
              "<svg width=\"100%\" viewBox=\"0 0 10 5\" version=\"1.1\">"
              "<defs><symbol overflow=\"visible\" id=\"f2-g0-1\"/><clipPath id=\"f2-clip1\"/></defs>"
              "<use href=\"#f2-g0-1\" x=\"1\"/><g clip-path=\"url(#f2-clip1)\" data-id=\"x\"/></svg>");
}

TEST(InlineSvg, LaterFiguresReferToWhatAnEarlierOneHolds) {
    const std::string big(300, '1');
    auto fig = [&](const std::string& p, const std::string& fill) {
        return "<svg><defs><symbol overflow=\"visible\" id=\"" + p + "g0-1\"><path d=\"M 0 0\"/></symbol>"
               "<symbol overflow=\"visible\" id=\"" + p + "g0-2\"><path d=\"M " + p + "\"/></symbol></defs>"
               "<use href=\"#" + p + "g0-1\" x=\"1\"/><use href=\"#" + p + "g0-2\"/><path style=\"" + fill + "\" d=\"" + big + "\"/>"
               "<path d=\"" + big + "\"><title>" + p + "</title></path></svg>";
    };
    report_detail::SvgSharer sharer;
    EXPECT_EQ(sharer.share(fig("a-", "x")),
              "<svg><defs><symbol overflow=\"visible\" id=\"a-g0-1\"><path d=\"M 0 0\"/></symbol>"
              "<symbol overflow=\"visible\" id=\"a-g0-2\"><path d=\"M a-\"/></symbol></defs>"
              "<use href=\"#a-g0-1\" x=\"1\"/><use href=\"#a-g0-2\"/><defs><path id=\"g-1\" d=\"" + big + "\"/></defs>"
              "<use id=\"s-1\" href=\"#g-1\" style=\"x\"/><path id=\"s-2\" d=\"" + big + "\"><title>a-</title></path></svg>");
    // The same glyph 1 and the same big paths: referred to. Glyph 2 differs: kept. Another fill:
    // the same geometry in that fill.
    EXPECT_EQ(sharer.share(fig("b-", "x")),
              "<svg><defs><symbol overflow=\"visible\" id=\"b-g0-2\"><path d=\"M b-\"/></symbol></defs>"
              "<use href=\"#a-g0-1\" x=\"1\"/><use href=\"#b-g0-2\"/><use href=\"#s-1\"/>"
              "<use href=\"#s-2\"><title>b-</title></use></svg>");
    const std::string c = sharer.share(fig("c-", "y"));
    EXPECT_NE(c.find("<use id=\"s-3\" href=\"#g-1\" style=\"y\"/>"), std::string::npos) << c;
    EXPECT_EQ(c.find(big + "\"/>"), std::string::npos) << "the outline is not repeated";
}

TEST(InlineSvg, PathDataKeepsTwoDecimals) {
    EXPECT_EQ(inline_svg("<svg><path style=\"a:1.234567\" d=\"M 1.234567 -0.004 L 10 2.5 C 3.999 4.126 0 0\"/></svg>", "p-"),
              "<svg><path style=\"a:1.234567\" d=\"M 1.23 0 L 10 2.5 C 4 4.13 0 0\"/></svg>");
}

TEST(FigureFormats, ParsesAListAndNamesTheOption) {
    EXPECT_EQ(parse_figure_formats("png,svg"), (std::vector<render::Format>{render::Format::png, render::Format::svg}));
    EXPECT_EQ(parse_figure_formats("pdf,pdf"), (std::vector<render::Format>{render::Format::pdf}));
    try {
        parse_figure_formats("png,jpg");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--figure-format: 'jpg' is not a format (expected a comma-separated list of png, svg, pdf)");
    }
}

TEST(RunReader, ReadsWhatTheRunWrote) {
    const RunData run = read_run(test::small_run().dir);
    EXPECT_EQ(run.summary.variants.size(), 2u);
    EXPECT_EQ(run.summary.draws, 20);
    const TimeSeries* all = run.timeseries.find(run.summary.variants[0].name, "all");
    ASSERT_NE(all, nullptr);
    ASSERT_NE(all->measure("coverage_p50"), nullptr);
    EXPECT_EQ(all->measure("coverage_p50")->size(), run.timeseries.dates.size());
    EXPECT_EQ(run.timeseries.dates.back(), run.summary.end);
    // members_* have no value on the start date.
    EXPECT_TRUE(std::isnan(all->measure("members_voluntary")->front()));
    EXPECT_NEAR(all->measure("coverage_mean")->front(), run.summary.variants[0].coverage_start, 1e-6);
}

// `run` draws its figures from the results in memory; `report RUN_DIR` and `map RUN_DIR` from the
// directory read back. Both must give the same bytes: the run in memory carries the numbers rounded
// as written (RunData.InMemoryEqualsReadBack checks them bit for bit).
std::string format_dpi(double dpi) { return std::to_string(static_cast<int>(dpi)); }

TEST(RunWithFigures, ReportAndFiguresDrawnLaterFromTheDirectoryAreByteIdentical) {
    test::TempDir tmp;
    const std::string dir = tmp / "run";
    const auto r = test::run_process({CAKUPAN_CLI, "run", test::source("scenarios/babel-2025.toml"), "--out", dir, "--draws", "30", "--quiet"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto rep = test::run_process({CAKUPAN_CLI, "report", dir, "--out", tmp / "other.html"});
    ASSERT_EQ(rep.exit, 0) << rep.err;
    EXPECT_TRUE(test::slurp(dir + "/report.html") == test::slurp(tmp / "other.html")) << "report.html differs from `cakupan report`";
    // Fit for e-mail: 21 maps and 10 charts of the Babel run under 1.5 MB (5.95 MB before maps
    // shared their glyphs, halos and outlines and boundaries were simplified for display).
    EXPECT_LT(fs::file_size(dir + "/report.html"), 1'500'000u);

    const render::PageSize png = report_detail::png_map_page();
    int maps = 0;
    for (const auto& e : fs::directory_iterator(dir + "/maps")) {
        const std::string file = e.path().filename().string();
        const std::string stem = e.path().stem().string(), ext = e.path().extension().string();
        const std::string kind = stem.substr(0, stem.find('-')), variant = stem.substr(stem.find('-') + 1);
        std::vector<std::string> args = {CAKUPAN_CLI, "map", dir, "--kind", kind, "--out", tmp / file};
        if (variant != "all") args.insert(args.end(), {"--variant", variant});
        if (ext == ".png")
            args.insert(args.end(), {"--dpi", format_dpi(png.dpi)});
        const auto m = test::run_process(args);
        ASSERT_EQ(m.exit, 0) << file << ": " << m.err;
        EXPECT_TRUE(test::slurp(e.path().string()) == test::slurp(tmp / file)) << file << " differs from `cakupan map`";
        ++maps;
    }
    EXPECT_EQ(maps, 2 * 21) << "5 coverage + all + 5 gap + 5 probability + 4 change + 1 uncertainty, PNG and SVG";

    const RunData back = read_run(dir);
    int charts = 0;
    for (const auto format : {render::Format::png, render::Format::svg})
        for (const auto& c : run_charts(back, format, render::Lang::id)) {
            const std::string file = dir + "/charts/" + c.name + "." + render::to_string(format);
            EXPECT_TRUE(test::slurp(file) == c.bytes) << file << " differs from the chart drawn from the directory";
            ++charts;
        }
    EXPECT_EQ(charts, 2 * (1 + 7 + 2));
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no InputError";
}

TEST(RunReader, ErrorsSayWhereAndWhat) {
    const std::string good = test::slurp(test::small_run().dir + "/summary.json");
    std::string missing = good;
    missing.replace(missing.find("\"p95\""), 5, "\"p96\"");
    EXPECT_EQ(error_of([&] { parse_run_summary(missing, "s.json"); }), "s.json: variants[0].coverage_end.p95: missing");
    std::string wrong = good;
    wrong.replace(wrong.find("\"draws\": 20"), 11, "\"draws\": \"20\"");
    EXPECT_EQ(error_of([&] { parse_run_summary(wrong, "s.json"); }), "s.json: draws: expected a whole number");
    EXPECT_THAT(error_of([&] { parse_run_summary("{\n  \"a\": 1,\n  oops\n}", "s.json"); }), HasSubstr("s.json:3:3: not valid JSON"));

    const std::string header = "variant,region,name,date,measure,value\n";
    EXPECT_EQ(error_of([&] { parse_run_timeseries(header + "b,all,\"all\",2025-06-01,coverage_mean,x\n", "t.csv"); }),
              "t.csv:2: value 'x' is not a number");
    EXPECT_EQ(error_of([&] { parse_run_timeseries(header + "b,all,2025-06-01,coverage_mean,0.1\n", "t.csv"); }),
              "t.csv:2: 5 fields (expected 6: variant,region,name,date,measure,value)");
    EXPECT_EQ(error_of([&] { parse_run_timeseries("a,b\n", "t.csv"); }),
              "t.csv:1: header is 'a,b' (expected variant,region,name,date,measure,value)");
    const auto ts = parse_run_timeseries(header + "b,19.01,\"Kab. \"\"A\"\", B\",2025-06-01,coverage_mean,0.25\n", "t.csv");
    ASSERT_EQ(ts.series.size(), 1u);
    EXPECT_EQ(ts.series[0].name, "Kab. \"A\", B");
}

} // namespace
} // namespace cakupan
