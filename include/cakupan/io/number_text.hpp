// Numbers written as text in tables, read by one rule whatever the locale that wrote them:
// plain 1234 and 1234.5, Indonesian 1.234.567 and 1.234,5 (dots group thousands, a comma marks
// decimals), English 1,234,567.5, and spaces or no-break spaces grouping thousands. A text that reads
// differently under the two decimal marks (2.000, 1,234) takes the mark its column, or else its file,
// shows; when nothing shows it, the cell is refused rather than guessed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

enum class DecimalMark { point, comma };

const char* to_string(DecimalMark mark); // "a decimal point" / "a decimal comma"

// The value of `text` (trimmed) when it is a number written with `mark` as decimal mark, the other of
// ',' '.' (or a space, U+00A0, U+202F) grouping thousands in groups of exactly three digits; an
// optional sign and exponent (ungrouped only). nullopt when it is not such a number.
std::optional<double> parse_number(std::string_view text, DecimalMark mark);

// What the cells of one column show about its decimal mark.
class DecimalEvidence {
public:
    // Records a cell (row as the user counts it) whose text reads only with one mark.
    void add(std::string_view text, std::size_t row);
    // The mark its cells show, when they show exactly one.
    std::optional<DecimalMark> mark() const;
    // Cells show both marks: "row 3 '1.234.567' reads only with a decimal comma, row 5 '1,5e3' ..."
    bool mixed() const { return point_.row && comma_.row; }
    std::string mixed_description() const;
    std::size_t conflict_row() const { return std::max(point_.row, comma_.row); } // the later of the two

private:
    struct Witness {
        std::size_t row = 0;
        std::string text;
    };
    Witness point_, comma_;
};

// The mark to read `column` with: none when the file's columns show both marks (a file is written in
// one locale; one that is not cannot be trusted on ambiguous cells); else the column's own, else
// the one other columns show, else a decimal comma for a table separated by ';' (how spreadsheets in
// comma-decimal locales write CSV); nullopt when nothing shows it.
std::optional<DecimalMark> column_decimal_mark(const DecimalEvidence& column, const std::vector<DecimalEvidence>& file_columns,
                                               bool semicolon_separated);

struct NumberReading {
    std::optional<double> value; // set when the text is a number under the mark used
    bool ambiguous = false;      // the text reads as two different numbers and no mark was given
    std::string problem;         // why not, for a message: "is ambiguous: 2000 if '.' groups ..."
};

// Reads one cell with the column's mark (given, or from column_decimal_mark); without a mark a text
// that reads one way, or the same under both, is accepted, and one that reads differently is
// ambiguous.
NumberReading read_number(std::string_view text, std::optional<DecimalMark> mark);

// Shortest text that reads back as `v` ("19.01", "2000", "0.1").
std::string shortest_text(double v);

} // namespace cakupan
