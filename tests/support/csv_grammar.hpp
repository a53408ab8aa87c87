// An RFC 4180 check written apart from the library's CSV code, so that a test of what Cakupan
// writes does not trust the code it tests: records end with CRLF; a field is either free of
// commas, quotes, CR and LF, or quoted with inner quotes doubled; every record has as many fields
// as the header.
#pragma once

#include <cstddef>
#include <string>

namespace cakupan::test {

// "" when `text` is valid, else what is wrong and where ("record 3: ...").
inline std::string rfc4180_violation(const std::string& text) {
    std::size_t i = 0, record = 1, fields = 1, header_fields = 0;
    while (i < text.size()) {
        if (text[i] == '"') {
            for (++i;; ++i) {
                if (i >= text.size()) return "record " + std::to_string(record) + ": unterminated quoted field";
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') ++i;
                    else break;
                }
            }
            ++i; // past the closing quote
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                if (text[i] == '"') return "record " + std::to_string(record) + ": quote in an unquoted field";
                ++i;
            }
        }
        if (i >= text.size()) return "record " + std::to_string(record) + ": no CRLF at the end";
        if (text[i] == ',') {
            ++fields, ++i;
            continue;
        }
        if (text.compare(i, 2, "\r\n") != 0) return "record " + std::to_string(record) + ": a line break other than CRLF";
        if (header_fields == 0) header_fields = fields;
        else if (fields != header_fields)
            return "record " + std::to_string(record) + ": " + std::to_string(fields) + " fields, header has " + std::to_string(header_fields);
        i += 2, ++record, fields = 1;
    }
    return "";
}

} // namespace cakupan::test
