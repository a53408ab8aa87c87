#include "study_texts.hpp"

#include <cctype>

namespace cakupan {

using render::tr;

std::string file_safe(const std::string& s) {
    std::string out;
    for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    return out;
}

std::string output_label(const std::string& output, render::Lang lang) {
    const auto colon = output.find(':');
    const std::string kind = output.substr(0, colon);
    std::string text = output;
    if (kind == "coverage_end") text = tr(lang, "coverage at the end", "cakupan di akhir");
    else if (kind == "probability") text = tr(lang, "probability of meeting the target", "peluang mencapai target");
    else if (kind == "spend") text = tr(lang, "spending", "belanja");
    else if (kind == "cost_per_added_member") text = tr(lang, "cost per added member", "biaya per peserta tambahan");
    if (colon != std::string::npos) text += " " + output.substr(colon + 1);
    return text;
}

std::string index_label(StudyMethod method, render::Lang lang) {
    switch (method) {
    case StudyMethod::tornado: return tr(lang, "|swing| (high end minus low end)", "|ayunan| (ujung atas dikurangi ujung bawah)");
    case StudyMethod::lhs: return tr(lang, "|PRCC| (partial rank correlation)", "|PRCC| (korelasi peringkat parsial)");
    case StudyMethod::morris: return tr(lang, "mu* (mean absolute elementary effect)", "mu* (rata-rata mutlak efek elementer)");
    case StudyMethod::sobol: return tr(lang, "total Sobol index (ST)", "indeks Sobol total (ST)");
    }
    return "";
}

std::string study_source_note(const Study& study, render::Lang lang) {
    return std::string(tr(lang, "Source: Cakupan sensitivity study ", "Sumber: studi sensitivitas Cakupan ")) + study.name +
           tr(lang, ", seed ", ", benih acak ") + std::to_string(study.seed);
}

} // namespace cakupan
