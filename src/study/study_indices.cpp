// The indices of each method as rows (output, parameter, index, value, interval), and the text
// files made from them. Every number is written in its shortest exact form, so the same results
// give the same bytes.
#include "cakupan/common/error.hpp"
#include "cakupan/sensitivity/indices.hpp"
#include "cakupan/study/study_runner.hpp"
#include "io/csv.hpp"
#include "io/toml_support.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace cakupan {

namespace sa = cakupan::sensitivity;
using json = nlohmann::ordered_json;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

std::string cell(double v) { return std::isfinite(v) ? format_number(v) : ""; }

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

} // namespace

std::vector<IndexRow> study_indices(const Study& st, const sa::Design& design, const StudyModel& model, const StudyRun& run) {
    const auto& outputs = model.output_names();
    std::vector<IndexRow> rows;
    auto add = [&](const std::string& o, const std::string& p, const char* index, double v, double lo = kNone, double hi = kNone) {
        rows.push_back({o, p, index, v, lo, hi});
    };
    auto label = [&](std::size_t k) { return st.parameters[k].label; };
    // A plain MatrixXd binds to both the vector and the matrix overloads: name the matrix one.
    const Eigen::Ref<const Eigen::MatrixXd> y(run.y);
    try {
        switch (st.method) {
        case StudyMethod::tornado: {
            const auto t = sa::tornado(dynamic_cast<const sa::OatDesign&>(design), y);
            for (std::size_t c = 0; c < t.size(); ++c) {
                add(outputs[c], "", "base", t[c].base);
                for (const auto& b : t[c].bars) { // largest swing first
                    add(outputs[c], label(b.parameter), "low", b.low);
                    add(outputs[c], label(b.parameter), "high", b.high);
                    add(outputs[c], label(b.parameter), "swing", b.swing);
                }
            }
            break;
        }
        case StudyMethod::lhs: {
            const auto s = sa::summarise(y);
            for (Eigen::Index c = 0; c < run.y.cols(); ++c) {
                const auto& o = outputs[static_cast<std::size_t>(c)];
                const auto& m = s[static_cast<std::size_t>(c)];
                add(o, "", "mean", m.mean), add(o, "", "sd", m.sd), add(o, "", "p5", m.p5), add(o, "", "p50", m.p50), add(o, "", "p95", m.p95);
                const auto p = sa::prcc(run.x, run.y.col(c), st.confidence);
                for (std::size_t k = 0; k < p.size(); ++k) {
                    add(o, label(k), "prcc", p[k].value, p[k].ci.low, p[k].ci.high);
                    add(o, label(k), "prcc_p_value", p[k].value == p[k].value ? p[k].p_value : kNone);
                }
            }
            break;
        }
        case StudyMethod::morris: {
            const auto e = sa::morris(dynamic_cast<const sa::MorrisDesign&>(design), y);
            for (std::size_t c = 0; c < e.size(); ++c)
                for (std::size_t k = 0; k < e[c].size(); ++k) {
                    add(outputs[c], label(k), "mu", e[c][k].mu);
                    add(outputs[c], label(k), "mu_star", e[c][k].mu_star);
                    add(outputs[c], label(k), "sigma", e[c][k].sigma);
                }
            break;
        }
        case StudyMethod::sobol: {
            sa::SobolSettings settings;
            settings.bootstrap = st.bootstrap;
            settings.level = st.confidence;
            settings.seed = st.seed;
            const auto s = sa::sobol(dynamic_cast<const sa::SaltelliDesign&>(design), y, settings);
            for (std::size_t c = 0; c < s.size(); ++c) {
                const auto& r = s[c];
                add(outputs[c], "", "mean", r.mean);
                add(outputs[c], "", "variance", r.variance);
                for (std::size_t k = 0; k < r.s1.size(); ++k) {
                    const bool ci = k < r.s1_ci.size();
                    add(outputs[c], label(k), "S1", r.s1[k], ci ? r.s1_ci[k].low : kNone, ci ? r.s1_ci[k].high : kNone);
                    add(outputs[c], label(k), "ST", r.st[k], ci ? r.st_ci[k].low : kNone, ci ? r.st_ci[k].high : kNone);
                }
                if (st.second_order && r.s2.size() > 0)
                    for (Eigen::Index j = 0; j < r.s2.rows(); ++j)
                        for (Eigen::Index k = j + 1; k < r.s2.cols(); ++k)
                            add(outputs[c], label(static_cast<std::size_t>(j)) + "*" + label(static_cast<std::size_t>(k)), "S2",
                                r.s2(j, k), r.s2_low.size() ? r.s2_low(j, k) : kNone, r.s2_high.size() ? r.s2_high(j, k) : kNone);
            }
            break;
        }
        }
    } catch (const std::invalid_argument& e) {
        throw Error(std::string("indices: ") + e.what());
    }
    return rows;
}

std::string indices_csv(const std::vector<IndexRow>& rows) {
    std::string out;
    csv::Writer csv(out);
    csv.record({"output", "parameter", "index", "value", "ci_low", "ci_high"});
    for (const auto& r : rows) csv.record({r.output, r.parameter, r.index, cell(r.value), cell(r.low), cell(r.high)});
    return out;
}

std::string indices_json(const Study& st, const std::vector<IndexRow>& rows) {
    json outputs = json::array();
    for (const auto& r : rows) {
        if (outputs.empty() || outputs.back()["output"] != r.output)
            outputs.push_back({{"output", r.output}, {"summary", json::object()}, {"parameters", json::array()}});
        json& o = outputs.back();
        if (r.parameter.empty()) {
            o["summary"][r.index] = number(r.value);
            continue;
        }
        json& ps = o["parameters"];
        auto it = std::find_if(ps.begin(), ps.end(), [&](const json& p) { return p["parameter"] == r.parameter; });
        if (it == ps.end()) {
            ps.push_back({{"parameter", r.parameter}});
            it = ps.end() - 1;
        }
        (*it)[r.index] = number(r.value);
        if (std::isfinite(r.low) || std::isfinite(r.high)) (*it)[r.index + "_ci"] = {number(r.low), number(r.high)};
    }
    json doc = {{"study", st.name}, {"method", to_string(st.method)}, {"confidence", st.confidence}, {"outputs", std::move(outputs)}};
    return doc.dump(2) + "\n";
}

std::string samples_csv(const Study& st, const StudyModel& model, const StudyRun& run) {
    std::string out;
    csv::Writer csv(out);
    std::vector<std::string> fields = {"point"};
    for (const auto& p : st.parameters) fields.push_back(p.key);
    for (const auto& o : model.output_names()) fields.push_back(o);
    csv.record(fields);
    for (Eigen::Index i = 0; i < run.x.rows(); ++i) {
        fields.assign(1, std::to_string(i));
        for (Eigen::Index k = 0; k < run.x.cols(); ++k) fields.push_back(cell(run.x(i, k)));
        for (Eigen::Index k = 0; k < run.y.cols(); ++k) fields.push_back(cell(run.y(i, k)));
        csv.record(fields);
    }
    return out;
}

} // namespace cakupan
