// How values become classes and colours on a map, and how they are written in the legend.
#pragma once

#include "cakupan/render/classify.hpp"
#include "cakupan/render/palette.hpp"

#include <string>
#include <vector>

namespace cakupan::render {

// How values are written: shares as percent (0.2724 -> 27,24%), differences of shares as
// percentage points, probabilities as percent, anything else as a plain number.
enum class ValueFormat { percent, points, probability, number };

struct MapStyle {
    Scheme scheme = Scheme::quantile;
    int classes = 5;
    std::vector<double> breaks;      // inner breaks for Scheme::manual
    std::vector<double> fixed;       // every break, ends included (e.g. 0, 0.1, 0.5, 0.9, 1); wins over the rest
    std::string palette;             // "" = the default of the palette kind
    // Classes around zero on a diverging palette: symmetric when the values lie on both sides of
    // zero; when they lie on one side only (every region short of its target), round steps over
    // the values alone, coloured by the palette's half on that side, so no class is spent on the
    // side no region is on.
    bool diverging = false;
    double middle = 0;               // value at the diverging palette's neutral colour (0.5 for odds)
    bool reverse = false;            // palette from dark/positive to light/negative
    ValueFormat format = ValueFormat::number;
    // Categorical maps: values are category numbers 0..n-1 (NaN = no data), each drawn in its
    // colour and named in the legend without a range. Non-empty wins over every setting above.
    std::vector<std::string> categories;
    std::vector<Rgb> category_colours; // one per category
};

// The classes shared by every panel of a map and their colours.
struct MapClasses {
    Classification classification; // breaks from all panels' values together
    std::vector<Rgb> colours;       // one per class
    // Every value is a whole number (a count): computed breaks are whole too (the same classes on
    // whole numbers) and the legend writes whole ranges, 13 - 20 after 5 - 12.
    bool whole = false;
};

// UsageError when a manual break of a share (percent, probability: 0..1) or a difference of
// shares (points: -1..1) lies outside that range, e.g. 30 written for 30%: "--breaks: 30 is
// outside 0..1; write shares (0.3 for 30%)". classify_panels checks this for manual styles.
void check_share_breaks(const std::vector<double>& breaks, ValueFormat format);
// Whether every finite value lies in 0..1 (and there is one): a field of shares, whose manual
// breaks check_share_breaks then holds to 0..1 although it is drawn as plain numbers.
bool all_shares(const std::vector<double>& values);

// Classifies the values of all panels together, so small multiples share their breaks.
// Diverging styles without manual breaks get classes symmetric around zero at round values.
MapClasses classify_panels(const std::vector<std::vector<double>>& panels, const MapStyle& style);

// Counts per class of one panel's values (NaN counted in no_data).
std::vector<std::size_t> count_classes(const Classification& c, const std::vector<double>& values, std::size_t& no_data);

// The smallest "round" number (1, 2, 2.5, 5 times a power of ten) not below v > 0.
double round_up_nice(double v);

} // namespace cakupan::render
