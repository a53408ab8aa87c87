// The driver of each region of a per-region study, drivers.csv and the report's driver table:
// summed up by parent region on a layer of villages, in full on a small layer.
#include "cakupan/study/drivers.hpp"
#include "io/csv.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>

using namespace cakupan;

namespace {

// A layer without shapes whose indices are given directly as rows: each region's driver is known.
class RowsModel final : public StudyModel {
public:
    explicit RowsModel(std::vector<std::string> codes) : codes_(std::move(codes)) {
        outputs_.push_back("coverage_end");
        for (const auto& c : codes_) outputs_.push_back("coverage_end:" + c), names_.push_back("Desa \"" + c + "\", Jatim");
    }
    const std::vector<std::string>& output_names() const override { return outputs_; }
    void evaluate(std::size_t, std::span<const double>, std::span<double>) const override {}
    const std::vector<std::string>& input_files() const override { return none_; }
    const std::vector<std::string>& region_codes() const override { return codes_; }
    const std::vector<std::string>& region_names() const override { return names_; }

private:
    std::vector<std::string> codes_, names_, outputs_, none_;
};

Study study_of(std::size_t parameters) {
    Study st;
    st.name = "villages";
    st.method = StudyMethod::lhs; // a signed main index (prcc)
    for (std::size_t k = 0; k < parameters; ++k) {
        StudyParameter p;
        p.key = "parameters.p" + std::to_string(k);
        p.label = "p" + std::to_string(k);
        st.parameters.push_back(p);
    }
    st.outputs = {"coverage_end", "coverage_end_by_region"};
    return st;
}

// Rows of an LHS study in which region i is driven by drivers[i] (-1: no finite index): the driver
// gets a prcc of +-0.9 (sign alternating), the others smaller values; plus the whole-layer output.
std::vector<IndexRow> rows_for(const Study& st, const RowsModel& model, const std::vector<int>& drivers) {
    std::vector<IndexRow> rows;
    for (const auto& p : st.parameters) rows.push_back({"coverage_end", p.label, "prcc", 0.99, NAN, NAN});
    for (std::size_t i = 0; i < drivers.size(); ++i) {
        const std::string o = "coverage_end:" + model.region_codes()[i];
        rows.push_back({o, "", "mean", 0.3, NAN, NAN});
        for (std::size_t k = 0; k < st.parameters.size(); ++k) {
            double v = drivers[i] < 0                      ? NAN
                       : static_cast<int>(k) == drivers[i] ? (i % 2 ? -0.9 : 0.9)
                                                           : 0.1 * static_cast<double>(k % 5);
            rows.push_back({o, st.parameters[k].label, "prcc", v, v - 0.05, v + 0.05});
            rows.push_back({o, st.parameters[k].label, "prcc_p_value", 0.01, NAN, NAN}); // not the main index: ignored
        }
    }
    return rows;
}

std::vector<int> random_drivers(std::size_t n, int parameters, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> d(-1, parameters - 1);
    std::vector<int> out(n);
    for (auto& x : out) x = d(gen);
    return out;
}

} // namespace

TEST(StudyDrivers, DriverOfEachRegionAndItsSignedIndexInOnePass) {
    const Study st = study_of(4);
    const RowsModel model(test::village_codes(2, 3, 5));
    const auto drivers = random_drivers(model.region_codes().size(), 4, 7);
    const auto rows = rows_for(st, model, drivers);
    EXPECT_EQ(region_drivers(st, model, rows), drivers);
    const auto values = region_driver_values(st, model, rows);
    ASSERT_EQ(values.size(), drivers.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(values[i].parameter, drivers[i]);
        if (drivers[i] >= 0)
            EXPECT_EQ(values[i].value, i % 2 ? -0.9 : 0.9) << i; // the sign is kept
        else
            EXPECT_TRUE(std::isnan(values[i].value));
    }
}

TEST(StudyDrivers, GroupsByTheLowestParentLevelWithFewEnoughGroups) {
    const auto codes = test::village_codes(4, 5, 6); // 120 villages, 20 kecamatan, 4 kab/kota
    const std::vector<std::string> names(codes.size(), "x");
    const std::vector<int> none(codes.size(), -1);
    auto parents = [&](std::size_t max_groups) {
        std::vector<std::string> out;
        for (const auto& g : drivers_by_parent(codes, names, none, 3, max_groups, render::Lang::en)) out.push_back(g.code);
        return out;
    };
    EXPECT_EQ(parents(200).size(), 20u); // kecamatan
    EXPECT_EQ(parents(200).front(), "35.01.01");
    EXPECT_EQ(parents(19), (std::vector<std::string>{"35.01", "35.02", "35.03", "35.04"})); // kab/kota
    EXPECT_EQ(parents(3), (std::vector<std::string>{"35"}));
    const auto g = drivers_by_parent(codes, names, none, 3, 19, render::Lang::en);
    EXPECT_EQ(g[1].name, "kab/kota 35.02"); // not a region of the layer: named by its level
    EXPECT_EQ(drivers_by_parent(codes, names, none, 3, 3, render::Lang::id)[0].name, "provinsi 35");
    EXPECT_TRUE(drivers_by_parent({"1", "2", "3"}, {"a", "b", "c"}, {0, 1, 0}, 2, 200, render::Lang::en).empty()); // flat codes
}

TEST(StudyDrivers, ParentCountsAddUpAndItsDriverIsTheMostFrequent) {
    const auto codes = test::village_codes(7, 9, 13); // 819 villages, 63 kecamatan
    const std::vector<std::string> names(codes.size(), "x");
    for (unsigned seed : {1u, 2u, 3u}) {
        const auto drivers = random_drivers(codes.size(), 5, seed);
        const auto groups = drivers_by_parent(codes, names, drivers, 5, 40, render::Lang::en); // 63 > 40: kab/kota
        ASSERT_EQ(groups.size(), 7u);
        std::size_t regions = 0;
        for (const auto& g : groups) {
            // Recount the members of this parent from the codes.
            std::vector<std::size_t> c(5, 0);
            std::size_t members = 0, none = 0;
            for (std::size_t i = 0; i < codes.size(); ++i)
                if (codes[i].rfind(g.code + ".", 0) == 0) {
                    ++members;
                    if (drivers[i] < 0)
                        ++none;
                    else
                        ++c[static_cast<std::size_t>(drivers[i])];
                }
            EXPECT_EQ(g.regions, members);
            EXPECT_EQ(g.no_result, none);
            const auto first = static_cast<std::size_t>(std::max_element(c.begin(), c.end()) - c.begin()); // first of the largest
            EXPECT_EQ(g.first, static_cast<int>(first)) << g.code;
            EXPECT_EQ(g.first_regions, c[first]);
            std::vector<std::size_t> rest = c;
            rest[first] = 0;
            const auto second = static_cast<std::size_t>(std::max_element(rest.begin(), rest.end()) - rest.begin());
            EXPECT_EQ(g.second, static_cast<int>(second)) << g.code;
            EXPECT_EQ(g.second_regions, c[second]);
            regions += g.regions;
        }
        EXPECT_EQ(regions, codes.size());
    }
    // Ties go to the earlier parameter; one driver only leaves no second.
    const std::vector<std::string> four = {"35.01.01.2001", "35.01.01.2002", "35.01.01.2003", "35.01.01.2004"};
    const auto tie = drivers_by_parent(four, {"a", "b", "c", "d"}, {2, 1, 1, 2}, 3, 200, render::Lang::en);
    ASSERT_EQ(tie.size(), 1u);
    EXPECT_EQ(tie[0].first, 1);
    EXPECT_EQ(tie[0].second, 2);
    const auto one = drivers_by_parent(four, {"a", "b", "c", "d"}, {0, 0, -1, 0}, 3, 200, render::Lang::en);
    EXPECT_EQ(one[0].first, 0);
    EXPECT_EQ(one[0].first_regions, 3u);
    EXPECT_EQ(one[0].second, -1);
    EXPECT_EQ(one[0].no_result, 1u);
}

TEST(StudyDrivers, DriversCsvHasEveryRegionOnceWithItsDriver) {
    const Study st = study_of(6);
    const RowsModel model(test::village_codes(3, 4, 25)); // 300 regions
    const auto drivers = random_drivers(model.region_codes().size(), 6, 11);
    const auto rows = rows_for(st, model, drivers);
    const std::string text = drivers_csv(st, model, rows);
    csv::Reader in(text, "drivers.csv");
    std::vector<std::string> f;
    ASSERT_TRUE(in.next(f));
    EXPECT_EQ(f, (std::vector<std::string>{"code", "name", "parameter", "index", "value"}));
    const auto expected = region_driver_values(st, model, rows);
    std::size_t i = 0;
    for (; in.next(f); ++i) {
        ASSERT_LT(i, model.region_codes().size());
        ASSERT_EQ(f.size(), 5u);
        EXPECT_EQ(f[0], model.region_codes()[i]); // every region once, in layer order
        EXPECT_EQ(f[1], model.region_names()[i]); // quoted name read back whole
        if (drivers[i] < 0) {
            EXPECT_EQ(f[2] + f[3] + f[4], "");
        } else {
            EXPECT_EQ(f[2], st.parameters[static_cast<std::size_t>(drivers[i])].label);
            EXPECT_EQ(f[3], "prcc");
            EXPECT_EQ(std::stod(f[4]), expected[i].value);
        }
    }
    EXPECT_EQ(i, model.region_codes().size());
}

TEST(StudyDrivers, ReportSumsUpALargeLayerByParentAndKeepsEveryRegionOfASmallOne) {
    auto rows_in = [](const std::string& html) { // body rows: every <tr> but the tables' header rows
        std::size_t n = 0;
        for (auto at = html.find("<tr>"); at != std::string::npos; at = html.find("<tr>", at + 1)) ++n;
        for (auto at = html.find("<thead><tr>"); at != std::string::npos; at = html.find("<thead><tr>", at + 1)) --n;
        return n;
    };
    const Study st = study_of(3);
    const std::vector<int> small_drivers = {0, 1, 2, -1, 1, 1, 0};
    const RowsModel small(test::village_codes(1, 1, 7));
    const auto s = study_report_section(st, small, rows_for(st, small, small_drivers), {}, render::Lang::en);
    for (const auto& c : small.region_codes()) EXPECT_NE(s.html.find("<td>" + c + "</td>"), std::string::npos) << c;
    EXPECT_EQ(s.html.find("by parent region"), std::string::npos);
    EXPECT_NE(s.html.find("no result"), std::string::npos);
    EXPECT_NE(s.html.find("drivers.csv"), std::string::npos); // named among the files

    const RowsModel large(test::village_codes(3, 10, 8)); // 240 > kDriverTableMaxRegions villages, 30 kecamatan
    ASSERT_GT(large.region_codes().size(), kDriverTableMaxRegions);
    const auto drivers = random_drivers(large.region_codes().size(), 3, 5);
    const auto l = study_report_section(st, large, rows_for(st, large, drivers), {}, render::Lang::en);
    EXPECT_EQ(l.html.find("<td>" + large.region_codes().front() + "</td>"), std::string::npos); // no village rows
    EXPECT_NE(l.html.find("<td>35.01.01</td>"), std::string::npos);
    EXPECT_NE(l.html.find("<td>35.03.10</td>"), std::string::npos);
    EXPECT_NE(l.html.find("drivers.csv has the main driver of every region"), std::string::npos);
    // Parameters (3), whole-layer indices (3), one row per kecamatan (30).
    EXPECT_EQ(rows_in(l.html), 3u + 3u + 30u);
    EXPECT_EQ(rows_in(s.html), 3u + 3u + 7u);
}
