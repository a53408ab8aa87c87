// Functions with known sensitivity indices, to check the methods end to end and selectable in a
// study file in place of a scenario.
#pragma once

#include <cakupan/sensitivity/distribution.hpp>

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan::sensitivity {

struct TestFunction {
    std::string name;
    std::vector<std::string> parameters;  // x1 .. xd
    std::vector<Distribution> inputs;     // independent inputs
    std::function<double(std::span<const double>)> evaluate; // x in parameter space, size d
    std::vector<double> s1, st;           // analytic first-order and total-effect indices
};

// Ishigami: sin x1 + a sin^2 x2 + b x3^4 sin x1, inputs uniform on [-pi, pi].
// a = 7, b = 0.1: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437; S13 = 0.2437.
TestFunction ishigami(double a = 7, double b = 0.1);

// Sobol G-function: prod (|4 x_i - 2| + a_i) / (1 + a_i), inputs uniform on [0, 1], a_i >= 0.
// V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, S_i = V_i / V, ST_i = V_i prod_{j != i} (1 + V_j) / V.
TestFunction sobol_g(std::vector<double> a);

// Linear additive: sum c_i x_i, inputs uniform on [0, 1]: S_i = ST_i = c_i^2 / sum c_j^2, and every
// elementary effect of x_i is c_i.
TestFunction linear(std::vector<double> coefficients);

// By name, for study files: "ishigami" (coefficients empty or [a, b]), "g-function" (a_i, one per
// input), "linear" (c_i, one per input). Throws std::invalid_argument for an unknown name ("unknown
// test function 'x'; expected ishigami, g-function or linear") or unusable coefficients.
TestFunction make_test_function(std::string_view name, const std::vector<double>& coefficients);

} // namespace cakupan::sensitivity
