// The charts of a run, built from its summary and time series.
#include "cakupan/render/chart.hpp"
#include "cakupan/report/report.hpp"
#include "report_texts.hpp"

#include <cmath>
#include <limits>

namespace cakupan {

using render::Lang;
using render::tr;

namespace {

constexpr std::size_t kMaxRegionCharts = 12;

std::string source_note(const RunData& run, Lang lang) {
    const auto& s = run.summary;
    const std::string draws = s.mode == "expected" ? tr(lang, "expected path", "jalur harapan")
                                                   : render::format_number(lang, s.draws, 0) + tr(lang, " draws", " simulasi");
    return std::string(tr(lang, "Source: Cakupan run ", "Sumber: simulasi Cakupan ")) + s.scenario_name + ", " + draws + ", " +
           tr(lang, "seed ", "seed ") + std::to_string(s.seed);
}

// Coverage over time of every variant in one region ("all" for the whole area).
render::LineChart coverage_chart(const RunData& run, const std::string& region, const std::string& title, Lang lang) {
    const auto& s = run.summary;
    render::LineChart c;
    c.text.title = title;
    c.text.subtitle = std::string(tr(lang, "Median coverage with the 5th-95th percentile band", "Median cakupan dengan rentang persentil ke-5 s.d. ke-95"));
    c.text.source = source_note(run, lang);
    c.dates = run.timeseries.dates;
    c.y.kind = render::AxisKind::percent;
    c.y.label = tr(lang, "coverage", "cakupan");
    double target = s.target;
    if (region != "all")
        for (const auto& r : s.variants.front().regions)
            if (r.code == region) target = r.target;
    if (target > 0) {
        c.reference = target;
        c.reference_label = std::string(tr(lang, "target ", "target ")) + render::format_percent(lang, target);
    }
    c.marker = s.end;
    c.marker_label = std::string(tr(lang, "deadline ", "tenggat ")) + render::format_date(lang, s.end);
    for (std::size_t i = 0; i < s.variants.size(); ++i) {
        const TimeSeries* ts = run.timeseries.find(s.variants[i].name, region);
        if (ts == nullptr) continue;
        render::Series line;
        line.label = s.variants[i].name;
        line.colour = static_cast<int>(i);
        const auto nan = std::vector<double>(c.dates.size(), std::numeric_limits<double>::quiet_NaN());
        const auto* p50 = ts->measure("coverage_p50");
        line.y = p50 ? *p50 : ts->measure("coverage_mean") ? *ts->measure("coverage_mean") : nan;
        if (ts->measure("coverage_p5") && ts->measure("coverage_p95")) {
            line.band_lo = *ts->measure("coverage_p5");
            line.band_hi = *ts->measure("coverage_p95");
        }
        c.series.push_back(std::move(line));
    }
    return c;
}

} // namespace

std::vector<RunFigure> run_charts(const RunData& run, render::Format format, Lang lang) {
    const auto& s = run.summary;
    const render::PageSize page = render::default_chart_page();
    std::vector<RunFigure> out;

    out.push_back({"coverage-all", std::string(tr(lang, "Coverage over time, all regions", "Cakupan dari waktu ke waktu, seluruh wilayah")),
                   render::render_line_chart(coverage_chart(run, "all", tr(lang, "Coverage over time, all regions",
                                                                             "Cakupan dari waktu ke waktu, seluruh wilayah"),
                                                            lang),
                                             format, page, lang)});

    // One chart per region when there are few; a national run would give hundreds.
    const auto& regions = s.variants.front().regions;
    if (regions.size() <= kMaxRegionCharts && run.timeseries.find(s.variants.front().name, regions.empty() ? "" : regions.front().code))
        for (const auto& r : regions) {
            const std::string title = std::string(tr(lang, "Coverage over time, ", "Cakupan dari waktu ke waktu, ")) + r.name;
            out.push_back({"coverage-" + r.code, title, render::render_line_chart(coverage_chart(run, r.code, title, lang), format, page, lang)});
        }

    // Members added by lever: one group per lever, one bar per variant; lapse is a loss.
    {
        render::BarChart c;
        c.text.title = tr(lang, "Members added by lever", "Tambahan peserta per pengungkit");
        c.text.subtitle = std::string(tr(lang, "Mean over the period ", "Rata-rata selama periode ")) + render::format_date(lang, s.start) +
                          " - " + render::format_date(lang, s.end) + tr(lang, "; losses are negative", "; kehilangan bernilai negatif");
        c.text.source = source_note(run, lang);
        c.horizontal = true;
        c.value_axis.label = tr(lang, "members", "peserta");
        const auto& levers = s.variants.front().members_added;
        std::vector<std::size_t> used;
        for (std::size_t l = 0; l < levers.size(); ++l) {
            bool any = false;
            for (const auto& v : s.variants)
                if (l < v.members_added.size() && std::fabs(v.members_added[l].second) >= 0.5) any = true;
            if (any) used.push_back(l);
        }
        if (used.empty()) used.push_back(0);
        for (std::size_t l : used) c.categories.push_back(report_detail::lever_name(lang, levers[l].first));
        for (std::size_t i = 0; i < s.variants.size(); ++i) {
            render::BarSeries b;
            b.label = s.variants[i].name;
            b.colour = static_cast<int>(i);
            for (std::size_t l : used)
                b.values.push_back(l < s.variants[i].members_added.size() ? s.variants[i].members_added[l].second
                                                                          : std::numeric_limits<double>::quiet_NaN());
            c.series.push_back(std::move(b));
        }
        out.push_back({"members-by-lever", c.text.title, render::render_bar_chart(c, format, page, lang)});
    }

    // Cost per added member: one bar per variant (zero when nothing is paid).
    {
        render::BarChart c;
        c.text.title = tr(lang, "Cost per added member", "Biaya per tambahan peserta");
        c.text.subtitle = tr(lang, "Spend divided by the members added by paid levers", "Belanja dibagi tambahan peserta dari pengungkit berbayar");
        c.text.source = source_note(run, lang);
        c.value_axis.kind = render::AxisKind::rupiah;
        c.value_axis.label = tr(lang, "Rp per member", "Rp per peserta");
        c.value_labels = true;
        render::BarSeries b;
        for (std::size_t i = 0; i < s.variants.size(); ++i) {
            c.categories.push_back(s.variants[i].name);
            // Nothing paid: no bar rather than a misleading Rp0.
            const double cost = s.variants[i].cost_per_added_member;
            b.values.push_back(cost > 0 ? cost : std::numeric_limits<double>::quiet_NaN());
        }
        c.series.push_back(std::move(b));
        out.push_back({"cost-per-member", c.text.title, render::render_bar_chart(c, format, page, lang)});
    }
    return out;
}

} // namespace cakupan
