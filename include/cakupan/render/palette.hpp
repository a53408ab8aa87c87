// Colours for maps and charts: ColorBrewer sequential and diverging schemes (colour values from
// colorbrewer2.org), sampled for any class count, plus the no-data style.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

struct Rgb {
    double r = 0, g = 0, b = 0; // 0..1
    std::string hex() const;    // "#rrggbb"
    bool operator==(const Rgb&) const = default;
};

enum class PaletteKind { sequential, diverging };

struct PaletteInfo {
    std::string name; // ColorBrewer name, e.g. "YlGnBu", "RdBu"
    PaletteKind kind;
    bool colour_blind_safe;
};

// All palettes known, sequential first.
const std::vector<PaletteInfo>& palettes();

// The default for each kind: colour-blind safe ("YlGnBu" sequential, "RdBu" diverging... see .cpp).
std::string default_palette(PaletteKind kind);

// n colours (1 <= n <= 12) from palette `name`, light to dark for sequential, negative to
// positive for diverging (a diverging palette with odd n has its neutral colour in the middle).
// ColorBrewer's own set for n in its range; interpolated in CIE Lab beyond it. UsageError for an
// unknown name (nearest suggested).
std::vector<Rgb> palette_colours(std::string_view name, int n);

// Colour at t in [0, 1] on the palette's full ramp (for unclassed maps), interpolated in Lab.
Rgb palette_ramp(std::string_view name, double t);

// Colours of categories (the map of the parameter driving each region): `n` (1 <= n <= 12) of
// ColorBrewer's 12 Paired colours, dark ones first, each far from the others and from the
// no-data grey; UsageError beyond 12 (more categories share other_colour()).
std::vector<Rgb> categorical_colours(int n);
// The colour of "other" categories beyond the 12 a legend can tell apart: a dark neutral grey,
// unlike every categorical colour and the light no-data grey.
Rgb other_colour();

// No data: a light grey, distinct from every palette's colours; maps draw it hatched.
Rgb no_data_colour();

} // namespace cakupan
