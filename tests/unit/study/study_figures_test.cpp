// The figures and report of a sensitivity study: the driver map on regions whose drivers are known
// by construction, every fixed text in both languages, and a self-contained report.html.
#include "cakupan/common/diagnostics.hpp"
#include "cakupan/render/projection.hpp"
#include "cakupan/study/study.hpp"
#include "cakupan/study/study_runner.hpp"
#include "support/process.hpp"
#include "render/map_test_support.hpp"
#include "scenario_support.hpp"
#include "study/study_texts.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace cakupan;

namespace {

// Six regions of the grid fixture with coverage made from two parameters so that the one with the
// larger tornado swing is known: a, b, a (2a + b), b (a + 2b), b, and no result for the last
// (its rows are dropped, as for a region whose indices could not be estimated).
class GridModel final : public StudyModel {
public:
    GridModel() : layer_(test::maps::grid()) {
        for (const auto& id : layer_.ids) outputs_.push_back("coverage_end:" + id);
    }
    const std::vector<std::string>& output_names() const override { return outputs_; }
    void evaluate(std::size_t, std::span<const double> x, std::span<double> y) const override {
        const double a = x[0], b = x[1];
        const double v[6] = {a, b, 2 * a + b, a + 2 * b, b, 0.5};
        for (std::size_t k = 0; k < y.size(); ++k) y[k] = v[k];
    }
    const std::vector<std::string>& input_files() const override { return none_; }
    const std::vector<std::string>& region_codes() const override { return layer_.ids; }
    const std::vector<std::string>& region_names() const override { return layer_.names; }
    const ShapeSet* region_shapes() const override { return &layer_.shapes; }

private:
    render::MapLayer layer_;
    std::vector<std::string> outputs_, none_;
};

Study grid_study() {
    Study st;
    st.name = "grid";
    st.method = StudyMethod::tornado;
    for (const char* p : {"a", "b"}) {
        StudyParameter sp;
        sp.key = std::string("parameters.") + p;
        sp.label = p;
        st.parameters.push_back(sp);
    }
    st.outputs = {"coverage_end_by_region"};
    return st;
}

// MPI (when built with it) is initialised once per process.
const ProcessGroup& group() {
    static const ProcessGroup g;
    return g;
}

struct Evaluated {
    Study study = grid_study();
    GridModel model;
    std::vector<IndexRow> rows;
    explicit Evaluated(bool unused_parameter = false) {
        if (unused_parameter) { // varied, but the model ignores it: it drives no region
            StudyParameter sp;
            sp.key = "parameters.lapse.informal";
            sp.label = "lapse.informal";
            study.parameters.push_back(sp);
        }
        const auto design = make_design(study);
        const StudyRun run = run_study(study, *design, model, {}, group());
        rows = study_indices(study, *design, model, run);
        const std::string last = "coverage_end:" + model.region_codes().back();
        std::erase_if(rows, [&](const IndexRow& r) { return r.output == last; });
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Text between tags, trimmed, each once.
std::set<std::string> text_nodes(const std::string& html) {
    static const std::regex node(">([^<]+)<");
    std::set<std::string> out;
    for (std::sregex_iterator it(html.begin(), html.end(), node), end; it != end; ++it) {
        std::string t = (*it)[1].str();
        t.erase(0, t.find_first_not_of(" \n"));
        t.erase(t.find_last_not_of(" \n") + 1);
        if (!t.empty()) out.insert(t);
    }
    return out;
}

} // namespace

TEST(StudyFigures, DriverOfEachRegionIsTheParameterWithTheLargestSwing) {
    const Evaluated e;
    EXPECT_EQ(region_drivers(e.study, e.model, e.rows), (std::vector<int>{0, 1, 0, 1, 1, -1}));
}

TEST(StudyFigures, DriverMapLegendCountsAndColoursEveryRegion) {
    const Evaluated e;
    const auto spec = driver_map_spec(e.study, e.model, e.rows, render::Lang::en);
    ASSERT_TRUE(spec.has_value());
    const render::PlanarShapes planar = render::project(*e.model.region_shapes(), "");
    const render::PageSize page{600, 600, 144};
    const render::MapLayout layout = render::layout_map(*spec, planar, page, render::Lang::en);
    ASSERT_EQ(layout.legend.size(), 3u);
    EXPECT_EQ(layout.legend[0].label, "a  (2)");
    EXPECT_EQ(layout.legend[1].label, "b  (3)");
    EXPECT_EQ(layout.legend[2].label, "No data  (1)");
    EXPECT_TRUE(layout.legend[2].no_data);

    // One path per region: two in a's colour, three in b's, one without data.
    const std::string svg = render::draw_map(*spec, planar, layout, render::Format::svg, page);
    auto paths = test::maps::region_paths_by_fill(svg);
    const auto ca = test::maps::to8(spec->style.category_colours[0]), cb = test::maps::to8(spec->style.category_colours[1]);
    EXPECT_EQ(paths[ca], 2);
    EXPECT_EQ(paths[cb], 3);
    static const std::regex hatched(R"re(<path style="[^"]*fill:url\(#pattern[0-9]+\)[^"]*stroke:rgb)re");
    const std::string body = svg.substr(svg.find("</defs>") == std::string::npos ? 0 : svg.find("</defs>"));
    int total = static_cast<int>(std::distance(std::sregex_iterator(body.begin(), body.end(), hatched), std::sregex_iterator()));
    for (const auto& [colour, n] : paths) total += n;
    EXPECT_EQ(total, 6);
}

TEST(StudyFigures, DriverMapListsOnlyParametersThatDriveARegionInDistinctColours) {
    const Evaluated e(true);
    const auto spec = driver_map_spec(e.study, e.model, e.rows, render::Lang::en);
    ASSERT_TRUE(spec.has_value());
    // The ignored parameter (last in the study) has no entry; a and b get the first Paired colours.
    EXPECT_EQ(spec->style.categories, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(spec->style.category_colours, categorical_colours(2));
    // A default label is written readably: the key's parts, never "lapse.informal".
    EXPECT_EQ(parameter_name(e.study.parameters[2], render::Lang::en), "lapse, informal");
    EXPECT_EQ(parameter_name(e.study.parameters[2], render::Lang::id), "putus kepesertaan, informal");
    StudyParameter own = e.study.parameters[2];
    own.label = "Lapse of informal workers";
    EXPECT_EQ(parameter_name(own, render::Lang::id), "Lapse of informal workers");
}

// On a village layer the driver map has the kecamatan drawn and named over the villages, from the
// boundary file's kecamatan layer, and the report's summary rows carry their names.
TEST(StudyFigures, DriverMapOfAVillageLayerNamesItsKecamatan) {
    const fs::path dir = fs::temp_directory_path() / ("cakupan-study-parents-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path file = dir / "tanah-bumbu.toml";
    std::ofstream(file) << "[study]\nscenario = \"" << test::source("scenarios/tanah-bumbu-1desa100.toml")
                        << "\"\nvariant = \"desa100\"\nmethod = \"tornado\"\noutputs = [\"coverage_end_by_region\"]\n"
                           "[[parameter]]\nkey = \"parameters.lapse.informal\"\nlow = 0.015\nhigh = 0.06\n";
    const Study st = load_study(file.string());
    fs::remove_all(dir);
    Diagnostics notes;
    const auto model = make_study_model(st, notes);
    const ParentRegions* parents = model->region_parents();
    ASSERT_NE(parents, nullptr);
    EXPECT_EQ(parents->level, 3);
    ASSERT_EQ(parents->codes.size(), 12u);
    ASSERT_EQ(parents->names.size(), 12u);
    std::vector<IndexRow> rows; // every village driven by the one parameter
    for (const auto& c : model->region_codes()) rows.push_back({"coverage_end:" + c, st.parameters[0].label, "swing", 0.01, NAN, NAN});
    auto spec = driver_map_spec(st, *model, rows, render::Lang::en);
    ASSERT_TRUE(spec.has_value());
    EXPECT_EQ(spec->parent_names, parents->names);
    const render::PlanarShapes planar = render::project(*model->region_shapes(), "", parents->shapes, spec->parent_outlines);
    ASSERT_EQ(spec->parent_outlines.region_count(), 12u);
    const auto texts = render::layout_map(*spec, planar, render::PageSize{}, render::Lang::en).texts();
    std::size_t named = 0;
    for (const auto& n : parents->names) named += std::count(texts.begin(), texts.end(), n) > 0 ? 1 : 0;
    EXPECT_GE(named, 9u) << "most kecamatan are named on the driver map";
}

TEST(StudyFigures, EveryFixedTextChangesWithTheLanguage) {
    const Evaluated e;
    const auto en = driver_map_spec(e.study, e.model, e.rows, render::Lang::en);
    const auto id = driver_map_spec(e.study, e.model, e.rows, render::Lang::id);
    ASSERT_TRUE(en && id);
    EXPECT_NE(en->title, id->title);
    EXPECT_NE(en->subtitle, id->subtitle);
    EXPECT_NE(en->legend_title, id->legend_title);
    EXPECT_NE(en->source, id->source);
    EXPECT_EQ(en->style.categories, id->style.categories); // parameter labels are data

    const auto fen = study_figures(e.study, e.model, e.rows, render::Lang::en, false);
    const auto fid = study_figures(e.study, e.model, e.rows, render::Lang::id, false);
    ASSERT_EQ(fen.size(), fid.size());
    ASSERT_FALSE(fen.empty());
    for (std::size_t i = 0; i < fen.size(); ++i) {
        EXPECT_EQ(fen[i].name, fid[i].name);
        EXPECT_NE(fen[i].caption, fid[i].caption);
        EXPECT_NE(fen[i].svg, fid[i].svg);
    }

    // In the report section, a text shared by both languages must be data: a parameter, a code,
    // a region name, an index name or a number.
    const auto sen = study_report_section(e.study, e.model, e.rows, fen, render::Lang::en);
    const auto sid = study_report_section(e.study, e.model, e.rows, fid, render::Lang::id);
    EXPECT_NE(sen.title, sid.title);
    EXPECT_EQ(sen.id, sid.id);
    std::set<std::string> data = {"swing", "tornado"};
    for (const auto& p : e.study.parameters) data.insert({p.label, p.key, p.distribution.describe()});
    for (const auto& c : e.model.region_codes()) data.insert(c);
    for (const auto& n : e.model.region_names()) data.insert(n);
    const auto nodes_id = text_nodes(sid.html);
    int fixed = 0;
    for (const auto& t : text_nodes(sen.html)) {
        if (data.count(t) || t.find_first_not_of("0123456789.,-+% ") == std::string::npos) continue;
        ++fixed;
        EXPECT_EQ(nodes_id.count(t), 0u) << "'" << t << "' is the same in both languages";
    }
    EXPECT_GT(fixed, 10);
}

TEST(StudyFigures, ReportIsOneSelfContainedFileWithTablesAndFigures) {
    const fs::path dir = fs::temp_directory_path() / ("cakupan_studyfig_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string study = std::string(CAKUPAN_TEST_DATA_DIR) + "/studies/babel_tornado.toml";
    const auto r = test::run_process({CAKUPAN_CLI, "sensitivity", study, "--out", dir.string(), "--lang", "en", "--quiet"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const std::string html = slurp(dir / "report.html");
    EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
    for (const char* bad : {"http:", "https:", "src=", "<img", "<link", "<script"}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
    static const std::regex id_attr(R"~(\sid="([^"]*)")~");
    std::set<std::string> ids;
    for (std::sregex_iterator it(html.begin(), html.end(), id_attr), end; it != end; ++it)
        EXPECT_TRUE(ids.insert((*it)[1].str()).second) << "id " << (*it)[1].str() << " appears twice";
    EXPECT_GT(ids.size(), 50u);
    // Every reference inside the figures resolves to an id of the document.
    static const std::regex ref(R"~((?:href="#|url\(#)([^")]+))~");
    for (std::sregex_iterator it(html.begin(), html.end(), ref), end; it != end; ++it)
        EXPECT_TRUE(ids.count((*it)[1].str())) << "dangling #" << (*it)[1].str();
    // Tornado charts of coverage_end and spend, the driver map; tables of parameters, of the two
    // outputs' indices and of the regions' drivers.
    auto count = [&](const std::string& s) {
        std::size_t n = 0;
        for (auto at = html.find(s); at != std::string::npos; at = html.find(s, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("<figure>"), 3u);
    EXPECT_EQ(count("<table>"), 4u);
    EXPECT_NE(html.find("Kabupaten Belitung Timur"), std::string::npos);
    EXPECT_NE(html.find("What drives each region"), std::string::npos);
    for (const char* f : {"tornado-coverage_end.svg", "tornado-coverage_end.png", "tornado-spend.png", "drivers.csv", "maps/driver-coverage_end.svg",
                          "maps/driver-coverage_end.png"})
        EXPECT_TRUE(fs::exists(dir / f)) << f;
    fs::remove_all(dir);

    const auto bad = test::run_process({CAKUPAN_CLI, "sensitivity", study, "--out", dir.string(), "--lang", "fr"});
    EXPECT_EQ(bad.exit, 2);
    EXPECT_FALSE(fs::exists(dir / "report.html"));
    fs::remove_all(dir);
}
