// The report opened in headless Chromium (Debian's `chromium`, installed by scripts/setup.sh):
// the DOM the browser builds has the maps (SVG with paths), the tables with the variants, and a
// screenshot of the page is not blank.
#include "cakupan/report/report.hpp"
#include "cakupan/run/run_reader.hpp"
#include "scenario_support.hpp"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

namespace cakupan {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string find_chromium() {
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        const char* path = std::getenv("PATH");
        std::string dirs = path ? path : "/usr/bin:/bin";
        std::size_t start = 0;
        while (start <= dirs.size()) {
            const auto colon = dirs.find(':', start);
            const std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
    }
    return "";
}

TEST(ReportInBrowser, RendersMapsTablesAndAPage) {
    const std::string chromium = find_chromium();
    ASSERT_FALSE(chromium.empty()) << "chromium is not installed: run scripts/setup.sh (Debian package `chromium`) to test the "
                                      "report in a browser";
    test::TempDir tmp;
    const std::string dir = tmp / "run";
    const auto run = test::run_process({CAKUPAN_CLI, "run", test::data("scenarios/small.toml"), "--out", dir, "--draws", "20",
                                        "--quiet", "--figure-format", "svg", "--lang", "en"});
    ASSERT_EQ(run.exit, 0) << run.err;
    const std::string report = dir + "/report-en.html";
    ASSERT_TRUE(fs::exists(report));
    const std::string url = "file://" + fs::absolute(report).string();
    const std::vector<std::string> common = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                             "--user-data-dir=" + tmp / "profile", "--hide-scrollbars"};

    auto args = common;
    args.insert(args.end(), {"--dump-dom", url});
    const auto dom = test::run_process(args);
    ASSERT_EQ(dom.exit, 0) << dom.err;
    const std::string& html = dom.out;
    // The browser parsed the inline SVGs as SVG elements with drawn paths.
    const std::regex svg_with_path(R"(<svg[^>]*>[\s\S]*?<path)");
    EXPECT_TRUE(std::regex_search(html, svg_with_path)) << "no <svg> with <path> in the DOM";
    const auto maps = html.find("<section id=\"maps\"");
    ASSERT_NE(maps, std::string::npos);
    const auto maps_end = html.find("</section>", maps);
    EXPECT_THAT(html.substr(maps, maps_end - maps), HasSubstr("<path")) << "the maps section has no drawn paths";
    const RunData data = read_run(dir);
    for (const char* table : {"table-answer", "table-regions-1", "table-run", "table-inputs"})
        EXPECT_THAT(html, HasSubstr(std::string("<table id=\"") + table + "\"")) << table;
    for (const auto& v : data.summary.variants) EXPECT_THAT(html, HasSubstr("<td>" + v.name + "</td>"));

    const std::string shot = tmp / "page.png";
    args = common;
    args.insert(args.end(), {"--screenshot=" + shot, "--window-size=1000,1400", url});
    const auto s = test::run_process(args);
    ASSERT_EQ(s.exit, 0) << s.err;
    cairo_surface_t* img = cairo_image_surface_create_from_png(shot.c_str());
    ASSERT_EQ(cairo_surface_status(img), CAIRO_STATUS_SUCCESS) << "no screenshot at " << shot;
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    const int stride = cairo_image_surface_get_stride(img);
    const unsigned char* px = cairo_image_surface_get_data(img);
    long dark = 0, coloured = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto* p = px + y * stride + x * 4; // BGRA
            const int b = p[0], g = p[1], r = p[2];
            if (r + g + b < 200) ++dark;
            if (std::max({r, g, b}) - std::min({r, g, b}) > 60) ++coloured;
        }
    cairo_surface_destroy(img);
    EXPECT_GT(dark, static_cast<long>(w) * h / 500) << "hardly any text on the page";
    EXPECT_GT(coloured, static_cast<long>(w) * h / 1000) << "no coloured figure on the first screen";
}

} // namespace
} // namespace cakupan
