#include "cakupan/render/map_style.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace cakupan::render {

double round_up_nice(double v) {
    if (!(v > 0) || !std::isfinite(v)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * p >= v * (1 - 1e-12)) return m * p;
    return 10 * p;
}

std::vector<std::size_t> count_classes(const Classification& c, const std::vector<double>& values, std::size_t& no_data) {
    std::vector<std::size_t> counts(c.classes(), 0);
    no_data = 0;
    for (double v : values) {
        const int k = std::isnan(v) || counts.empty() ? -1 : c.class_of(v);
        if (k < 0) ++no_data;
        else ++counts[static_cast<std::size_t>(k)];
    }
    return counts;
}

void check_share_breaks(const std::vector<double>& breaks, ValueFormat format) {
    if (format == ValueFormat::number) return;
    const double lo = format == ValueFormat::points ? -1.0 : 0.0;
    for (double b : breaks)
        if (!(b >= lo && b <= 1.0)) {
            auto text = [](double v) {
                std::ostringstream o;
                o << std::setprecision(6) << v;
                return o.str();
            };
            const std::string n = text(b), as_share = text(b / 100);
            throw UsageError("--breaks: " + n + " is outside " + (lo < 0 ? "-1..1" : "0..1") + "; write " +
                             (format == ValueFormat::points ? "differences of shares" : "shares") + " (" + as_share +
                             " for " + n + (format == ValueFormat::points ? " pp" : "%") + ")");
        }
}

bool all_shares(const std::vector<double>& values) {
    bool any = false;
    for (double v : values)
        if (std::isfinite(v)) {
            if (v < 0 || v > 1) return false;
            any = true;
        }
    return any;
}

MapClasses classify_panels(const std::vector<std::vector<double>>& panels, const MapStyle& style) {
    if (style.scheme == Scheme::manual) check_share_breaks(style.breaks, style.format);
    std::vector<double> all;
    for (const auto& p : panels) all.insert(all.end(), p.begin(), p.end());
    MapClasses out;
    std::vector<double> fixed = style.fixed;
    if (!style.categories.empty()) { // category k spans (k - 0.5, k + 0.5)
        if (style.category_colours.size() != style.categories.size())
            throw UsageError("a categorical map needs one colour per category");
        fixed.clear();
        for (std::size_t k = 0; k <= style.categories.size(); ++k) fixed.push_back(static_cast<double>(k) - 0.5);
    }
    if (fixed.empty() && style.diverging && style.scheme != Scheme::manual) {
        double m = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (double v : all)
            if (std::isfinite(v)) m = std::max(m, std::fabs(v)), lo = std::min(lo, v), hi = std::max(hi, v);
        const int k = std::max(2, style.classes);
        if (m > 0 && (lo >= 0 || hi <= 0)) {
            // One side of zero: round steps over the values alone (at most k classes).
            const double step = round_up_nice((hi - lo > 0 ? hi - lo : m) / k);
            const double a = std::floor(lo / step) * step;
            for (double b = a; fixed.empty() || fixed.back() < hi; b += step) fixed.push_back(std::fabs(b) < step * 1e-9 ? 0.0 : b);
            if (fixed.size() < 2) fixed.push_back(fixed.back() + step);
        } else {
            // Symmetric around zero so that the palette's neutral middle means "no difference".
            // A round step (not a round end) keeps every break a round number in the legend.
            const double step = round_up_nice((m > 0 ? m : 1e-3) / (k / 2.0));
            m = step * k / 2.0;
            for (int i = 0; i <= k; ++i) fixed.push_back(-m + step * i);
            if (k % 2 == 0) fixed[static_cast<std::size_t>(k / 2)] = 0.0; // exactly zero, not -1e-17
        }
    }
    if (!fixed.empty()) {
        if (fixed.size() < 2 || !std::is_sorted(fixed.begin(), fixed.end()))
            throw UsageError("map breaks must be at least two increasing values");
        out.classification.scheme = Scheme::manual;
        out.classification.breaks = fixed;
        std::size_t no_data = 0;
        out.classification.counts = count_classes(out.classification, all, no_data);
        out.classification.no_data = no_data;
    } else {
        out.classification = classify(all, style.scheme, style.classes, style.breaks);
    }
    // Counts and other whole-number fields: breaks rounded down to whole numbers keep every value
    // in its class (a value v <= 12.5 is v <= 12) and give a legend without fractions.
    if (style.format == ValueFormat::number && style.categories.empty()) {
        bool whole = false;
        for (double v : all)
            if (std::isfinite(v)) {
                whole = std::fabs(v) < 1e15 && v == std::round(v);
                if (!whole) break;
            }
        out.whole = whole;
        auto& b = out.classification.breaks;
        if (whole && fixed.empty() && style.scheme != Scheme::manual && b.size() >= 2) {
            for (std::size_t i = 0; i + 1 < b.size(); ++i) b[i] = std::floor(b[i]);
            b.back() = std::ceil(b.back());
            b.erase(std::unique(b.begin() + 1, b.end()), b.end()); // inner breaks that met
            if (b.size() < 2) b.push_back(b.front());
            std::size_t no_data = 0;
            out.classification.counts = count_classes(out.classification, all, no_data);
        }
    }
    const int n = static_cast<int>(out.classification.classes());
    if (n > 12) throw UsageError("--classes: at most 12 classes can be told apart by colour");
    if (n > 0 && !style.categories.empty()) {
        out.colours = style.category_colours;
    } else if (n > 0) {
        const std::string name =
            style.palette.empty() ? default_palette(style.diverging ? PaletteKind::diverging : PaletteKind::sequential)
                                  : style.palette;
        const auto& b = out.classification.breaks;
        const bool above = style.diverging && b.front() >= style.middle, below = style.diverging && b.back() <= style.middle;
        if (above != below) {
            // Classes on one side of the middle: that half of the palette, from near neutral out.
            out.colours.clear();
            for (int i = 0; i < n; ++i) {
                double t = above ? 0.5 + 0.5 * (i + 1) / n : 0.5 * i / n;
                if (style.reverse) t = 1 - t;
                out.colours.push_back(palette_ramp(name, t));
            }
        } else {
            out.colours = palette_colours(name, n);
            if (style.reverse) std::reverse(out.colours.begin(), out.colours.end());
        }
    }
    return out;
}

} // namespace cakupan::render
