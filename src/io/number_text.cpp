#include "cakupan/io/number_text.hpp"

#include <charconv>
#include <cmath>

namespace cakupan {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
    auto space_at_front = [&] {
        if (s.empty()) return std::size_t{0};
        if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n') return std::size_t{1};
        if (s.substr(0, 2) == "\xC2\xA0") return std::size_t{2};
        return std::size_t{0};
    };
    auto space_at_back = [&] {
        if (s.empty()) return std::size_t{0};
        const char c = s.back();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::size_t{1};
        if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") return std::size_t{2};
        return std::size_t{0};
    };
    for (std::size_t k = space_at_front(); k > 0; k = space_at_front()) s.remove_prefix(k);
    for (std::size_t k = space_at_back(); k > 0; k = space_at_back()) s.remove_suffix(k);
    return s;
}

// Length of the thousands separator at the front of `s`: the group character of the mark, a space,
// a no-break space or a narrow no-break space; 0 when there is none.
std::size_t separator_at(std::string_view s, char group) {
    if (s.empty()) return 0;
    if (s[0] == group || s[0] == ' ') return 1;
    if (s.substr(0, 2) == "\xC2\xA0") return 2;
    if (s.substr(0, 3) == "\xE2\x80\xAF") return 3;
    return 0;
}

std::size_t digits_at(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    return n;
}

} // namespace

const char* to_string(DecimalMark mark) { return mark == DecimalMark::point ? "a decimal point" : "a decimal comma"; }

std::string shortest_text(double v) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

std::optional<double> parse_number(std::string_view text, DecimalMark mark) {
    std::string_view t = trim(text);
    const char decimal = mark == DecimalMark::point ? '.' : ',';
    const char group = mark == DecimalMark::point ? ',' : '.';
    std::string plain; // the number as from_chars reads it
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        if (t[0] == '-') plain += '-';
        t.remove_prefix(1);
    }
    const std::size_t lead = digits_at(t);
    if (lead == 0) return std::nullopt;
    const bool leading_zero = t[0] == '0';
    plain.append(t.substr(0, lead));
    t.remove_prefix(lead);

    // Groups of exactly three digits after a first group of one to three, one separator throughout.
    bool grouped = false;
    std::string_view used;
    for (std::size_t sep = separator_at(t, group); sep > 0; sep = separator_at(t, group)) {
        const std::string_view this_sep = t.substr(0, sep);
        const std::size_t n = digits_at(t.substr(sep));
        if (n != 3) return std::nullopt; // "1.2345", "1 23": not a grouping
        if (!grouped && (lead > 3 || leading_zero)) return std::nullopt;
        if (grouped && this_sep != used) return std::nullopt;
        grouped = true;
        used = this_sep;
        plain.append(t.substr(sep, 3));
        t.remove_prefix(sep + 3);
    }
    if (!t.empty() && t[0] == decimal) {
        const std::size_t n = digits_at(t.substr(1));
        if (n == 0) return std::nullopt;
        plain += '.';
        plain.append(t.substr(1, n));
        t.remove_prefix(1 + n);
    }
    if (!t.empty() && (t[0] == 'e' || t[0] == 'E') && !grouped) {
        plain += 'e';
        t.remove_prefix(1);
        if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
            plain += t[0];
            t.remove_prefix(1);
        }
        const std::size_t n = digits_at(t);
        if (n == 0) return std::nullopt;
        plain.append(t.substr(0, n));
        t.remove_prefix(n);
    }
    if (!t.empty()) return std::nullopt;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), v);
    if (ec != std::errc() || ptr != plain.data() + plain.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

void DecimalEvidence::add(std::string_view text, std::size_t row) {
    const bool point = parse_number(text, DecimalMark::point).has_value();
    const bool comma = parse_number(text, DecimalMark::comma).has_value();
    if (point == comma) return; // neither, or both: shows nothing
    Witness& w = point ? point_ : comma_;
    if (w.row != 0) return;
    w.row = row;
    w.text = std::string(trim(text));
}

std::optional<DecimalMark> DecimalEvidence::mark() const {
    if (point_.row && !comma_.row) return DecimalMark::point;
    if (comma_.row && !point_.row) return DecimalMark::comma;
    return std::nullopt;
}

std::string DecimalEvidence::mixed_description() const {
    return "row " + std::to_string(comma_.row) + " '" + comma_.text + "' reads only with a decimal comma and row " +
           std::to_string(point_.row) + " '" + point_.text + "' only with a decimal point";
}

std::optional<DecimalMark> column_decimal_mark(const DecimalEvidence& column, const std::vector<DecimalEvidence>& file_columns,
                                               bool semicolon_separated) {
    std::optional<DecimalMark> shared;
    for (const auto& c : file_columns) {
        if (!c.mark()) continue;
        if (shared && *shared != *c.mark()) return std::nullopt; // columns disagree: trust no mark
        shared = c.mark();
    }
    if (column.mark()) return column.mark();
    if (!shared && semicolon_separated) return DecimalMark::comma;
    return shared;
}

NumberReading read_number(std::string_view text, std::optional<DecimalMark> mark) {
    NumberReading r;
    const std::string_view t = trim(text);
    const auto point = parse_number(t, DecimalMark::point);
    const auto comma = parse_number(t, DecimalMark::comma);
    if (mark) {
        r.value = *mark == DecimalMark::point ? point : comma;
        if (!r.value && (point || comma))
            r.problem = std::string("reads only with ") + to_string(*mark == DecimalMark::point ? DecimalMark::comma : DecimalMark::point) +
                        ", not with " + to_string(*mark) + " as given";
        else if (!r.value) r.problem = "is not a number";
        return r;
    }
    if (point && comma && *point != *comma) {
        r.ambiguous = true;
        const char sep = t.find('.') != std::string_view::npos ? '.' : ',';
        const double grouped = sep == '.' ? *comma : *point;
        const double decimal = sep == '.' ? *point : *comma;
        r.problem = std::string("is ambiguous: ") + shortest_text(grouped) + " if '" + sep + "' groups thousands, " +
                    shortest_text(decimal) + " if it is the decimal mark (the column and file do not show one decimal mark)";
        return r;
    }
    r.value = point ? point : comma;
    if (!r.value) r.problem = "is not a number";
    return r;
}

} // namespace cakupan
