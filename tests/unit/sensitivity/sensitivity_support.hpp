// Helpers shared by the sensitivity tests.
#pragma once

#include <cakupan/sensitivity/design.hpp>
#include <cakupan/sensitivity/test_functions.hpp>

#include <Eigen/Core>

#include <stdexcept>
#include <string>
#include <vector>

namespace cakupan::sensitivity::testing {

// Output of f at every point of the design (u mapped through the inputs' quantiles).
inline Eigen::VectorXd evaluate(const TestFunction& f, const Design& design) {
    Eigen::VectorXd y(static_cast<Eigen::Index>(design.size()));
    std::vector<double> u(design.dimension()), x(design.dimension());
    for (std::size_t i = 0; i < design.size(); ++i) {
        design.point(i, u);
        for (std::size_t k = 0; k < u.size(); ++k) x[k] = f.inputs[k].quantile(u[k]);
        y(static_cast<Eigen::Index>(i)) = f.evaluate(x);
    }
    return y;
}

// The message of the std::invalid_argument f throws, or "(no exception)".
inline std::string message_of(auto&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no exception)";
}

} // namespace cakupan::sensitivity::testing
