#include "numbers.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cakupan::sensitivity {

std::string format_number(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

void check_outputs(const Eigen::Ref<const Eigen::MatrixXd>& y, std::size_t expected, const char* method) {
    if (static_cast<std::size_t>(y.rows()) != expected)
        throw std::invalid_argument(std::string(method) + ": expected " + std::to_string(expected) +
                                    " outputs (one per design point), got " + std::to_string(y.rows()));
    for (Eigen::Index c = 0; c < y.cols(); ++c)
        for (Eigen::Index i = 0; i < y.rows(); ++i)
            if (!std::isfinite(y(i, c)))
                throw std::invalid_argument(std::string(method) + ": the output of design point " + std::to_string(i) +
                                            (y.cols() > 1 ? " (element " + std::to_string(c) + ")" : std::string()) +
                                            " is " + format_number(y(i, c)) + "; every output must be finite");
}

} // namespace cakupan::sensitivity
