// cakupan classify: map classes of one column or field, printed as JSON.
#include "cakupan/render/classify.hpp"
#include "cakupan/render/map_style.hpp"
#include "boundary_options.hpp"
#include "cakupan/common/error.hpp"
#include "commands.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>

namespace cakupan::cli {

namespace {

constexpr int kMaxClasses = 12; // the most colours a palette gives

// Shortest text that reads back as the same double: the JSON is exact and byte-stable.
std::string number(double v) {
    char buf[32];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("null");
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

template <class T, class F>
std::string list(const std::vector<T>& items, F format) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + format(items[i]);
    return out + "]";
}

class ClassifyCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("file", po::value<std::string>()->required(), "the values: a CSV table or any vector file GDAL reads")
            ("scheme", po::value<std::string>()->default_value("natural"),
             "quantile, equal (interval), natural (breaks, alias jenks), manual or unclassed")
            ("classes", po::value<int>()->default_value(5), "number of classes, 1 to 12")
            ("breaks", po::value<std::string>(), "inner breaks for --scheme manual, e.g. 0.3,0.5717")
            ("column", po::value<std::string>(), "CSV column holding the values")
            ("field", po::value<std::string>(), "field holding the values (any layer)")
            ("layer", po::value<std::string>()->default_value(""), "layer to read when the file has several")
            ("decimal", po::value<std::string>(),
             "decimal mark of text values, point or comma (default: what the column shows, a comma when ';' separates)");
        add_encoding_option(options);
        positional.add("file", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        // Every option is checked before the file is read.
        Scheme scheme{};
        try {
            scheme = parse_scheme(vm["scheme"].as<std::string>());
        } catch (const UsageError& e) {
            throw UsageError(std::string("--scheme: ") + e.what());
        }
        const int classes = vm["classes"].as<int>();
        const bool classes_given = !vm["classes"].defaulted();
        std::vector<double> manual;
        if (scheme == Scheme::manual) {
            if (!vm.count("breaks")) throw UsageError("--scheme manual needs --breaks (e.g. --breaks 0.3,0.5717)");
            manual = parse_breaks(vm["breaks"].as<std::string>());
            if (classes_given && classes != static_cast<int>(manual.size()) + 1)
                throw UsageError("--classes " + std::to_string(classes) + " does not match --breaks, which give " +
                                 std::to_string(manual.size() + 1) + " classes (leave --classes out with manual breaks)");
        } else {
            if (vm.count("breaks"))
                throw UsageError("--breaks is only for --scheme manual (the " + std::string(to_string(scheme)) +
                                 " scheme finds its own breaks)");
            if (classes < 1 || classes > kMaxClasses)
                throw UsageError("--classes: " + std::to_string(classes) + " is out of range (expected 1 to " +
                                 std::to_string(kMaxClasses) + ")");
        }
        const bool by_column = vm.count("column") > 0, by_field = vm.count("field") > 0;
        if (by_column == by_field)
            throw UsageError(std::string(by_column ? "give either --column or --field, not both"
                                                   : "which values? give --column C (CSV) or --field F") +
                             " (see 'cakupan classify --help')");
        std::optional<DecimalMark> decimal;
        if (vm.count("decimal")) {
            const std::string d = vm["decimal"].as<std::string>();
            if (d == "point") decimal = DecimalMark::point;
            else if (d == "comma") decimal = DecimalMark::comma;
            else throw UsageError("--decimal: '" + d + "' is not a decimal mark; expected point or comma");
        }
        const std::string file = vm["file"].as<std::string>();
        const std::string field = vm[by_column ? "column" : "field"].as<std::string>();

        const std::vector<double> values =
            read_field_values(file, vm["layer"].as<std::string>(), field, by_column ? "column" : "field", decimal,
                              encoding_option(vm));
        if (scheme == Scheme::manual && render::all_shares(values)) // a share written as 30 for 30%
            render::check_share_breaks(manual, render::ValueFormat::percent);
        const auto n = values.size();
        const Classification c = classify(values, scheme, classes, manual);
        if (c.classes() == 0)
            throw InputError(file + ": " + (by_column ? "column" : "field") + " '" + field + "' has no values (" +
                             std::to_string(n) + " rows, all empty)");
        const bool found_own = scheme != Scheme::manual && scheme != Scheme::unclassed;
        if (found_own && c.classes() < static_cast<std::size_t>(classes))
            io.err << "cakupan: warning: " << file << ": '" << field << "' gives " << c.classes() << " classes instead of "
                   << classes << " (too few distinct values, or ties)\n";

        std::vector<double> sorted;
        for (const double v : values)
            if (std::isfinite(v)) sorted.push_back(v);
        std::sort(sorted.begin(), sorted.end());

        std::string json = "{\n";
        json += "  \"file\": " + quoted(file) + ",\n";
        json += "  \"field\": " + quoted(field) + ",\n";
        json += "  \"scheme\": " + quoted(to_string(scheme)) + ",\n";
        json += "  \"classes\": " + std::to_string(c.classes()) + ",\n";
        json += "  \"breaks\": " + list(c.breaks, number) + ",\n";
        json += "  \"counts\": " + list(c.counts, [](std::size_t k) { return std::to_string(k); }) + ",\n";
        json += "  \"no_data\": " + std::to_string(c.no_data) + ",\n";
        json += "  \"n\": " + std::to_string(n);
        if (scheme == Scheme::natural_breaks) {
            const std::vector<double> inner(c.breaks.begin() + 1, c.breaks.end() - 1);
            json += ",\n  \"gvf\": " + number(goodness_of_variance_fit(sorted, inner));
        }
        io.out << json << "\n}\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_classify_command() { return std::make_unique<ClassifyCommand>(); }

} // namespace cakupan::cli
