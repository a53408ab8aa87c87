// The cakupan command line: a dispatcher over the registry in commands.cpp. Only this file
// prints errors and turns them into exit codes (README.md, "Exit codes"; docs/reliability.md).
#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/utf8.hpp"
#include "cakupan/common/version.hpp"
#include "command.hpp"
#include "threads.hpp"

#include <cctype>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

namespace po = boost::program_options;
using cakupan::ExitCode;

namespace {

void print_overview(std::ostream& out) {
    out << "cakupan " << cakupan::kVersion
        << " - social-security coverage across regions: simulate, forecast, map\n\n"
           "usage: cakupan COMMAND [options]\n\ncommands:\n";
    for (const auto& c : cakupan::cli::commands()) {
        std::string name = c.name;
        name.resize(12, ' ');
        out << "  " << name << c.summary << "\n";
    }
    out << "\n'cakupan COMMAND --help' lists the options of a command.\n"
           "exit codes: 0 ok, 1 internal error, 2 usage, 3 input data, 4 scenario, 5 output\n";
}

void print_error_lines(const std::string& message) {
    std::istringstream lines(message);
    for (std::string line; std::getline(lines, line);) std::cerr << "cakupan: error: " << line << '\n';
}

int run(int argc, char** argv) {
    if (argc < 2) {
        print_overview(std::cerr);
        return static_cast<int>(ExitCode::usage);
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_overview(std::cout);
        return 0;
    }
    if (name == "--version") {
        std::cout << "cakupan " << cakupan::kVersion << "\n";
        return 0;
    }
    const auto& table = cakupan::cli::commands();
    const cakupan::cli::CommandEntry* entry = nullptr;
    std::vector<std::string> names;
    for (const auto& c : table) {
        names.emplace_back(c.name);
        if (name == c.name) entry = &c;
    }
    if (entry == nullptr)
        throw cakupan::UsageError("unknown command '" + name + "'" + cakupan::did_you_mean(name, names) +
                                  "; commands: " + cakupan::join_list(names));

    // Arguments reach manifests (JSON), reports and maps, which are UTF-8: refuse other bytes here, once.
    for (int i = 2; i < argc; ++i)
        if (!cakupan::is_utf8(argv[i]))
            throw cakupan::UsageError(std::string(entry->name) + ": argument '" + cakupan::printable(argv[i]) +
                                      "' is not UTF-8; give paths and text in UTF-8 (rename a file whose name is not)");

    auto command = entry->make();
    po::options_description options(std::string("cakupan ") + entry->name + " " + entry->usage +
                                    "\n\n" + entry->summary + "\n\noptions");
    po::positional_options_description positional;
    options.add_options()("help,h", "show this help");
    command->add_options(options, positional);
    options.add_options()("threads", po::value<int>()->default_value(0),
                          "threads of every parallel step (0 = OMP_NUM_THREADS or all cores; at most 1024); results do not depend on it");

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc - 1, argv + 1).options(options).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::cout << options << "\n";
            return 0;
        }
        po::notify(vm);
    } catch (const po::required_option& e) {
        // A missing positional argument is named as the usage line shows it (FILE, SCENARIO).
        const std::string option = e.get_option_name();
        for (unsigned i = 0; i < positional.max_total_count() && i < 8; ++i)
            if ("--" + positional.name_for_position(i) == option) {
                std::string upper = positional.name_for_position(i);
                for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                throw cakupan::UsageError(std::string(entry->name) + ": missing " + upper + " (usage: cakupan " + entry->name +
                                          " " + entry->usage + ")");
            }
        throw cakupan::UsageError(std::string(entry->name) + ": " + e.what() + " (see 'cakupan " + entry->name + " --help')");
    } catch (const po::error& e) {
        throw cakupan::UsageError(std::string(entry->name) + ": " + e.what() + " (see 'cakupan " + entry->name + " --help')");
    }
    cakupan::cli::use_threads(cakupan::cli::resolve_thread_count(vm["threads"].as<int>()));
    std::string command_line = "cakupan";
    for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
    return command->execute(vm, {std::cout, std::cerr, command_line});
}

} // namespace

int main(int argc, char** argv) try {
    return run(argc, argv);
} catch (const cakupan::Error& e) {
    print_error_lines(e.what());
    return static_cast<int>(e.exit_code());
} catch (const std::bad_alloc&) {
    std::cerr << "cakupan: error: out of memory\n";
    return static_cast<int>(ExitCode::internal);
} catch (const std::filesystem::filesystem_error& e) {
    // Writers turn their filesystem errors into OutputError naming the output; inputs are read
    // through GDAL and streams that report their own. One that still gets here is most likely an
    // output's too: exit 5, with the path the library gave.
    std::cerr << "cakupan: error: " << (e.path1().empty() ? "" : e.path1().string() + ": ") << e.code().message() << '\n';
    return static_cast<int>(ExitCode::output);
} catch (const std::exception& e) {
    std::cerr << "cakupan: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::internal);
} catch (...) {
    std::cerr << "cakupan: internal error: an unknown exception\n";
    return static_cast<int>(ExitCode::internal);
}
