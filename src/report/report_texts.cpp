#include "report_texts.hpp"

#include <array>

namespace cakupan::report_detail {

std::string lever_name(render::Lang lang, const std::string& key) {
    struct Name {
        const char* key;
        const char* en;
        const char* id;
    };
    static constexpr std::array<Name, 11> names = {{
        {"voluntary", "voluntary enrolment", "pendaftaran mandiri"},
        {"replacement", "replacement of leavers", "pengganti peserta keluar"},
        {"agents", "agents (Perisai)", "agen Perisai"},
        {"enforcement", "compliance enforcement", "penegakan kepatuhan"},
        {"subsidy", "premium subsidy", "subsidi iuran"},
        {"village_programme", "village programme", "program desa"},
        {"fixed_term", "fixed-term cohorts", "kohort jangka tertentu"},
        {"renewal", "budget renewal", "pendanaan kembali"},
        {"lapse", "lapse", "berhenti membayar"},
        {"funding_end", "end of funding", "pendanaan berakhir"},
        {"january_gap", "January gap", "jeda Januari"},
    }};
    for (const auto& n : names)
        if (key == n.key) return render::tr(lang, n.en, n.id);
    return key;
}

} // namespace cakupan::report_detail
