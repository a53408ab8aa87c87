#include "boundary_options.hpp"
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/error.hpp"
#include "cakupan/io/atomic_file.hpp"
#include "cakupan/io/output_rules.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <chrono>
#include <cmath>
#include <ostream>

namespace cakupan::cli {

namespace {

ContiguityRule parse_rule(const std::string& s) {
    if (s == "queen") return ContiguityRule::queen;
    if (s == "rook") return ContiguityRule::rook;
    throw UsageError("--rule: '" + s + "' is not a contiguity rule (expected queen or rook)");
}

class AdjacencyCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("file", po::value<std::string>()->required(), "boundary file (any vector format GDAL reads)")
            ("out", po::value<std::string>()->required(), "GAL file to write (GeoDa / PySAL weights)")
            ("rule", po::value<std::string>()->default_value("queen"), "queen (touch at a point) or rook (share an edge)")
            ("snap", po::value<double>()->default_value(0.0),
             "metres within which boundaries count as touching (0 = shared vertices only; a few hundred "
             "metres for layers simplified polygon by polygon)")
            ("force", po::bool_switch(), "replace the output file if it exists (a regular file only, never an input)");
        add_boundary_options(options);
        positional.add("file", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        const std::string out = vm["out"].as<std::string>();
        const ContiguityOptions copt{parse_rule(vm["rule"].as<std::string>()), vm["snap"].as<double>()};
        if (!(copt.snap_metres >= 0) || !std::isfinite(copt.snap_metres))
            throw UsageError("--snap: " + format_fixed(copt.snap_metres, 1) + " is not a distance (expected metres >= 0)");
        check_output_file(out, vm["force"].as<bool>(), {vm["file"].as<std::string>()});
        remove_leftovers_beside(out, io.err);
        Diagnostics notes;
        const RegionTable table = read_boundaries(boundary_options(vm["file"].as<std::string>(), vm), notes);
        print_warnings(notes, io.err);
        const auto t0 = std::chrono::steady_clock::now();
        const Adjacency adj = build_contiguity(table.shapes, copt);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::string gal;
        try {
            gal = to_gal(adj, table.ids, table.layer, table.id_field);
        } catch (const InputError& e) { // the ids come from the boundary file: name it
            throw InputError(vm["file"].as<std::string>() + ": " + e.what());
        }
        write_file_atomically(out, gal, vm["force"].as<bool>());

        const auto islands = adj.islands();
        io.out << table.size() << " regions, " << adj.link_count() / 2 << " neighbour pairs ("
               << vm["rule"].as<std::string>() << ", snap " << format_fixed(copt.snap_metres, 0) << " m), mean "
               << format_fixed(table.size() ? static_cast<double>(adj.link_count()) / static_cast<double>(table.size()) : 0.0, 2)
               << " neighbours, built in " << format_fixed(seconds, 3) << " s\n";
        io.out << islands.size() << " island(s) without neighbours";
        for (std::size_t i = 0; i < islands.size() && i < 20; ++i)
            io.out << (i ? ", " : ": ") << table.ids[islands[i]] << " " << table.names[islands[i]];
        if (islands.size() > 20) io.out << ", ... (" << islands.size() - 20 << " more)";
        io.out << "\nwrote " << out << "\n";
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_adjacency_command() { return std::make_unique<AdjacencyCommand>(); }

} // namespace cakupan::cli
