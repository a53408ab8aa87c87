// One class per subcommand (as PDAL's kernels): declare options, then execute with them parsed.
#pragma once

#include "cakupan/common/diagnostics.hpp"

#include <boost/program_options.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace cakupan {
class ProcessGroup;
}

namespace cakupan::cli {

namespace po = boost::program_options;

struct Streams {
    std::ostream& out;
    std::ostream& err;
    std::string command_line; // as typed, for manifests
};

class Command {
public:
    virtual ~Command() = default;
    // Fills the options and positional arguments this command accepts.
    virtual void add_options(po::options_description& options, po::positional_options_description& positional) = 0;
    // Runs with the parsed options; returns the exit code. Errors are thrown, not printed.
    virtual int execute(const po::variables_map& vm, Streams io) = 0;
};

struct CommandEntry {
    const char* name;
    const char* summary;
    const char* usage; // argument synopsis after the command name
    std::unique_ptr<Command> (*make)();
};

// The explicit registry of subcommands, in the order `cakupan --help` lists them.
const std::vector<CommandEntry>& commands();

// Runs `body` on every process of the run (one without MPI; every rank under mpirun). Process 0
// returns its exit code and throws its errors; the others stay silent and exit 0, since process 0
// prints the outcome, their failures included, and a non-zero code elsewhere would make mpirun
// abort process 0 before it prints.
int on_every_process(const std::function<int(const ProcessGroup&)>& body);

// Prints each warning of a check as "cakupan: warning: ..." on stderr.
void print_warnings(const Diagnostics& diagnostics, std::ostream& err);

// Prints every diagnostic (errors and warnings) one per line; returns whether any was an error.
bool print_diagnostics(const Diagnostics& diagnostics, std::ostream& err);

// Removes the temporaries that processes no longer running left in the directory that holds
// `output` (a file or a run directory) and says so on stderr, one line each.
void remove_leftovers_beside(const std::string& output, std::ostream& err);

// The same inside `dir` (a study directory, a run directory about to be replaced).
void remove_leftovers_in(const std::string& dir, std::ostream& err);

} // namespace cakupan::cli
