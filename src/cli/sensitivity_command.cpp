#include "cakupan/common/error.hpp"
#include "cakupan/io/output_rules.hpp"
#include "cakupan/render/lang.hpp"
#include "cakupan/study/study_runner.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>

#include <unistd.h>

namespace cakupan::cli {

namespace {

namespace fs = std::filesystem;

// Exit code of a study stopped by CAKUPAN_STUDY_STOP_AFTER (a test hook): not an error, not done.
constexpr int kStopped = 75;

std::size_t stop_after_from_environment() {
    const char* s = std::getenv("CAKUPAN_STUDY_STOP_AFTER");
    if (s == nullptr || *s == '\0') return 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(s, &end, 10);
    if (*end != '\0' || n == 0) throw UsageError(std::string("CAKUPAN_STUDY_STOP_AFTER: '") + s + "' is not a whole number > 0");
    return static_cast<std::size_t>(n);
}

// Refuses a non-empty directory unless told what to do with it; --force empties the directory of
// an earlier study (and nothing else: check_output_directory says which), --resume keeps it.
void prepare_dir(const std::string& dir, bool force, bool resume, const std::vector<std::string>& inputs, std::ostream& err) {
    std::error_code ec;
    if (!resume) check_output_directory(dir, OutputKind::study, force, inputs);
    else if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw OutputError(dir + ": exists and is not a directory");
    remove_leftovers_beside(dir, err);
    remove_leftovers_in(dir, err);
    if (force)
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code rm;
            fs::remove_all(it->path(), rm);
            if (rm) throw OutputError(it->path().string() + ": cannot remove: " + rm.message());
        }
    fs::create_directories(output_path(dir), ec);
    if (ec) throw OutputError(dir + ": cannot create the directory: " + ec.message());
}

class SensitivityCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("study", po::value<std::string>()->required(), "study file (TOML, docs/sensitivity.md)")
            ("out", po::value<std::string>(), "study directory to write")
            ("check", po::bool_switch(), "check the study file, its scenario and parameters, and stop")
            ("resume", po::bool_switch(), "continue the study in --out from its checkpoint")
            ("force", po::bool_switch(), "start again in the --out directory of an earlier study (removes only what it wrote)")
            ("lang", po::value<std::string>()->default_value("id"), "language of the charts, map and report: id or en")
            ("quiet", po::bool_switch(), "no progress bar (shown only when stderr is a terminal)");
        positional.add("study", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        return on_every_process([&](const ProcessGroup& group) { return body(vm, io, group); });
    }

private:
    static int body(const po::variables_map& vm, Streams io, const ProcessGroup& group) {
        const bool check = vm["check"].as<bool>(), resume = vm["resume"].as<bool>(), force = vm["force"].as<bool>();
        if (!check && !vm.count("out")) throw UsageError("sensitivity: --out DIR is required (or --check to check the study only)");
        if (check && vm.count("out")) throw UsageError("sensitivity: --check writes nothing; remove --out");
        if (resume && force) throw UsageError("sensitivity: --resume continues a study and --force starts it again; give one");
        const render::Lang lang = render::parse_lang(vm["lang"].as<std::string>());
        const std::size_t stop_after = stop_after_from_environment();

        const auto t0 = std::chrono::steady_clock::now();
        // Only on a terminal: tests and pipes compare stderr.
        const bool bar = group.root() && !vm["quiet"].as<bool>() && ::isatty(STDERR_FILENO);
        if (bar) io.err << "reading the study and its inputs..." << std::flush;
        Diagnostics notes;
        // Every process reads the study and its inputs; a failure on any one is reported by process 0.
        std::optional<Study> loaded;
        std::unique_ptr<StudyModel> model;
        std::unique_ptr<sensitivity::Design> design;
        std::exception_ptr failure;
        try {
            loaded = load_study(vm["study"].as<std::string>());
            model = make_study_model(*loaded, notes);
            design = make_design(*loaded);
        } catch (...) {
            failure = std::current_exception();
        }
        if (bar) clear_bar(io.err);
        group.check(failure);
        const Study& study = *loaded;
        if (group.root()) print_warnings(notes, io.err);
        if (check) {
            if (group.root())
                io.out << study.path << ": ok: " << to_string(study.method) << ", " << study.parameters.size() << " parameters, "
                       << model->output_names().size() << " outputs, " << design->size() << " points\n";
            return 0;
        }
        const std::string out = vm["out"].as<std::string>();
        const std::string checkpoint = (fs::path(out) / ".checkpoint").string();
        if (group.root()) {
            try {
                std::vector<std::string> inputs = model->input_files();
                inputs.push_back(study.path);
                prepare_dir(out, force, resume, inputs, io.err);
            } catch (...) {
                failure = std::current_exception();
            }
        }
        group.check(failure);

        StudyRunOptions ro;
        ro.checkpoint = checkpoint;
        ro.identity = study_identity(study, *model);
        ro.resume = resume;
        ro.stop_after = stop_after;
        if (bar)
            ro.progress = [&io](std::size_t done, std::size_t total) { show_bar(io.err, done, total, ""); };
        const StudyRun run = run_study(study, *design, *model, ro, group);
        if (bar) clear_bar(io.err);
        if (!group.root()) return 0;
        if (!run.complete) {
            io.err << "cakupan: stopped after " << run.evaluated << " evaluated points (CAKUPAN_STUDY_STOP_AFTER); "
                   << run.resumed + run.evaluated << " of " << design->size() << " done; continue with --resume\n";
            return kStopped;
        }

        StudyOutputOptions oo;
        oo.dir = out;
        oo.overwrite = resume || force;
        oo.command_line = io.command_line;
        oo.identity = ro.identity;
        oo.lang = lang;
        // After the points, the step that runs: on a village layer the outputs take a while too.
        if (bar)
            oo.progress = [&io, n = design->size()](const std::string& step) { show_bar(io.err, n, n, step); };
        write_study_outputs(study, *design, *model, run, oo);
        if (bar) clear_bar(io.err);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        print_table(io.out, study, *design, *model, run);
        io.out << "\n" << design->size() << " points (" << run.evaluated << " evaluated, " << run.resumed << " from the checkpoint) on "
               << group.size() << " process(es) in " << format_fixed(seconds, 3) << " s; wrote " << out << "/\n";
        return 0;
    }

    // "[####    ] 12/19" and the step after the points ("indices", "report", ...), on one line
    // padded to a fixed width so a shorter step leaves nothing of a longer one.
    static constexpr std::size_t kBarLine = 72;
    static void show_bar(std::ostream& err, std::size_t done, std::size_t total, const std::string& step) {
        const int width = 40, filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
        std::string line = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), ' ') +
                           "] " + std::to_string(done) + "/" + std::to_string(total) + (step.empty() ? "" : " " + step);
        if (line.size() < kBarLine) line.resize(kBarLine, ' ');
        err << "\r" << line << std::flush;
    }
    static void clear_bar(std::ostream& err) { err << "\r" << std::string(kBarLine, ' ') << "\r" << std::flush; }

    static void print_table(std::ostream& os, const Study& st, const sensitivity::Design& design, const StudyModel& model,
                            const StudyRun& run) {
        os << st.name << (st.title.empty() ? "" : ": " + st.title) << "\n";
        os << to_string(st.method) << ", " << st.parameters.size() << " parameters, seed " << st.seed << "\n";
        const auto rows = study_indices(st, design, model, run);
        const std::string index = main_index(st.method);
        std::size_t w = 9;
        for (const auto& p : st.parameters) w = std::max(w, p.label.size());
        for (const auto& o : model.output_names()) {
            if (o.find(':') != std::string::npos) continue;
            os << "\n" << o << "\n";
            std::string head = "parameter";
            head.resize(w, ' ');
            os << "  " << head << "  " << index << "\n";
            for (const auto& r : rows)
                if (r.output == o && r.index == index) {
                    std::string name = r.parameter;
                    name.resize(w, ' ');
                    os << "  " << name << "  " << format_general(r.value);
                    if (std::isfinite(r.low)) os << "  [" << format_general(r.low) << ", " << format_general(r.high) << "]";
                    os << "\n";
                }
        }
    }

    static std::string format_general(double v) {
        if (!std::isfinite(v)) return "-";
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", v);
        return buf;
    }
};

} // namespace

std::unique_ptr<Command> make_sensitivity_command() { return std::make_unique<SensitivityCommand>(); }

} // namespace cakupan::cli
