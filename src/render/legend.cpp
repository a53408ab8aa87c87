#include "legend.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace cakupan::render {

std::string format_value(ValueFormat format, Lang lang, double v, int decimals) {
    switch (format) {
    case ValueFormat::percent:
    case ValueFormat::probability:
        return format_percent(lang, v, decimals);
    case ValueFormat::points: {
        const std::string n = format_number(lang, v * 100, decimals);
        const bool zero = n.find_first_not_of("0.,-") == std::string::npos;
        return (v > 0 && !zero ? "+" : "") + n + tr(lang, " pp", " poin");
    }
    case ValueFormat::number:
        break;
    }
    return format_number(lang, v, decimals);
}

int legend_decimals(const std::vector<double>& breaks, ValueFormat format, Lang lang) {
    // Breaks that are round at two decimals or fewer (a target of 57.17%, a manual 12.5%) are
    // written exactly; others (quantiles of data) with just enough decimals to tell them apart.
    int exact = 0;
    const double unit = format == ValueFormat::number ? 1.0 : 100.0;
    for (double b : breaks)
        for (int k = 0; k <= 2; ++k) {
            const double v = b * unit * std::pow(10.0, k);
            if (std::fabs(v - std::round(v)) < 1e-6 * std::max(1.0, std::fabs(v))) {
                exact = std::max(exact, k);
                break;
            }
        }
    // Narrow classes need a decimal to be told apart at a glance: 29,4% - 30,1%, not 29% - 30%.
    double narrowest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < breaks.size(); ++i)
        if (breaks[i + 1] > breaks[i]) narrowest = std::min(narrowest, (breaks[i + 1] - breaks[i]) * unit);
    if (std::isfinite(narrowest)) exact = std::max(exact, std::clamp(static_cast<int>(std::ceil(1 - std::log10(narrowest) - 1e-9)), 0, 2));
    for (int d = exact; d < 4; ++d) {
        std::set<std::string> seen;
        bool distinct = true;
        for (std::size_t i = 0; i < breaks.size() && distinct; ++i)
            if (i == 0 || breaks[i] != breaks[i - 1]) distinct = seen.insert(format_value(format, lang, breaks[i], d)).second;
        if (distinct) return d;
    }
    return 4;
}

std::vector<LegendEntry> legend_entries(const MapClasses& classes, const std::vector<std::size_t>& counts,
                                        std::size_t no_data, ValueFormat format, Lang lang) {
    const auto& b = classes.classification.breaks;
    const bool whole = classes.whole && std::all_of(b.begin(), b.end(), [](double v) { return v == std::round(v); });
    const int d = whole ? 0 : legend_decimals(b, format, lang);
    std::vector<LegendEntry> out;
    for (std::size_t i = 0; i + 1 < b.size(); ++i) {
        LegendEntry e;
        // Whole numbers: class i holds b[i] + 1 to b[i + 1] (the first from b[0]).
        const double lo = whole && i > 0 ? std::min(b[i] + 1, b[i + 1]) : b[i];
        e.range = lo == b[i + 1] ? format_value(format, lang, lo, d)
                                 : format_value(format, lang, lo, d) + " \u2013 " + format_value(format, lang, b[i + 1], d);
        e.count = i < counts.size() ? counts[i] : 0;
        e.label = counts.empty() ? e.range : e.range + "  (" + format_number(lang, static_cast<double>(e.count), 0) + ")";
        e.colour = i < classes.colours.size() ? classes.colours[i] : Rgb{};
        out.push_back(std::move(e));
    }
    if (no_data > 0) {
        LegendEntry e;
        e.no_data = true;
        e.range = tr(lang, "No data", "Tidak ada data");
        e.count = no_data;
        e.label = counts.empty() ? e.range : e.range + "  (" + format_number(lang, static_cast<double>(no_data), 0) + ")";
        e.colour = no_data_colour();
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace cakupan::render
