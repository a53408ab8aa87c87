#include "io/csv.hpp"

#include "cakupan/common/error.hpp"

namespace cakupan::csv {

std::string field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

void Writer::record(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (auto f : fields) {
        if (!first) out_ += ',';
        out_ += field(f);
        first = false;
    }
    out_ += "\r\n";
}

void Writer::record(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out_ += ',';
        out_ += field(fields[i]);
    }
    out_ += "\r\n";
}

bool Reader::next(std::vector<std::string>& fields) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    record_line_ = line_;
    fields.emplace_back();
    bool quoted = false, was_quoted = false;
    while (at_ < text_.size()) {
        const char c = text_[at_++];
        if (quoted) {
            if (c == '"') {
                if (at_ < text_.size() && text_[at_] == '"') {
                    fields.back() += '"';
                    ++at_;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line_;
                fields.back() += c;
            }
            continue;
        }
        if (c == ',') {
            fields.emplace_back();
            was_quoted = false;
        } else if (c == '\n' || (c == '\r' && at_ < text_.size() && text_[at_] == '\n')) {
            if (c == '\r') ++at_;
            ++line_;
            return true;
        } else if (c == '"') {
            if (!fields.back().empty() || was_quoted)
                throw InputError(where() + ": field " + std::to_string(fields.size()) + ": a quote inside an unquoted field");
            quoted = was_quoted = true;
        } else {
            if (was_quoted)
                throw InputError(where() + ": field " + std::to_string(fields.size()) + ": text after a closing quote");
            fields.back() += c;
        }
    }
    if (quoted) throw InputError(where() + ": field " + std::to_string(fields.size()) + ": a quote that is never closed");
    return true;
}

} // namespace cakupan::csv
