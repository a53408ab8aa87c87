// Charts: round ticks, axis numbers per language, and the drawn SVG itself (the band polygon,
// the target line at its value, one bar per value on the side of zero its sign says).
#include "cakupan/common/error.hpp"
#include "cakupan/render/chart.hpp"
#include "render/chart_frame.hpp"
#include "svg_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

namespace cakupan::render {
namespace {

using ::testing::ElementsAre;

struct SvgPath {
    std::string style;
    std::vector<std::pair<double, double>> points; // every coordinate pair of d=
    double min_x() const { return std::min_element(points.begin(), points.end())->first; }
    double min_y() const {
        return std::min_element(points.begin(), points.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
    }
    double max_y() const {
        return std::max_element(points.begin(), points.end(), [](auto& a, auto& b) { return a.second < b.second; })->second;
    }
};

// The <path> elements of Cairo's SVG outside <defs> (glyph outlines live in <defs>).
std::vector<SvgPath> paths(const std::string& svg) {
    const auto body = svg.substr(svg.find("</defs>") == std::string::npos ? 0 : svg.find("</defs>"));
    static const std::regex path(R"~(<path ([^>]*?)d="([^"]*)")~");
    static const std::regex style(R"~(style="([^"]*)")~");
    std::vector<SvgPath> out;
    for (std::sregex_iterator it(body.begin(), body.end(), path), end; it != end; ++it) {
        SvgPath p;
        std::smatch m;
        const std::string attrs = (*it)[1].str();
        if (std::regex_search(attrs, m, style)) p.style = m[1].str();
        std::istringstream d((*it)[2].str());
        std::string tok;
        std::vector<double> nums;
        while (d >> tok && tok != "Z") // after Z Cairo repeats the start point
            if (tok != "M" && tok != "L" && tok != "C") nums.push_back(std::stod(tok));
        for (std::size_t i = 0; i + 1 < nums.size(); i += 2) p.points.emplace_back(nums[i], nums[i + 1]);
        if (!p.points.empty()) out.push_back(std::move(p));
    }
    return out;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(ChartTicks, RoundStepsCoveringTheRange) {
    EXPECT_THAT(nice_ticks(0.272, 0.404, 6), ElementsAre(0.25, 0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.425));
    EXPECT_THAT(nice_ticks(-17321, 39000, 6), ElementsAre(-20000, -10000, 0, 10000, 20000, 30000, 40000));
    EXPECT_THAT(nice_ticks(0, 1, 5), ElementsAre(0, 0.2, 0.4, 0.6, 0.8, 1.0));
    const auto flat = nice_ticks(5, 5);
    EXPECT_LE(flat.front(), 5);
    EXPECT_GE(flat.back(), 5);
    EXPECT_GT(flat.size(), 1u);
}

TEST(ChartTicks, AxisNumbersPerLanguage) {
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::percent, 0.2725, 0.0025), "27,25%");
    EXPECT_EQ(format_axis_value(Lang::en, AxisKind::percent, 0.2725, 0.0025), "27.25%");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::percent, 0.3, 0.05), "30%");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::number, -20000, 10000), "-20.000");
    EXPECT_EQ(format_axis_value(Lang::en, AxisKind::number, -20000, 10000), "-20,000");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::number, 2.5, 0.5), "2,5");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::rupiah, 150000, 50000), "Rp150.000");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::rupiah, 1.5e9, 5e8), "Rp1,5 miliar");
    EXPECT_EQ(format_axis_value(Lang::en, AxisKind::rupiah, 1.5e9, 5e8), "Rp1.5 bn");
    EXPECT_EQ(format_axis_value(Lang::id, AxisKind::rupiah, 2e6, 1e6), "Rp2 juta");
}

LineChart band_chart() {
    LineChart c;
    c.text.title = "coverage";
    c.dates = {"2025-06-01", "2025-07-31", "2025-08-31", "2025-09-30"};
    Series s; // no label: the only translucent fill is the band, not a legend swatch
    s.y = {0.3, 0.35, 0.4, 0.45};
    s.band_lo = {0.29, 0.3, 0.32, 0.35};
    s.band_hi = {0.3, 0.4, 0.48, 0.55};
    c.series.push_back(s);
    c.y.kind = AxisKind::percent;
    c.y.min = 0.0;
    c.y.max = 1.0;
    c.reference = 0.5;
    c.reference_label = "target";
    c.marker = "2025-09-30";
    return c;
}

TEST(LineChart, BandIsATranslucentPolygonAndTargetSitsAtItsValue) {
    const std::string svg = render_line_chart(band_chart(), Format::svg, default_chart_page(), Lang::id);
    const auto ps = paths(svg);
    // The band: a closed translucent fill through 2 x 4 points (upper edge, lower edge back).
    const auto band = std::find_if(ps.begin(), ps.end(), [](const SvgPath& p) { return has(p.style, "fill-opacity:0.2"); });
    ASSERT_NE(band, ps.end()) << "no translucent band in the SVG";
    EXPECT_EQ(band->points.size(), 8u);

    // Grid lines (light grey, horizontal) at the ticks 0, 0.2, ..., 1 of the fixed axis.
    std::vector<double> grid;
    for (const auto& p : ps)
        if (has(p.style, "stroke:rgb(86%") && p.points.size() == 2 && p.points[0].second == p.points[1].second)
            grid.push_back(p.points[0].second);
    ASSERT_EQ(grid.size(), 6u);
    const double y0 = *std::max_element(grid.begin(), grid.end()), y1 = *std::min_element(grid.begin(), grid.end());

    // The long dashed horizontal line is the target (the short one is its legend swatch):
    // halfway between 0 and 1 on the axis.
    int found = 0;
    for (const auto& p : ps)
        if (has(p.style, "stroke-dasharray") && p.points.size() == 2 && p.points[0].second == p.points[1].second &&
            p.points[1].first - p.points[0].first > 100) {
            EXPECT_NEAR(p.points[0].second, (y0 + y1) / 2, 0.01);
            ++found;
        }
    EXPECT_EQ(found, 1);
    // The band's top at the third date is at 0.48 of the axis.
    EXPECT_NEAR(band->min_y(), y0 + (y1 - y0) * 0.55, 0.01);
}

TEST(LineChart, SameInputSameBytesInEveryFormat) {
    for (Format f : {Format::png, Format::svg, Format::pdf})
        EXPECT_EQ(render_line_chart(band_chart(), f, default_chart_page(), Lang::en),
                  render_line_chart(band_chart(), f, default_chart_page(), Lang::en))
            << to_string(f);
}

TEST(LineChart, RefusesSeriesOfTheWrongLength) {
    LineChart c = band_chart();
    c.series[0].y.pop_back();
    EXPECT_THROW(render_line_chart(c, Format::svg, default_chart_page(), Lang::id), Error);
    c = band_chart();
    c.series[0].band_hi.pop_back();
    EXPECT_THROW(render_line_chart(c, Format::svg, default_chart_page(), Lang::id), Error);
}

// Bars of one series in the first series colour, as Cairo writes it.
std::vector<SvgPath> bars(const std::string& svg) {
    std::vector<SvgPath> out;
    for (const auto& p : paths(svg))
        if (has(p.style, "fill:rgb(0%,44.7") && !has(p.style, "fill-opacity:0.")) out.push_back(p);
    return out;
}

double zero_line(const std::vector<SvgPath>& ps, bool horizontal_bars) {
    // The zero line is the last stroke drawn in ink.
    for (auto it = ps.rbegin(); it != ps.rend(); ++it)
        if (has(it->style, "stroke:rgb(15%") && it->points.size() == 2)
            return horizontal_bars ? it->points[0].first : it->points[0].second;
    return NAN;
}

TEST(BarChart, OneBarPerValueOnTheSideOfZeroItsSignSays) {
    BarChart c;
    c.categories = {"voluntary", "lapse", "agents"};
    c.series.push_back({"", {3000, -2000, 5000}, {}, {}, 0});
    const std::string svg = render_bar_chart(c, Format::svg, default_chart_page(), Lang::id);
    const auto b = bars(svg);
    ASSERT_EQ(b.size(), 3u);
    const double zero = zero_line(paths(svg), false);
    ASSERT_FALSE(std::isnan(zero));
    // SVG y grows downwards: positive bars end above zero, the loss below it.
    EXPECT_NEAR(b[0].max_y(), zero, 0.01);
    EXPECT_LT(b[0].min_y(), zero);
    EXPECT_NEAR(b[1].min_y(), zero, 0.01);
    EXPECT_GT(b[1].max_y(), zero);
    // Heights in proportion to the values.
    const double h0 = b[0].max_y() - b[0].min_y(), h1 = b[1].max_y() - b[1].min_y(), h2 = b[2].max_y() - b[2].min_y();
    EXPECT_NEAR(h1 / h0, 2.0 / 3.0, 1e-3);
    EXPECT_NEAR(h2 / h0, 5.0 / 3.0, 1e-3);
}

TEST(BarChart, HorizontalBarsGrowLeftForLossesAndNaNDrawsNothing) {
    BarChart c;
    c.horizontal = true;
    c.categories = {"a", "b", "c"};
    c.series.push_back({"", {1.0, -0.5, NAN}, {}, {}, 0});
    const std::string svg = render_bar_chart(c, Format::svg, default_chart_page(), Lang::en);
    const auto b = bars(svg);
    ASSERT_EQ(b.size(), 2u);
    const double zero = zero_line(paths(svg), true);
    EXPECT_NEAR(b[0].min_x(), zero, 0.01);
    EXPECT_LT(b[1].min_x(), zero - 1);
}

TEST(BarChart, ErrorBarsAreDrawnPerValue) {
    BarChart c;
    c.categories = {"a", "b"};
    c.series.push_back({"S", {0.4, 0.2}, {0.3, 0.1}, {0.5, 0.3}, 0});
    const auto ps = paths(render_bar_chart(c, Format::svg, default_chart_page(), Lang::en));
    const auto whiskers = std::count_if(ps.begin(), ps.end(), [](const SvgPath& p) {
        return has(p.style, "stroke-width:0.8") && has(p.style, "stroke:rgb(15%");
    });
    // Two values x (whisker + two caps), plus the zero line.
    EXPECT_EQ(whiskers, 2 * 3 + 1);
    c.series[0].err_hi.pop_back();
    EXPECT_THROW(render_bar_chart(c, Format::svg, default_chart_page(), Lang::en), Error);
}

TEST(ScatterChart, OnePointPerParameter) {
    ScatterChart c;
    c.points = {{0.1, 0.05, "theta", 0}, {0.4, 0.3, "lapse", 0}, {0.2, 0.01, "", 0}};
    c.ratio_lines = {0.5};
    const std::string svg = render_scatter_chart(c, Format::svg, default_chart_page(), Lang::id);
    EXPECT_EQ(bars(svg).size(), 3u); // dots in the first colour
}

TEST(ChartColour, FixedHexColoursThatWrap) {
    EXPECT_EQ(chart_colour(0), "#0072b2");
    EXPECT_EQ(chart_colour(8), chart_colour(0));
}


TEST(LineChart, MonthTicksStandOnTheFirstDayOfTheMonth) {
    using chart_detail::day_number;
    EXPECT_EQ(day_number("1970-01-01"), 0);
    EXPECT_EQ(day_number("2025-06-01") + 29, day_number("2025-06-30"));
    EXPECT_EQ(day_number("2025-12-31") + 1, day_number("2026-01-01"));
    EXPECT_EQ(day_number("2024-03-01") - day_number("2024-02-28"), 2); // leap year
    EXPECT_LT(day_number("June 2025"), -1e299);
    // A run from 1 June to 31 December: data on 1 June, then at month ends.
    const std::vector<std::string> dates = {"2025-06-01", "2025-06-30", "2025-07-31", "2025-08-31",
                                            "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"};
    const auto ticks = chart_detail::month_ticks(dates, Lang::id);
    ASSERT_EQ(ticks.size(), 7u);
    const char* labels[] = {"Jun 2025", "Jul 2025", "Agu 2025", "Sep 2025", "Okt 2025", "Nov 2025", "Des 2025"};
    const char* days[] = {"2025-06-01", "2025-07-01", "2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01", "2025-12-01"};
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        EXPECT_EQ(ticks[i].label, labels[i]);
        EXPECT_EQ(ticks[i].day, day_number(days[i])) << labels[i];
    }
    // "Jun 2025" is at the start date, not at the end-of-June point; December's tick is 30 days
    // before the deadline.
    EXPECT_EQ(ticks.front().day, day_number(dates.front()));
    EXPECT_EQ(day_number(dates.back()) - ticks.back().day, 30);
    // Three years of weeks: at most 7 ticks, every 6 months, in January and July.
    const auto long_ticks = chart_detail::month_ticks({"2024-01-01", "2026-12-30"}, Lang::en);
    ASSERT_EQ(long_ticks.size(), 6u);
    EXPECT_EQ(long_ticks[0].label, "Jan 2024");
    EXPECT_EQ(long_ticks[1].label, "Jul 2024");
    EXPECT_EQ(long_ticks[5].label, "Jul 2026");
}

TEST(LineChart, TheXAxisIsTime) {
    // Points 1 June, 31 July, 31 August, 30 September: the first step is 60 days, the others 31
    // and 30, and the drawn line's x steps are in that proportion.
    LineChart c = band_chart();
    c.series[0].label = "";
    const auto ps = paths(render_line_chart(c, Format::svg, default_chart_page(), Lang::id));
    const auto line = std::find_if(ps.begin(), ps.end(), [](const SvgPath& p) {
        return has(p.style, "stroke-width:1.5") && !has(p.style, "dasharray") && p.points.size() == 4;
    });
    ASSERT_NE(line, ps.end());
    const double a = line->points[1].first - line->points[0].first, b = line->points[2].first - line->points[1].first;
    EXPECT_NEAR(a / b, 60.0 / 31.0, 0.01);
}


// ---- text on the page: from the drawn SVG, every string inside the page and clear of the others.

std::string problems_of(const std::string& svg) {
    const auto page = svg_text::read(svg);
    std::string out;
    for (const auto& p : svg_text::problems(page)) out += p + "\n";
    return out;
}

TEST(ChartText, TheCheckFindsOverlappingAndClippedText) {
    // The check itself can fail: two strings on top of each other, one cut by the page edge.
    Canvas canvas(Format::svg, default_chart_page());
    cairo_t* cr = canvas.cr();
    chart_detail::set_font(cr, 10);
    chart_detail::draw_text(cr, "80,000,000,000", 20, 40, chart_detail::Anchor::left);
    chart_detail::draw_text(cr, "100,000,000,000", 20 + chart_detail::text_width(cr, "80,000,000,000"), 40,
                            chart_detail::Anchor::left); // run together: "80,000,000,000100,000,000,000"
    chart_detail::draw_text(cr, "1.000.000", canvas.width() - 10, 80, chart_detail::Anchor::left);
    const auto page = svg_text::read(canvas.finish());
    EXPECT_EQ(page.texts.size(), 3u);
    const auto found = svg_text::problems(page);
    ASSERT_EQ(found.size(), 2u) << (found.empty() ? "" : found[0]);
    EXPECT_TRUE(has(found[0], "overlap")) << found[0];
    EXPECT_TRUE(has(found[1], "leaves the page")) << found[1];
}

TEST(ChartText, BillionsOfRupiahOnAHorizontalAxisKeepApart) {
    BarChart c;
    c.text = {"Spend by variant", "", "Source: test"};
    c.horizontal = true;
    c.categories = {"baseline", "campaign", "combined"};
    c.series.push_back({"", {8.4e10, 1.57e11, 2.03e11}, {}, {}, 0});
    c.value_axis = {"spend", AxisKind::rupiah, {}, {}};
    for (const Lang lang : {Lang::en, Lang::id}) {
        const std::string svg = render_bar_chart(c, Format::svg, default_chart_page(), lang);
        EXPECT_EQ(problems_of(svg), "");
        // Ticks, category names, axis label, title and source: nothing was dropped to get there.
        EXPECT_GE(svg_text::read(svg).texts.size(), 3u + 3u + 3u);
    }
    // Positive bars get an axis from 0 to just past the largest: the longest bar spans most of
    // the plot (a symmetric axis around 0 would leave it under half).
    const auto b = bars(render_bar_chart(c, Format::svg, default_chart_page(), Lang::en));
    ASSERT_EQ(b.size(), 3u);
    const double longest = std::max_element(b[2].points.begin(), b[2].points.end())->first - b[2].min_x();
    EXPECT_GT(longest, 0.6 * svg_text::read(render_bar_chart(c, Format::svg, default_chart_page(), Lang::en)).width);
    // Narrow pages keep fewer ticks rather than running them together.
    PageSize narrow = default_chart_page();
    narrow.width_px = 700;
    EXPECT_EQ(problems_of(render_bar_chart(c, Format::svg, narrow, Lang::en)), "");
}

TEST(ChartText, TornadoBarsGrowFromTheBaseAndTheAxisFitsThem) {
    BarChart c;
    c.text = {"Tornado: Coverage at the end", "low and high ends", "Source: test"};
    c.horizontal = true;
    c.categories = {"lapse, informal", "innovation (Bass p)", "spillover between regions"};
    c.series.push_back({"low end", {0.262, 0.268, 0.271}, {}, {}, 0});
    c.series.push_back({"high end", {0.291, 0.281, 0.276}, {}, {}, 1});
    c.value_axis = {"coverage", AxisKind::percent, {}, {}};
    c.reference = 0.2724;
    c.reference_label = "base";
    c.origin = 0.2724;
    const std::string svg = render_bar_chart(c, Format::svg, default_chart_page(), Lang::id);
    EXPECT_EQ(problems_of(svg), "");
    auto low = bars(svg); // the first series' colour, less the legend's 8 pt swatch
    std::erase_if(low, [](const SvgPath& p) { return p.max_y() - p.min_y() < 9; });
    ASSERT_EQ(low.size(), 3u);
    // Every low bar ends at the same x, the base, and grows left from it.
    const auto right_end = [](const SvgPath& p) {
        return std::max_element(p.points.begin(), p.points.end())->first;
    };
    for (const auto& b : low) {
        EXPECT_NEAR(right_end(b), right_end(low[0]), 0.01);
        EXPECT_LT(b.min_x(), right_end(b) - 1);
    }
    // The axis spans the data, not 0 to 30%: the longest low bar (0.262 to 0.2724) is more than a
    // tenth of the page wide, where from zero it would be a twenty-fifth.
    EXPECT_GT(right_end(low[0]) - low[0].min_x(), svg_text::read(svg).width / 10);
}

TEST(ChartText, MorrisLabelsOfClusteredPointsNeverOverlap) {
    ScatterChart c;
    c.text = {"Morris: Coverage at the end", "mu* against sigma", "Source: test"};
    c.x = {"mu*", AxisKind::number, 0.0, {}};
    c.y = {"sigma", AxisKind::number, 0.0, {}};
    c.ratio_lines = {0.1, 0.5, 1.0};
    // Eight parameters, six of them in a heap near the origin, as screening gives.
    const char* names[] = {"innovation (Bass p)", "imitation (Bass q)", "spillover between regions", "lapse, informal",
                           "lapse, vulnerable", "reactivation", "regulation uplift", "retention after funding"};
    const double mu[] = {0.0021, 0.0004, 0.0003, 0.018, 0.0102, 0.0005, 0.0002, 0.0006};
    const double sd[] = {0.0009, 0.0001, 0.0002, 0.004, 0.0031, 0.0002, 0.0001, 0.0003};
    for (int i = 0; i < 8; ++i) c.points.push_back({mu[i], sd[i], names[i], 0});
    for (const Lang lang : {Lang::en, Lang::id}) {
        const std::string svg = render_scatter_chart(c, Format::svg, default_chart_page(), lang);
        EXPECT_EQ(problems_of(svg), "");
        // Every label found room (title, subtitle, source, axis labels, ticks and 8 labels at least).
        EXPECT_GE(svg_text::read(svg).texts.size(), 5u + 8u + 4u);
    }
    // Effects of a millionth (rounding noise of an output in rupiah): ticks still fit the page.
    for (auto& p : c.points) p.x *= 1e-4, p.y *= 5e-4;
    EXPECT_EQ(problems_of(render_scatter_chart(c, Format::svg, default_chart_page(), Lang::en)), "");
}

TEST(ChartText, LineAndVerticalBarChartsKeepTheirTextApart) {
    LineChart l = band_chart();
    l.text = {"Coverage over time", "median and 5-95% band", "Source: test"};
    l.marker_label = "deadline";
    l.y.label = "coverage";
    l.dates.clear();
    for (int m = 1; m <= 12; ++m) l.dates.push_back("2025-" + std::string(m < 10 ? "0" : "") + std::to_string(m) + "-28");
    l.series[0].y.assign(12, 0.3);
    l.series[0].band_lo.assign(12, 0.25);
    l.series[0].band_hi.assign(12, 0.35);
    l.marker = "2025-12-28";
    EXPECT_EQ(problems_of(render_line_chart(l, Format::svg, default_chart_page(), Lang::id)), "");

    BarChart b;
    b.text = {"Added members", "", "Source: test"};
    for (int k = 0; k < 12; ++k) b.categories.push_back("Kabupaten number " + std::to_string(k));
    b.series.push_back({"2025", std::vector<double>(12, 1.2e6), {}, {}, 0});
    b.series.push_back({"2026", std::vector<double>(12, 3.4e6), {}, {}, 1});
    b.value_axis = {"members", AxisKind::number, {}, {}};
    EXPECT_EQ(problems_of(render_bar_chart(b, Format::svg, default_chart_page(), Lang::en)), "");
}

} // namespace
} // namespace cakupan::render
