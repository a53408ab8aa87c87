// The answer of a plan in words, as JSON and as the frontier table.
#include "cakupan/plan/run_plan.hpp"
#include "cakupan/report/plan_section.hpp"

#include "cakupan/scenario/scenario.hpp"
#include "io/toml_support.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace cakupan {

using json = nlohmann::ordered_json;
using render::tr;

namespace {

std::string pct(render::Lang lang, double v) { return render::format_percent(lang, v, 2); }
std::string rp(render::Lang lang, double v) { return render::format_rupiah(lang, std::round(v)); }
std::string num(render::Lang lang, double v) { return render::format_number(lang, v, 0); }

std::string amount_text(const PlanProblem& pb, std::size_t i, double x, render::Lang lang) {
    const auto& l = pb.plan().levers[pb.variables()[i].lever];
    if (l.amount == "budget") return tr(lang, "budget ", "anggaran ") + rp(lang, x);
    if (l.amount == "agents") return num(lang, x) + tr(lang, " agents", " agen");
    return num(lang, x) + tr(lang, " workers per village", " pekerja per desa");
}

// P(target) with a 95% interval from the Monte Carlo error of the draws.
std::string probability_text(const PlanAnswer& a, render::Lang lang) {
    const double p = a.chosen.probability, e = 1.96 * a.mc_error;
    return pct(lang, p) + " (95%: " + pct(lang, std::max(0.0, p - e)) + "-" + pct(lang, std::min(1.0, p + e)) + ")";
}

} // namespace

std::string plan_summary(const PlanProblem& pb, const PlanAnswer& a, render::Lang lang) {
    const Plan& p = pb.plan();
    const auto& sc = pb.simulation().inputs().scenario;
    const auto& regions = pb.simulation().inputs().regions;
    std::ostringstream os;
    os << tr(lang, "plan ", "rencana ") << p.name << (p.title.empty() ? "" : ": " + p.title) << "\n";
    os << tr(lang, "goal: ", "tujuan: ") << to_string(p.goal);
    if (p.goal == PlanGoal::minimum_spend) os << " (" << to_string(p.requirement) << ", P >= " << p.probability << ")";
    if (p.goal == PlanGoal::maximise) os << " (" << to_string(p.measure) << tr(lang, ", budget ", ", anggaran ") << rp(lang, p.budget) << ")";
    os << "; " << tr(lang, "target ", "target ") << pct(lang, pb.target()) << tr(lang, " on ", " pada ") << to_string(sc.period.end) << "; "
       << (p.mode == Mode::expected ? std::string(tr(lang, "expected path", "jalur harapan"))
                                    : std::to_string(p.draws) + tr(lang, " draws, the same for every candidate", " undian, sama untuk setiap kandidat"))
       << "\n\n";

    const Candidate& c = a.chosen;
    if (p.goal == PlanGoal::minimum_spend && !a.feasible) {
        os << tr(lang, "OUT OF REACH: no plan within the levers' upper bounds meets the requirement by ",
                 "TIDAK TERCAPAI: tidak ada rencana dalam batas atas tuas yang memenuhi syarat pada ")
           << to_string(sc.period.end) << ".\n"
           << tr(lang, "best reachable: median ", "terbaik yang tercapai: median ") << pct(lang, c.median) << ", P(target) "
           << probability_text(a, lang) << tr(lang, ", with the plan below.\n", ", dengan rencana di bawah.\n");
        if (a.reached_on)
            os << tr(lang, "with that plan the median reaches the target on ", "dengan rencana itu median mencapai target pada ") << to_string(*a.reached_on)
               << ".\n\n";
        else
            os << tr(lang, "with that plan the median does not reach the target within 36 months after the deadline.\n\n",
                     "dengan rencana itu median tidak mencapai target dalam 36 bulan setelah tenggat.\n\n");
    }
    os << tr(lang, "the plan:\n", "rencananya:\n");
    for (std::size_t i = 0; i < pb.variables().size(); ++i) {
        const auto& v = pb.variables()[i];
        const auto& l = p.levers[v.lever];
        os << "  " << v.label << ": " << amount_text(pb, i, c.x[i], lang) << tr(lang, "; spend ", "; belanja ") << rp(lang, c.spend[i])
           << " (" << l.funder << ", " << (l.amount == "agents" ? tr(lang, "fees from ", "honor sejak ") : tr(lang, "committed ", "dianggarkan ")) << v.month
           << ")";
        os << "\n";
    }
    os << tr(lang, "  by region: members added by the plan, median coverage, P(target)\n",
             "  per wilayah: peserta yang ditambah rencana, cakupan median, P(target)\n");
    for (std::size_t r = 0; r < regions.size(); ++r)
        os << "    " << regions.ids[r] << (regions.names.empty() ? "" : " " + regions.names[r]) << ": " << num(lang, c.region_added[r]) << ", "
           << pct(lang, c.region_median[r]) << ", " << pct(lang, c.region_probability[r]) << "\n";
    os << tr(lang, "  total spend ", "  total belanja ") << rp(lang, c.total_spend) << "\n";
    for (const auto& f : funder_spend(pb, c))
        os << "    " << f.funder << " " << f.year << ": " << rp(lang, f.spend)
           << (f.ceiling >= 0 ? std::string(tr(lang, " of ", " dari ")) + rp(lang, f.ceiling) : std::string()) << "\n";
    os << "\n" << tr(lang, "outcome on ", "hasil pada ") << to_string(sc.period.end) << tr(lang, ": median coverage ", ": cakupan median ")
       << pct(lang, c.median) << ", P(target) " << probability_text(a, lang);
    if (regions.size() > 1) os << tr(lang, "; regions at target (P >= ", "; wilayah mencapai target (P >= ") << p.probability << "): " << c.regions_at_target << "/" << regions.size()
                               << tr(lang, "; lowest region median ", "; median wilayah terendah ") << pct(lang, c.lowest_region);
    os << "\n";
    for (const auto& [name, b] : a.baselines)
        os << "  " << tr(lang, "compared with the ", "dibanding pembagian ") << name << tr(lang, " split: ", ": ") << tr(lang, "median ", "median ")
           << pct(lang, b.median) << ", P " << pct(lang, b.probability) << tr(lang, ", regions at target ", ", wilayah mencapai target ")
           << b.regions_at_target << tr(lang, ", lowest region median ", ", median wilayah terendah ") << pct(lang, b.lowest_region)
           << tr(lang, ", spend ", ", belanja ") << rp(lang, b.total_spend) << "\n";

    os << "\n" << tr(lang, "why:\n", "alasannya:\n");
    os << "  " << tr(lang, "binding: ", "yang mengikat: ") << a.binding << "\n";
    for (std::size_t i = 0; i < pb.variables().size(); ++i)
        if (!std::isnan(a.saturated_at[i]))
            os << "  " << pb.variables()[i].label << ": "
               << (a.saturated_why[i] == "pool empty" ? tr(lang, "more buys nothing above ", "tambahan tidak membeli apa pun di atas ")
                                                      : tr(lang, "adds nothing to the objective above ", "tidak menambah tujuan di atas "))
               << amount_text(pb, i, a.saturated_at[i], lang)
               << (a.saturated_why[i] == "pool empty" ? tr(lang, ": the pool of eligible workers is empty; it absorbs ", ": kelompok pekerja yang memenuhi syarat habis; terserap ") +
                                                            rp(lang, a.saturated_spend[i])
                                                      : std::string())
               << "\n";
    for (std::size_t i = 0; i < pb.variables().size(); ++i)
        os << "  " << tr(lang, "next step of ", "langkah berikut ") << pb.variables()[i].label << " (+" << rp(lang, a.next_spend[i])
           << tr(lang, " spend): median ", " belanja): median ") << (a.next_median[i] >= 0 ? "+" : "") << render::format_number(lang, a.next_median[i] * 100, 3)
           << tr(lang, " points, P ", " poin, P ") << (a.next_probability[i] >= 0 ? "+" : "") << pct(lang, a.next_probability[i]) << "\n";
    if (p.goal == PlanGoal::minimum_spend && a.feasible)
        os << "  " << tr(lang, "the requirement grows with spend at every point the root finder saw: ", "syarat naik seiring belanja di setiap titik yang dilihat pencari akar: ")
           << (a.monotone ? tr(lang, "yes", "ya") : tr(lang, "NO (the minimum may not be unique)", "TIDAK (minimum mungkin tidak tunggal)")) << "\n";
    os << "  " << tr(lang, "Monte Carlo error of P(target): +-", "galat Monte Carlo P(target): +-") << pct(lang, a.mc_error) << " (1 s.e.); "
       << a.evaluations << tr(lang, " evaluations\n", " evaluasi\n");
    return os.str();
}

std::string plan_json(const PlanProblem& pb, const PlanAnswer& a) {
    const Plan& p = pb.plan();
    json j;
    j["schema"] = kPlanSchema; // read back by read_plan_result (the run report's "what it would take")
    j["plan"] = p.name;
    j["goal"] = to_string(p.goal);
    if (p.goal == PlanGoal::minimum_spend) j["requirement"] = to_string(p.requirement);
    if (p.goal == PlanGoal::maximise) j["measure"] = to_string(p.measure), j["budget"] = p.budget;
    j["probability_level"] = p.probability;
    j["target"] = pb.target();
    j["deadline"] = to_string(pb.simulation().inputs().scenario.period.end);
    j["draws"] = p.mode == Mode::expected ? 1 : p.draws;
    j["seed"] = p.seed;
    j["feasible"] = a.feasible;
    j["binding"] = a.binding;
    if (a.reached_on) j["target_reached_on"] = to_string(*a.reached_on);
    auto candidate = [&](const Candidate& c) {
        json o;
        o["total_spend"] = c.total_spend;
        o["probability"] = c.probability;
        o["median"] = c.median;
        o["regions_at_target"] = c.regions_at_target;
        o["lowest_region_median"] = c.lowest_region;
        return o;
    };
    json chosen = candidate(a.chosen);
    chosen["probability_se"] = a.mc_error;
    json vars = json::array();
    for (std::size_t i = 0; i < pb.variables().size(); ++i) {
        const auto& v = pb.variables()[i];
        const auto& l = p.levers[v.lever];
        json o;
        o["intervention"] = v.intervention;
        o["lever"] = l.name;
        o["regions"] = v.codes;
        o["amount"] = l.amount;
        o["value"] = a.chosen.x[i];
        o["spend"] = a.chosen.spend[i];
        o["funder"] = l.funder;
        o["year"] = v.year;
        o["month"] = v.month;
        if (!std::isnan(a.saturated_at[i]))
            o["saturated"] = {{"at", a.saturated_at[i]}, {"why", a.saturated_why[i]}, {"spend", a.saturated_spend[i]}};
        o["next_step"] = {{"spend", a.next_spend[i]}, {"median", a.next_median[i]}, {"probability", a.next_probability[i]}};
        vars.push_back(o);
    }
    chosen["variables"] = vars;
    json regions = json::array();
    const auto& rt = pb.simulation().inputs().regions;
    for (std::size_t r = 0; r < rt.size(); ++r)
        regions.push_back({{"code", rt.ids[r]}, {"name", rt.names.empty() ? "" : rt.names[r]}, {"probability", a.chosen.region_probability[r]},
                           {"median", a.chosen.region_median[r]}, {"members_added", a.chosen.region_added[r]}});
    chosen["regions"] = regions;
    json funders = json::array();
    for (const auto& f : funder_spend(pb, a.chosen)) {
        json o = {{"funder", f.funder}, {"year", f.year}, {"spend", f.spend}};
        if (f.ceiling >= 0) o["ceiling"] = f.ceiling;
        funders.push_back(o);
    }
    chosen["funders"] = funders;
    j["chosen"] = chosen;
    json base = json::object();
    for (const auto& [name, c] : a.baselines) base[name] = candidate(c);
    if (!a.baselines.empty()) j["baselines"] = base;
    json path = json::array();
    for (const auto& c : a.path) path.push_back(candidate(c));
    j["frontier"] = path;
    j["evaluations"] = a.evaluations;
    return j.dump(2) + "\n";
}

std::string frontier_csv(const PlanProblem& pb, const PlanAnswer& a) {
    std::ostringstream os;
    os << "spend,median,probability,regions_at_target";
    for (const auto& v : pb.variables()) os << "," << v.intervention;
    os << "\n";
    for (const auto& c : a.path) {
        os << format_number(c.total_spend) << "," << format_number(c.median) << "," << format_number(c.probability) << "," << c.regions_at_target;
        for (double x : c.x) os << "," << format_number(x);
        os << "\n";
    }
    return os.str();
}

} // namespace cakupan
