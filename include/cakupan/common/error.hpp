// One exception hierarchy for the whole library. Only `main` catches and prints;
// each class carries the exit code of the command-line contract (docs/reliability.md).
#pragma once

#include <stdexcept>
#include <string>

namespace cakupan {

enum class ExitCode : int {
    ok = 0,
    internal = 1,
    usage = 2,
    input_data = 3,
    scenario = 4,
    output = 5,
};

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    virtual ExitCode exit_code() const noexcept { return ExitCode::internal; }
};

// Command-line misuse: unknown option, missing argument.
class UsageError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::usage; }
};

// Boundaries or statistics that cannot be read or do not make sense.
class InputError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::input_data; }
};

// A scenario or model file that is malformed or inconsistent.
class ScenarioError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::scenario; }
};

// An output that cannot be written or would overwrite something.
class OutputError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::output; }
};

} // namespace cakupan
