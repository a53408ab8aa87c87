#include "boundary_options.hpp"
#include "cakupan/io/dataset_info.hpp"
#include "commands.hpp"

#include <ostream>

namespace cakupan::cli {

namespace {

class InfoCommand final : public Command {
public:
    void add_options(po::options_description& options, po::positional_options_description& positional) override {
        options.add_options()
            ("file", po::value<std::string>()->required(), "vector file (any format GDAL reads)")
            ("layer", po::value<std::string>()->default_value(""), "describe only this layer")
            ("json", po::bool_switch(), "print JSON instead of text");
        add_encoding_option(options);
        positional.add("file", 1);
    }

    int execute(const po::variables_map& vm, Streams io) override {
        const auto info = describe_dataset(vm["file"].as<std::string>(), vm["layer"].as<std::string>(), encoding_option(vm));
        io.out << (vm["json"].as<bool>() ? to_json(info) : to_text(info));
        return 0;
    }
};

} // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

} // namespace cakupan::cli
