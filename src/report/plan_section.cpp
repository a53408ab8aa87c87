// "What it would take": plan.json read back (one reader, checked field by field) and shown as a
// section of a run's report and as a few lines at the end of the quick start.
#include "cakupan/report/plan_section.hpp"

#include "cakupan/common/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cakupan {

namespace fs = std::filesystem;
using json = nlohmann::json;
using render::Lang;
using render::tr;

namespace {

// A field of plan.json; a wrong or missing one is named by its path, e.g. "chosen.variables[0].spend".
class Field {
public:
    Field(const json& j, const std::string& file, std::string path) : j_(j), file_(file), path_(std::move(path)) {}
    Field at(const std::string& key) const {
        if (!j_.is_object()) fail("expected an object");
        const auto it = j_.find(key);
        const std::string p = path_.empty() ? key : path_ + "." + key;
        if (it == j_.end()) Field(j_, file_, p).fail("missing");
        return Field(*it, file_, p);
    }
    bool has(const std::string& key) const { return j_.is_object() && j_.contains(key); }
    std::vector<Field> items() const {
        if (!j_.is_array()) fail("expected an array");
        std::vector<Field> out;
        for (std::size_t i = 0; i < j_.size(); ++i) out.emplace_back(j_[i], file_, path_ + "[" + std::to_string(i) + "]");
        return out;
    }
    double number() const {
        if (!j_.is_number()) fail("expected a number");
        return j_.get<double>();
    }
    int integer() const {
        if (!j_.is_number_integer()) fail("expected a whole number");
        return j_.get<int>();
    }
    bool boolean() const {
        if (!j_.is_boolean()) fail("expected true or false");
        return j_.get<bool>();
    }
    std::string text() const {
        if (!j_.is_string()) fail("expected a string");
        return j_.get<std::string>();
    }
    [[noreturn]] void fail(const std::string& what) const { throw InputError(file_ + ": " + (path_.empty() ? "document" : path_) + ": " + what); }

private:
    const json& j_;
    const std::string& file_;
    std::string path_;
};

std::string pct(Lang lang, double v) { return render::format_percent(lang, v, 2); }
std::string rp(Lang lang, double v) { return render::format_rupiah(lang, std::round(v)); }

std::string amount_text(const PlanResult::Variable& v, Lang lang) {
    if (v.amount == "budget") return tr(lang, "budget ", "anggaran ") + rp(lang, v.value);
    const std::string n = render::format_number(lang, v.value, 0);
    if (v.amount == "agents") return n + tr(lang, " agents", " agen");
    return n + tr(lang, " workers per village", " pekerja per desa");
}

std::string requirement_text(const PlanResult& p, Lang lang) {
    return "P(" + std::string(tr(lang, "coverage", "cakupan")) + " >= " + pct(lang, p.target) + tr(lang, " on ", " pada ") +
           render::format_date(lang, p.deadline) + ") >= " + render::format_percent(lang, p.probability_level, 0);
}

} // namespace

PlanResult read_plan_result(const std::string& plan_dir) {
    const std::string file = (fs::path(plan_dir) / "plan.json").string();
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file + ": cannot read (is this a plan directory written by `cakupan plan --out`?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;
        throw InputError(file + ":" + std::to_string(line) + ": not valid JSON");
    }
    // The layout first: a plan of another version fails here, not on some field.
    if (!doc.is_object() || !doc.contains("schema") || !doc["schema"].is_string())
        throw InputError(file + ": no \"schema\" (written by an earlier Cakupan; run the plan again)");
    if (doc["schema"].get<std::string>() != kPlanSchema)
        throw InputError(file + ": schema '" + doc["schema"].get<std::string>() + "' is not " + kPlanSchema +
                         " (written by another version of Cakupan; run the plan again)");
    const Field root(doc, file, "");
    PlanResult p;
    p.dir = plan_dir;
    p.plan = root.at("plan").text();
    p.goal = root.at("goal").text();
    p.deadline = root.at("deadline").text();
    p.target = root.at("target").number();
    p.probability_level = root.at("probability_level").number();
    p.draws = root.at("draws").integer();
    p.feasible = root.at("feasible").boolean();
    const Field c = root.at("chosen");
    p.total_spend = c.at("total_spend").number();
    p.probability = c.at("probability").number();
    p.probability_se = c.at("probability_se").number();
    p.median = c.at("median").number();
    for (const Field& v : c.at("variables").items()) {
        PlanResult::Variable x;
        x.intervention = v.at("intervention").text();
        x.lever = v.at("lever").text();
        x.amount = v.at("amount").text();
        x.funder = v.at("funder").text();
        x.month = v.at("month").text();
        for (const Field& r : v.at("regions").items()) x.regions.push_back(r.text());
        x.value = v.at("value").number();
        x.spend = v.at("spend").number();
        p.variables.push_back(std::move(x));
    }
    for (const Field& f : c.at("funders").items()) {
        PlanResult::FunderSpend x;
        x.funder = f.at("funder").text();
        x.year = f.at("year").integer();
        x.spend = f.at("spend").number();
        if (f.has("ceiling")) x.ceiling = f.at("ceiling").number();
        p.funders.push_back(std::move(x));
    }
    p.has_report = fs::is_regular_file(fs::path(plan_dir) / "report.html");
    return p;
}

std::string plan_probability_text(const PlanResult& p, Lang lang) {
    const double e = 1.96 * p.probability_se;
    return pct(lang, p.probability) + " (95%: " + pct(lang, std::max(0.0, p.probability - e)) + "-" + pct(lang, std::min(1.0, p.probability + e)) +
           ")";
}

std::string plan_answer_text(const PlanResult& p, Lang lang) {
    std::ostringstream os;
    os << tr(lang, "what it would take", "apa yang dibutuhkan") << " (" << tr(lang, "plan ", "rencana ") << p.plan << ", "
       << requirement_text(p, lang) << "):\n";
    if (!p.feasible)
        os << tr(lang, "  OUT OF REACH within the levers' upper bounds; the best reachable plan:\n",
                 "  TIDAK TERCAPAI dalam batas atas tuas; rencana terbaik yang tercapai:\n");
    for (const auto& v : p.variables) os << "  " << v.intervention << ": " << amount_text(v, lang) << tr(lang, "; spend ", "; belanja ") << rp(lang, v.spend) << "\n";
    os << tr(lang, "  total spend ", "  total belanja ") << rp(lang, p.total_spend) << "\n";
    os << "  P(target) " << plan_probability_text(p, lang) << tr(lang, ", median coverage ", ", cakupan median ") << pct(lang, p.median) << "\n";
    return os.str();
}

ReportSection plan_report_section(const PlanResult& p, const RunData& run, const std::string& report_path, Lang lang) {
    const std::string file = (fs::path(p.dir) / "plan.json").string();
    if (p.deadline != run.summary.end)
        throw InputError(file + ": deadline: the plan ends on " + p.deadline + " but the run on " + run.summary.end +
                         " (a plan of another scenario?)");
    auto esc = [](const std::string& s) { return escape_html(s); };
    std::ostringstream h;
    h << "<p>" << esc(tr(lang, "The least spend for ", "Belanja terkecil untuk ")) << esc(requirement_text(p, lang)) << " ("
      << esc(tr(lang, "plan ", "rencana ")) << esc(p.plan) << ", " << p.draws << esc(tr(lang, " draws", " undian")) << "):</p>\n";
    if (!p.feasible)
        h << "<p class=\"warn\"><strong>" << esc(tr(lang, "Out of reach within the levers' upper bounds.", "Tidak tercapai dalam batas atas tuas."))
          << "</strong> " << esc(tr(lang, "The table shows the best reachable plan.", "Tabel menunjukkan rencana terbaik yang tercapai.")) << "</p>\n";
    h << "<table><thead><tr><th>" << esc(tr(lang, "Lever", "Tuas")) << "</th><th>" << esc(tr(lang, "Amount", "Besaran")) << "</th><th>"
      << esc(tr(lang, "Spend", "Belanja")) << "</th><th>" << esc(tr(lang, "Funder", "Pendana")) << "</th><th>" << esc(tr(lang, "From", "Mulai"))
      << "</th></tr></thead><tbody>\n";
    for (const auto& v : p.variables)
        h << "<tr><td>" << esc(v.intervention) << "</td><td>" << esc(amount_text(v, lang)) << "</td><td class=\"num\">" << esc(rp(lang, v.spend))
          << "</td><td>" << esc(v.funder) << "</td><td>" << esc(v.month) << "</td></tr>\n";
    h << "<tr><th>" << esc(tr(lang, "Total", "Total")) << "</th><td></td><th class=\"num\">" << esc(rp(lang, p.total_spend))
      << "</th><td></td><td></td></tr>\n</tbody></table>\n";
    if (!p.funders.empty()) {
        h << "<p>" << esc(tr(lang, "By funder and year: ", "Per pendana dan tahun: "));
        for (std::size_t i = 0; i < p.funders.size(); ++i) {
            const auto& f = p.funders[i];
            h << (i ? "; " : "") << esc(f.funder) << " " << f.year << " " << esc(rp(lang, f.spend));
            if (f.ceiling >= 0) h << esc(tr(lang, " of ", " dari ")) << esc(rp(lang, f.ceiling));
        }
        h << ".</p>\n";
    }
    h << "<p>" << esc(tr(lang, "Outcome on ", "Hasil pada ")) << esc(render::format_date(lang, p.deadline)) << ": P(target) <strong>"
      << esc(plan_probability_text(p, lang)) << "</strong>" << esc(tr(lang, " (95% interval from the Monte Carlo error), median coverage ",
                                                                    " (interval 95% dari galat Monte Carlo), cakupan median "))
      << esc(pct(lang, p.median)) << ".</p>\n";
    if (p.has_report) {
        const fs::path from = fs::absolute(fs::path(report_path)).parent_path().lexically_normal();
        const fs::path to = fs::absolute(fs::path(p.dir) / "report.html").lexically_normal();
        h << "<p><a href=\"" << esc(to.lexically_relative(from).generic_string()) << "\">"
          << esc(tr(lang, "The plan in full (its own report)", "Rencana selengkapnya (laporannya sendiri)")) << "</a></p>\n";
    }
    return {"plan", tr(lang, "What it would take", "Apa yang dibutuhkan"), h.str()};
}

} // namespace cakupan
