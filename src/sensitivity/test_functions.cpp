// Ishigami, Sobol G and linear test functions with their analytic indices.
#include <cakupan/sensitivity/test_functions.hpp>

#include "numbers.hpp"
#include "engine/portable_math.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace cakupan::sensitivity {
namespace {

// A test function named `name` over d inputs x1..xd, each drawn from `input`.
TestFunction over_inputs(const char* name, std::size_t d, const Distribution& input) {
    TestFunction f;
    f.name = name;
    for (std::size_t i = 1; i <= d; ++i) f.parameters.push_back("x" + std::to_string(i));
    f.inputs.assign(d, input);
    return f;
}

} // namespace

TestFunction ishigami(double a, double b) {
    if (!std::isfinite(a) || !std::isfinite(b))
        throw std::invalid_argument("ishigami needs finite a and b, got " + format_number(a) + " and " + format_number(b));
    constexpr double pi = std::numbers::pi;
    const double pi4 = portable::pow(pi, 4), pi8 = portable::pow(pi, 8);
    const double v1 = 0.5 * portable::pow(1 + b * pi4 / 5, 2);
    const double v2 = a * a / 8;
    const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    const double v = v1 + v2 + v13;
    if (v == 0) throw std::invalid_argument("ishigami with a = 0 and b = -5/pi^4 does not vary");
    TestFunction f = over_inputs("ishigami", 3, Distribution::uniform(-pi, pi));
    f.evaluate = [a, b](std::span<const double> x) {
        const double s0 = portable::sin(x[0]), s1 = portable::sin(x[1]);
        return s0 + a * s1 * s1 + b * portable::pow(x[2], 4) * s0;
    };
    f.s1 = {v1 / v, v2 / v, 0.0};
    f.st = {(v1 + v13) / v, v2 / v, v13 / v};
    return f;
}

TestFunction sobol_g(std::vector<double> a) {
    if (a.empty()) throw std::invalid_argument("g-function needs at least one coefficient");
    for (double ai : a)
        if (!(std::isfinite(ai) && ai >= 0))
            throw std::invalid_argument("g-function coefficients must be finite and >= 0, got " + format_number(ai));
    const std::size_t d = a.size();
    std::vector<double> vi(d);
    double prod = 1;
    for (std::size_t i = 0; i < d; ++i) {
        vi[i] = 1 / (3 * (1 + a[i]) * (1 + a[i]));
        prod *= 1 + vi[i];
    }
    const double v = prod - 1;
    TestFunction f = over_inputs("g-function", d, Distribution::uniform(0, 1));
    f.evaluate = [a](std::span<const double> x) {
        double g = 1;
        for (std::size_t i = 0; i < a.size(); ++i) g *= (std::abs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
        return g;
    };
    for (std::size_t i = 0; i < d; ++i) {
        f.s1.push_back(vi[i] / v);
        f.st.push_back(vi[i] * (prod / (1 + vi[i])) / v);
    }
    return f;
}

TestFunction linear(std::vector<double> coefficients) {
    if (coefficients.empty()) throw std::invalid_argument("linear needs at least one coefficient");
    double sum2 = 0;
    for (double c : coefficients) {
        if (!std::isfinite(c)) throw std::invalid_argument("linear coefficients must be finite, got " + format_number(c));
        sum2 += c * c;
    }
    if (sum2 == 0) throw std::invalid_argument("linear needs a coefficient other than 0");
    const std::size_t d = coefficients.size();
    TestFunction f = over_inputs("linear", d, Distribution::uniform(0, 1));
    f.evaluate = [coefficients](std::span<const double> x) {
        double y = 0;
        for (std::size_t i = 0; i < coefficients.size(); ++i) y += coefficients[i] * x[i];
        return y;
    };
    for (double c : coefficients) f.s1.push_back(c * c / sum2);
    f.st = f.s1;
    return f;
}

TestFunction make_test_function(std::string_view name, const std::vector<double>& coefficients) {
    if (name == "ishigami") {
        if (coefficients.empty()) return ishigami();
        if (coefficients.size() != 2)
            throw std::invalid_argument("ishigami takes no coefficients or two (a, b), got " +
                                        std::to_string(coefficients.size()));
        return ishigami(coefficients[0], coefficients[1]);
    }
    if (name == "g-function") return sobol_g(coefficients);
    if (name == "linear") return linear(coefficients);
    throw std::invalid_argument("unknown test function '" + std::string(name) +
                                "'; expected ishigami, g-function or linear");
}

} // namespace cakupan::sensitivity
