#include "cakupan/plan/run_plan.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_directory.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/render/chart.hpp"
#include "cakupan/render/map.hpp"
#include "cakupan/render/projection.hpp"
#include "cakupan/report/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace cakupan {

namespace fs = std::filesystem;
using render::tr;

namespace {

const std::vector<std::string> kPlanFiles = {"manifest.json", "scenario.toml", "plan.json", "frontier.csv", "summary.txt", "report.html",
                                             "charts/frontier.svg", "charts/frontier.png", "charts/frontier-probability.svg", "charts/frontier-probability.png", "charts/allocation.svg", "charts/allocation.png",
                                             "maps/spend.svg", "maps/spend.png", "maps/added.svg", "maps/added.png"};

// A plan directory is written only where nothing else lives: absent, empty, or (with force)
// holding an earlier plan: only files a plan writes, with the manifest that says a plan wrote them
// (a file of the user's that happens to be named summary.txt is never replaced).
void check_plan_directory(const std::string& dir, bool force) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    if (!fs::is_directory(dir, ec)) throw OutputError(dir + ": exists and is not a directory");
    bool any = false;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
        if (e.is_directory()) continue;
        const std::string rel = fs::relative(e.path(), dir).generic_string();
        const bool ours = std::find(kPlanFiles.begin(), kPlanFiles.end(), rel) != kPlanFiles.end();
        if (!ours) throw OutputError(dir + ": holds " + rel + ", which a plan does not write; choose another --out");
        if (!force) throw OutputError(dir + ": holds an earlier plan; give --force to replace it");
        any = true;
    }
    std::ifstream m(fs::path(dir) / "manifest.json", std::ios::binary);
    const std::string manifest((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
    if (any && (manifest.find("\"written_by\": \"cakupan\"") == std::string::npos ||
                manifest.find("\"kind\": \"plan\"") == std::string::npos))
        throw OutputError(dir + ": holds no earlier plan (no manifest.json written by cakupan plan); --force replaces only a "
                                "plan directory: choose another --out");
}

struct Figure {
    std::string name, caption, svg, png;
};

std::vector<Figure> plan_figures(const PlanProblem& pb, const PlanAnswer& a, render::Lang lang) {
    std::vector<Figure> out;
    const auto page = render::default_chart_page();
    render::ScatterChart f;
    f.text.title = tr(lang, "Budget and outcome", "Anggaran dan hasil");
    f.text.subtitle = tr(lang, "median coverage at the deadline against spend, along the greedy path",
                         "cakupan median pada tenggat terhadap belanja, sepanjang jalur greedy");
    f.text.source = "Cakupan plan " + pb.plan().name + ", seed " + std::to_string(pb.plan().seed);
    f.x = {tr(lang, "spend", "belanja"), render::AxisKind::rupiah, 0.0, std::nullopt};
    f.y = {tr(lang, "median coverage", "cakupan median"), render::AxisKind::percent, std::nullopt, std::nullopt};
    for (const auto& c : a.path) f.points.push_back({c.total_spend, c.median, "", 0});
    f.points.push_back({a.chosen.total_spend, a.chosen.median, tr(lang, "plan", "rencana"), 1});
    out.push_back({"charts/frontier", tr(lang, "Budget-outcome frontier", "Batas anggaran-hasil"),
                   render::render_scatter_chart(f, render::Format::svg, page, lang),
                   render::render_scatter_chart(f, render::Format::png, page, lang)});
    render::ScatterChart fp = f;
    fp.text.title = tr(lang, "Budget and chance of the target", "Anggaran dan peluang target");
    fp.text.subtitle = tr(lang, "P(coverage >= target at the deadline) against spend, along the greedy path",
                          "P(cakupan >= target pada tenggat) terhadap belanja, sepanjang jalur greedy");
    fp.y = {"P(target)", render::AxisKind::percent, 0.0, 1.0};
    fp.points.clear();
    for (const auto& c : a.path) fp.points.push_back({c.total_spend, c.probability, "", 0});
    fp.points.push_back({a.chosen.total_spend, a.chosen.probability, tr(lang, "plan", "rencana"), 1});
    out.push_back({"charts/frontier-probability", fp.text.title, render::render_scatter_chart(fp, render::Format::svg, page, lang),
                   render::render_scatter_chart(fp, render::Format::png, page, lang)});
    render::BarChart b;
    b.text.title = tr(lang, "Spend by lever and region", "Belanja per tuas dan wilayah");
    b.text.source = f.text.source;
    b.horizontal = true;
    b.value_axis = {tr(lang, "spend", "belanja"), render::AxisKind::rupiah, std::nullopt, std::nullopt};
    render::BarSeries s;
    for (std::size_t i = 0; i < pb.variables().size(); ++i) {
        b.categories.push_back(pb.variables()[i].label);
        s.values.push_back(a.chosen.spend[i]);
    }
    b.series.push_back(s);
    out.push_back({"charts/allocation", tr(lang, "Allocation", "Alokasi"), render::render_bar_chart(b, render::Format::svg, page, lang),
                   render::render_bar_chart(b, render::Format::png, page, lang)});

    // Allocation maps: spend per region (a copy covering several regions shares its spend by
    // workers) and members added per region.
    const auto& in = pb.simulation().inputs();
    if (in.regions.shapes.region_count() != in.regions.size()) return out;
    const std::size_t R = in.regions.size();
    std::vector<double> spend(R, 0.0);
    const auto& w = pb.region_workers();
    for (std::size_t i = 0; i < pb.variables().size(); ++i) {
        std::vector<std::size_t> rs;
        for (const auto& code : pb.variables()[i].codes)
            if (auto r = in.regions.find(code)) rs.push_back(*r);
        if (rs.empty())
            for (std::size_t r = 0; r < R; ++r) rs.push_back(r);
        double total = 0;
        for (auto r : rs) total += w[static_cast<Eigen::Index>(r)];
        for (auto r : rs) spend[r] += total > 0 ? a.chosen.spend[i] * w[static_cast<Eigen::Index>(r)] / total : 0;
    }
    const render::PlanarShapes planar = render::project(in.regions.shapes, "");
    const render::PageSize map_page;
    auto map = [&](const std::string& name, const std::string& title, const std::vector<double>& values) {
        render::MapSpec spec;
        spec.names = in.regions.names.empty() ? in.regions.ids : in.regions.names;
        spec.panels = {{"", values}};
        spec.style.format = render::ValueFormat::number;
        spec.style.classes = static_cast<int>(std::min<std::size_t>(5, R));
        spec.title = title;
        spec.subtitle = pb.plan().title.empty() ? pb.plan().name : pb.plan().title;
        spec.source = f.text.source;
        out.push_back({name, title, render::render_map(spec, planar, render::Format::svg, map_page, lang),
                       render::render_map(spec, planar, render::Format::png, map_page, lang)});
    };
    map("maps/spend", tr(lang, "Spend per region (Rp)", "Belanja per wilayah (Rp)"), spend);
    map("maps/added", tr(lang, "Members added by the plan", "Peserta yang ditambah rencana"), a.chosen.region_added);
    return out;
}

} // namespace

PlanOutcome run_plan(const PlanConfig& config, const ProcessGroup& group) {
    const auto t0 = std::chrono::steady_clock::now();
    Plan plan = load_plan(config.plan);
    if (config.draws) {
        if (*config.draws < 10) throw UsageError("--draws: expected 10 or more");
        plan.draws = *config.draws;
    }
    if (config.out.empty()) throw UsageError("--out: a plan directory is needed");
    const std::string dir = output_path(config.out).string();
    check_plan_directory(dir, config.force);
    Diagnostics notes;
    auto problem = std::make_shared<const PlanProblem>(plan, notes);
    if (config.notice && group.root())
        for (const auto& d : notes.items()) config.notice(d.line());
    PlanOutcome out;
    out.problem = problem;
    out.answer = solve_plan(*problem, config.threads, group);
    out.summary = plan_summary(*problem, out.answer, config.lang);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!group.root()) return out;

    std::vector<std::pair<std::string, std::string>> files = {
        {"scenario.toml", problem->scenario_text(out.answer.chosen.x, dir)},
        {"plan.json", plan_json(*problem, out.answer)},
        {"frontier.csv", frontier_csv(*problem, out.answer)},
        {"summary.txt", out.summary}};
    if (config.figures) {
        const auto figures = plan_figures(*problem, out.answer, config.lang);
        std::string html = "<pre>" + escape_html(out.summary) + "</pre>\n";
        for (const auto& f : figures) {
            files.emplace_back(f.name + ".svg", f.svg);
            files.emplace_back(f.name + ".png", f.png);
            html += "<figure>" + inline_svg(f.svg, "plan-" + fs::path(f.name).filename().string() + "-") + "<figcaption>" +
                    escape_html(f.caption) + "</figcaption></figure>\n";
        }
        const std::string title = plan.title.empty() ? plan.name : plan.title;
        files.emplace_back("report.html", report_document(title, std::string(tr(config.lang, "Plan ", "Rencana ")) + plan.name,
                                                          {{"plan", tr(config.lang, "The plan", "Rencana"), html}}, config.lang));
    }
    // The whole directory is written beside the target and moved into place: nothing half-written
    // on error, and no file of an earlier plan left among the new ones.
    // The manifest lets a later --force know the directory as a plan's; it is not one of the plan's files.
    const nlohmann::ordered_json manifest = {{"written_by", "cakupan"}, {"kind", "plan"}, {"plan", plan.name}};
    write_directory_atomically(dir, [&](const fs::path& tmp) {
        std::error_code ec;
        fs::create_directories(tmp / "charts", ec);
        if (!ec) fs::create_directories(tmp / "maps", ec);
        if (ec) throw OutputError(dir + ": cannot create the directory: " + ec.message());
        for (const auto& [name, content] : files) {
            write_file_atomically((tmp / name).string(), content, false);
            out.written.push_back(name);
        }
        write_file_atomically((tmp / "manifest.json").string(), manifest.dump(2) + "\n", false);
    });
    return out;
}

} // namespace cakupan
