// Loads a model file through the installed library and prints what it holds.
#include <cakupan/common/error.hpp>
#include <cakupan/scenario/model.hpp>
#include <cakupan/common/version.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer MODEL.toml\n";
        return 2;
    }
    try {
        const cakupan::Model m = cakupan::load_model(argv[1]);
        std::cout << "cakupan " << cakupan::kVersion << ": model " << m.name << ", " << m.segments.size() << " segments, "
                  << m.parameters.size() << " parameters\n";
    } catch (const cakupan::Error& e) {
        std::cerr << e.what() << "\n";
        return static_cast<int>(e.exit_code());
    }
    return 0;
}
