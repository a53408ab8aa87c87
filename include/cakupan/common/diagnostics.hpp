// Problems found while checking input, collected so that a user sees all of them at once,
// one line each: "error: WHERE: WHAT".
#pragma once

#include <string>
#include <vector>

namespace cakupan {

struct Diagnostic {
    enum class Severity { warning, error };
    Severity severity;
    std::string where; // file, file:row:column, or file: layer L
    std::string what;

    std::string line() const; // "error: WHERE: WHAT"
};

class Diagnostics {
public:
    void error(std::string where, std::string what);
    void warning(std::string where, std::string what);
    void append(const Diagnostics& other);

    bool has_errors() const;
    std::size_t error_count() const;
    std::size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return items_; }

    // At most this many errors and this many warnings are shown; a national table with a wrong
    // column gives thousands of lines that say the same. The count of the rest is one more line.
    static constexpr std::size_t kShown = 20;

    // The lines to show ("error: WHERE: WHAT", "warning: ..."), errors and warnings each cut after
    // kShown with a line that counts the rest.
    std::vector<std::string> shown_lines() const;

    // Throws InputError whose message is the error lines (cut as shown_lines cuts them, without
    // the "error: " prefix), when there is any error.
    void throw_if_errors() const;

private:
    std::vector<Diagnostic> items_;
};

} // namespace cakupan
