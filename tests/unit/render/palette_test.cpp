// Palettes: ColorBrewer's own class sets, their order (light to dark, neutral in the middle),
// Lab interpolation beyond the sets, the defaults, the no-data colour and "did you mean".
#include "cakupan/common/error.hpp"
#include "cakupan/render/palette.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>

namespace cakupan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> hexes(const std::vector<Rgb>& colours) {
    std::vector<std::string> out;
    for (const auto& c : colours) out.push_back(c.hex());
    return out;
}

// CIE L* from sRGB (D65), written out here independently of the library's conversion.
double lightness(const Rgb& c) {
    auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    const double y = 0.2126729 * linear(c.r) + 0.7151522 * linear(c.g) + 0.0721750 * linear(c.b);
    return y > 216.0 / 24389.0 ? 116.0 * std::cbrt(y) - 16.0 : y * 24389.0 / 27.0;
}

std::array<double, 3> lab(const Rgb& c) {
    auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    const double r = linear(c.r), g = linear(c.g), b = linear(c.b);
    auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
    const double fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
    const double fy = f(0.2126729 * r + 0.7151522 * g + 0.0721750 * b);
    const double fz = f((0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

double delta_e(const Rgb& a, const Rgb& b) {
    const auto p = lab(a), q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

int largest_set(const PaletteInfo& p) { return p.kind == PaletteKind::sequential ? 9 : 11; }

TEST(Palette, TheRequiredSchemesWithTheirFlags) {
    std::set<std::string> sequential, diverging, unsafe;
    for (const auto& p : palettes()) {
        (p.kind == PaletteKind::sequential ? sequential : diverging).insert(p.name);
        if (!p.colour_blind_safe) unsafe.insert(p.name);
    }
    for (const char* name : {"YlGnBu", "YlOrRd", "Blues", "Greens", "Purples", "OrRd", "PuBuGn", "BuPu", "GnBu", "Reds",
                             "Oranges", "Greys"})
        EXPECT_TRUE(sequential.count(name)) << name;
    for (const char* name : {"RdBu", "RdYlBu", "PuOr", "BrBG", "PiYG", "PRGn", "RdYlGn", "Spectral"})
        EXPECT_TRUE(diverging.count(name)) << name;
    // ColorBrewer marks every sequential scheme colour-blind safe, and these diverging ones not.
    EXPECT_EQ(unsafe, (std::set<std::string>{"RdGy", "RdYlGn", "Spectral"}));
    // Sequential first.
    bool seen_diverging = false;
    for (const auto& p : palettes()) {
        if (p.kind == PaletteKind::diverging) seen_diverging = true;
        else EXPECT_FALSE(seen_diverging) << p.name;
    }
}

TEST(Palette, DefaultsAreColourBlindSafe) {
    for (const PaletteKind kind : {PaletteKind::sequential, PaletteKind::diverging}) {
        const std::string name = default_palette(kind);
        bool found = false;
        for (const auto& p : palettes())
            if (p.name == name) {
                found = true;
                EXPECT_EQ(p.kind, kind) << name;
                EXPECT_TRUE(p.colour_blind_safe) << name;
            }
        EXPECT_TRUE(found) << name;
    }
}

TEST(Palette, ColorBrewerSetsAsDefined) {
    // Each count has its own set in ColorBrewer, not a sample of the largest one.
    EXPECT_THAT(hexes(palette_colours("YlGnBu", 3)), ElementsAre("#edf8b1", "#7fcdbb", "#2c7fb8"));
    EXPECT_THAT(hexes(palette_colours("YlGnBu", 5)), ElementsAre("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"));
    EXPECT_THAT(hexes(palette_colours("Blues", 9)),
                ElementsAre("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c",
                            "#08306b"));
    EXPECT_THAT(hexes(palette_colours("RdBu", 4)), ElementsAre("#ca0020", "#f4a582", "#92c5de", "#0571b0"));
    EXPECT_THAT(hexes(palette_colours("RdBu", 11)),
                ElementsAre("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
                            "#4393c3", "#2166ac", "#053061"));
    EXPECT_THAT(hexes(palette_colours("Spectral", 5)), ElementsAre("#d7191c", "#fdae61", "#ffffbf", "#abdda4", "#2b83ba"));
}

TEST(Palette, SequentialSetsGetDarker) {
    for (const auto& p : palettes()) {
        if (p.kind != PaletteKind::sequential) continue;
        for (int n = 1; n <= 12; ++n) {
            const auto colours = palette_colours(p.name, n);
            ASSERT_EQ(colours.size(), static_cast<std::size_t>(n)) << p.name;
            for (int i = 1; i < n; ++i)
                EXPECT_LT(lightness(colours[i]), lightness(colours[i - 1])) << p.name << " n=" << n << " i=" << i;
        }
    }
}

TEST(Palette, DivergingSetsAreLightestInTheMiddle) {
    for (const auto& p : palettes()) {
        if (p.kind != PaletteKind::diverging) continue;
        for (int n = 3; n <= 12; ++n) {
            const auto colours = palette_colours(p.name, n);
            ASSERT_EQ(colours.size(), static_cast<std::size_t>(n)) << p.name;
            // Lightness rises to the middle and falls after it.
            for (int i = 1; i < n; ++i) {
                const bool rising = 2 * i < n;
                const double step = lightness(colours[i]) - lightness(colours[i - 1]);
                if (2 * i == n) continue; // even n: the two middle colours are the two sides
                EXPECT_TRUE(rising ? step > 0 : step < 0) << p.name << " n=" << n << " i=" << i;
            }
        }
        // Odd counts in ColorBrewer's range have the neutral in the middle; the ramp's midpoint is it.
        const auto eleven = palette_colours(p.name, 11);
        EXPECT_EQ(palette_colours(p.name, 5)[2], eleven[5]) << p.name;
        EXPECT_EQ(palette_ramp(p.name, 0.5), eleven[5]) << p.name;
    }
}

TEST(Palette, InterpolatedCountsSpanTheLargestSet) {
    for (const auto& p : palettes()) {
        const auto largest = palette_colours(p.name, largest_set(p));
        const auto twelve = palette_colours(p.name, 12);
        EXPECT_EQ(twelve.front(), largest.front()) << p.name;
        EXPECT_EQ(twelve.back(), largest.back()) << p.name;
        for (std::size_t i = 1; i < twelve.size(); ++i) EXPECT_NE(twelve[i], twelve[i - 1]) << p.name;
        // One and two colours come from the three-colour set.
        const auto three = palette_colours(p.name, 3);
        EXPECT_THAT(palette_colours(p.name, 1), ElementsAre(three[1]));
        EXPECT_THAT(palette_colours(p.name, 2), ElementsAre(three[0], three[2]));
    }
    // Halfway between two stops of the ramp, L* is halfway between theirs: interpolation in Lab.
    const auto nine = palette_colours("Greys", 9);
    EXPECT_NEAR(lightness(palette_ramp("Greys", 0.5 / 8.0)), 0.5 * (lightness(nine[0]) + lightness(nine[1])), 0.05);
}

TEST(Palette, RampEndsAndClamping) {
    const auto nine = palette_colours("YlOrRd", 9);
    EXPECT_EQ(palette_ramp("YlOrRd", 0.0), nine.front());
    EXPECT_EQ(palette_ramp("YlOrRd", 1.0), nine.back());
    EXPECT_EQ(palette_ramp("YlOrRd", 0.375), nine[3]); // 3/8: a stop of the largest set
    EXPECT_EQ(palette_ramp("YlOrRd", -2.0), nine.front());
    EXPECT_EQ(palette_ramp("YlOrRd", 7.0), nine.back());
    EXPECT_EQ(palette_ramp("YlOrRd", NAN), no_data_colour());
    double previous = 101;
    for (int i = 0; i <= 50; ++i) {
        const double l = lightness(palette_ramp("YlOrRd", i / 50.0));
        EXPECT_LT(l, previous) << i;
        previous = l;
    }
}

TEST(Palette, NoDataIsDistinctFromEveryColour) {
    const Rgb none = no_data_colour();
    double closest = 1e9;
    for (const auto& p : palettes()) {
        for (int n = 1; n <= 12; ++n)
            for (const auto& c : palette_colours(p.name, n)) closest = std::min(closest, delta_e(none, c));
        for (int i = 0; i <= 200; ++i) closest = std::min(closest, delta_e(none, palette_ramp(p.name, i / 200.0)));
    }
    EXPECT_GT(closest, 4.5); // well above the ~2.3 just noticeable difference
    EXPECT_GT(lightness(none), 75.0); // and light, as no-data fills are
}

TEST(Palette, TwelveCategoricalColoursApartFromEachOtherAndFromNoData) {
    const auto c = categorical_colours(12);
    ASSERT_EQ(c.size(), 12u);
    EXPECT_EQ(categorical_colours(3), std::vector<Rgb>(c.begin(), c.begin() + 3)); // the first n
    double closest = 1e9;
    for (std::size_t i = 0; i < c.size(); ++i) {
        for (std::size_t j = i + 1; j < c.size(); ++j) closest = std::min(closest, delta_e(c[i], c[j]));
        EXPECT_GT(delta_e(c[i], no_data_colour()), 20.0) << c[i].hex();
        EXPECT_GT(delta_e(c[i], other_colour()), 20.0) << c[i].hex();
    }
    EXPECT_GT(closest, 15.0); // the 9th is not the 1st again
    EXPECT_GT(delta_e(other_colour(), no_data_colour()), 20.0);
    EXPECT_THROW(categorical_colours(13), UsageError);
    EXPECT_THROW(categorical_colours(0), UsageError);
}

TEST(Palette, NamesAndErrors) {
    EXPECT_EQ(palette_colours("ylgnbu", 4), palette_colours("YlGnBu", 4)); // case does not matter
    try {
        palette_colours("YlGnBuu", 5);
        FAIL() << "no error";
    } catch (const UsageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("unknown colour palette 'YlGnBuu' (did you mean 'YlGnBu'?); palettes: YlGnBu, "));
    }
    EXPECT_THROW(palette_ramp("Rainbow", 0.5), UsageError);
    EXPECT_THROW(palette_colours("Blues", 0), UsageError);
    EXPECT_THROW(palette_colours("Blues", 13), UsageError);
}

TEST(Palette, Hex) {
    EXPECT_EQ((Rgb{1, 0, 0}).hex(), "#ff0000");
    EXPECT_EQ((Rgb{0, 0.5, 1}).hex(), "#0080ff");
    EXPECT_EQ((Rgb{-0.2, 2, 0.2}).hex(), "#00ff33"); // clamped
}

} // namespace
} // namespace cakupan
