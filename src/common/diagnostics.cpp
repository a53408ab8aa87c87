#include "cakupan/common/diagnostics.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>

namespace cakupan {

std::string Diagnostic::line() const {
    std::string out = severity == Severity::error ? "error: " : "warning: ";
    if (!where.empty()) out += where + ": ";
    return out + what;
}

void Diagnostics::error(std::string where, std::string what) {
    items_.push_back({Diagnostic::Severity::error, std::move(where), std::move(what)});
}

void Diagnostics::warning(std::string where, std::string what) {
    // The same warning reached through several variants is one problem.
    for (const auto& d : items_)
        if (d.severity == Diagnostic::Severity::warning && d.where == where && d.what == what) return;
    items_.push_back({Diagnostic::Severity::warning, std::move(where), std::move(what)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::error;
    }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

bool Diagnostics::has_errors() const { return error_count() > 0; }

namespace {

std::string more_line(std::size_t rest, const char* kind) {
    return std::to_string(rest) + " more " + kind + (rest == 1 ? "" : "s") + " not shown (the first " +
           std::to_string(Diagnostics::kShown) + " are above)";
}

} // namespace

std::vector<std::string> Diagnostics::shown_lines() const {
    std::vector<std::string> out;
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : items_) {
        std::size_t& seen = d.severity == Diagnostic::Severity::error ? errors : warnings;
        if (++seen <= kShown) out.push_back(d.line());
    }
    if (errors > kShown) out.push_back("error: " + more_line(errors - kShown, "error"));
    if (warnings > kShown) out.push_back("warning: " + more_line(warnings - kShown, "warning"));
    return out;
}

void Diagnostics::throw_if_errors() const {
    std::string message; // the error lines as shown, without their "error: " prefix
    for (const auto& line : shown_lines()) {
        if (line.rfind("error: ", 0) != 0) continue;
        if (!message.empty()) message += '\n';
        message += line.substr(7);
    }
    if (!message.empty()) throw InputError(message);
}

} // namespace cakupan
