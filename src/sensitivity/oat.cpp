// Tornado: the output at each parameter's low and high end, sorted by swing.
#include <cakupan/sensitivity/indices.hpp>

#include "numbers.hpp"

#include <algorithm>
#include <cmath>

namespace cakupan::sensitivity {
namespace {

Tornado tornado_column(const OatDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y, Eigen::Index c) {
    Tornado t;
    t.base = y(0, c);
    for (std::size_t k = 0; k < design.dimension(); ++k) {
        const auto low = static_cast<Eigen::Index>(1 + 2 * k);
        TornadoBar bar{k, y(low, c), y(low + 1, c), std::abs(y(low + 1, c) - y(low, c))};
        t.bars.push_back(bar);
    }
    std::stable_sort(t.bars.begin(), t.bars.end(), [](const TornadoBar& a, const TornadoBar& b) { return a.swing > b.swing; });
    return t;
}

} // namespace

Tornado tornado(const OatDesign& design, const Eigen::VectorXd& y) {
    check_outputs(y, design.size(), "tornado");
    return tornado_column(design, y, 0);
}

std::vector<Tornado> tornado(const OatDesign& design, const Eigen::Ref<const Eigen::MatrixXd>& y) {
    check_outputs(y, design.size(), "tornado");
    std::vector<Tornado> out;
    for (Eigen::Index c = 0; c < y.cols(); ++c) out.push_back(tornado_column(design, y, c));
    return out;
}

} // namespace cakupan::sensitivity
