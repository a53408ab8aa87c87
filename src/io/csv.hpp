// CSV as RFC 4180 defines it: records end with CRLF; a field holding a comma, a quote, CR or LF
// is quoted, with quotes doubled. Every CSV Cakupan writes goes through CsvWriter, and what it
// writes reads back through CsvReader field for field, whatever a region or variant is named.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan::csv {

// One field as written: quoted only when it must be.
std::string field(std::string_view text);

// Appends records to a string.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    void record(std::initializer_list<std::string_view> fields);
    void record(const std::vector<std::string>& fields);

private:
    std::string& out_;
};

// Reads records from text; a quoted field may span lines. Lines end with CRLF or LF.
class Reader {
public:
    // `where` names the file in error messages ("FILE:LINE: ...").
    Reader(std::string_view text, std::string where) : text_(text), where_(std::move(where)) {}
    // False at the end of the text; throws InputError for an unterminated quote or a stray one.
    bool next(std::vector<std::string>& fields);
    // The line on which the last record read began (1-based).
    std::size_t line() const { return record_line_; }
    std::string where() const { return where_ + ":" + std::to_string(record_line_); }

private:
    std::string_view text_;
    std::string where_;
    std::size_t at_ = 0, line_ = 1, record_line_ = 0;
};

} // namespace cakupan::csv
