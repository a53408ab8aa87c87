// ColorBrewer palettes (Cynthia Brewer, colorbrewer2.org; Apache 2.0 colour specifications), typed
// in as data: for every scheme the class sets from 3 colours to 9 (sequential) or 11
// (diverging), as ColorBrewer defines each set, not sampled from the largest one. Other counts
// and the continuous ramp interpolate the largest set in CIE Lab.
#include "cakupan/render/palette.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <strings.h>

namespace cakupan {

namespace {

struct PaletteData {
    const char* name;
    PaletteKind kind;
    bool colour_blind_safe; // as ColorBrewer marks the scheme
    // Class sets for 3, 4, ... colours, each a space-separated list of hex colours.
    std::array<const char*, 9> sets;
};

constexpr int kMinSet = 3;
constexpr int kMaxColours = 12;

// Sequential light to dark; diverging in ColorBrewer's order, which we read as negative to
// positive (red, orange, brown, pink or purple below; blue, purple, teal or green above).
constexpr PaletteData kPalettes[] = {
    {"YlGnBu", PaletteKind::sequential, true,
     {"edf8b1 7fcdbb 2c7fb8",
      "ffffcc a1dab4 41b6c4 225ea8",
      "ffffcc a1dab4 41b6c4 2c7fb8 253494",
      "ffffcc c7e9b4 7fcdbb 41b6c4 2c7fb8 253494",
      "ffffcc c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 0c2c84",
      "ffffd9 edf8b1 c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 0c2c84",
      "ffffd9 edf8b1 c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 253494 081d58"}},
    {"YlGn", PaletteKind::sequential, true,
     {"f7fcb9 addd8e 31a354",
      "ffffcc c2e699 78c679 238443",
      "ffffcc c2e699 78c679 31a354 006837",
      "ffffcc d9f0a3 addd8e 78c679 31a354 006837",
      "ffffcc d9f0a3 addd8e 78c679 41ab5d 238443 005a32",
      "ffffe5 f7fcb9 d9f0a3 addd8e 78c679 41ab5d 238443 005a32",
      "ffffe5 f7fcb9 d9f0a3 addd8e 78c679 41ab5d 238443 006837 004529"}},
    {"GnBu", PaletteKind::sequential, true,
     {"e0f3db a8ddb5 43a2ca",
      "f0f9e8 bae4bc 7bccc4 2b8cbe",
      "f0f9e8 bae4bc 7bccc4 43a2ca 0868ac",
      "f0f9e8 ccebc5 a8ddb5 7bccc4 43a2ca 0868ac",
      "f0f9e8 ccebc5 a8ddb5 7bccc4 4eb3d3 2b8cbe 08589e",
      "f7fcf0 e0f3db ccebc5 a8ddb5 7bccc4 4eb3d3 2b8cbe 08589e",
      "f7fcf0 e0f3db ccebc5 a8ddb5 7bccc4 4eb3d3 2b8cbe 0868ac 084081"}},
    {"BuGn", PaletteKind::sequential, true,
     {"e5f5f9 99d8c9 2ca25f",
      "edf8fb b2e2e2 66c2a4 238b45",
      "edf8fb b2e2e2 66c2a4 2ca25f 006d2c",
      "edf8fb ccece6 99d8c9 66c2a4 2ca25f 006d2c",
      "edf8fb ccece6 99d8c9 66c2a4 41ae76 238b45 005824",
      "f7fcfd e5f5f9 ccece6 99d8c9 66c2a4 41ae76 238b45 005824",
      "f7fcfd e5f5f9 ccece6 99d8c9 66c2a4 41ae76 238b45 006d2c 00441b"}},
    {"PuBuGn", PaletteKind::sequential, true,
     {"ece2f0 a6bddb 1c9099",
      "f6eff7 bdc9e1 67a9cf 02818a",
      "f6eff7 bdc9e1 67a9cf 1c9099 016c59",
      "f6eff7 d0d1e6 a6bddb 67a9cf 1c9099 016c59",
      "f6eff7 d0d1e6 a6bddb 67a9cf 3690c0 02818a 016450",
      "fff7fb ece2f0 d0d1e6 a6bddb 67a9cf 3690c0 02818a 016450",
      "fff7fb ece2f0 d0d1e6 a6bddb 67a9cf 3690c0 02818a 016c59 014636"}},
    {"PuBu", PaletteKind::sequential, true,
     {"ece7f2 a6bddb 2b8cbe",
      "f1eef6 bdc9e1 74a9cf 0570b0",
      "f1eef6 bdc9e1 74a9cf 2b8cbe 045a8d",
      "f1eef6 d0d1e6 a6bddb 74a9cf 2b8cbe 045a8d",
      "f1eef6 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 034e7b",
      "fff7fb ece7f2 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 034e7b",
      "fff7fb ece7f2 d0d1e6 a6bddb 74a9cf 3690c0 0570b0 045a8d 023858"}},
    {"BuPu", PaletteKind::sequential, true,
     {"e0ecf4 9ebcda 8856a7",
      "edf8fb b3cde3 8c96c6 88419d",
      "edf8fb b3cde3 8c96c6 8856a7 810f7c",
      "edf8fb bfd3e6 9ebcda 8c96c6 8856a7 810f7c",
      "edf8fb bfd3e6 9ebcda 8c96c6 8c6bb1 88419d 6e016b",
      "f7fcfd e0ecf4 bfd3e6 9ebcda 8c96c6 8c6bb1 88419d 6e016b",
      "f7fcfd e0ecf4 bfd3e6 9ebcda 8c96c6 8c6bb1 88419d 810f7c 4d004b"}},
    {"RdPu", PaletteKind::sequential, true,
     {"fde0dd fa9fb5 c51b8a",
      "feebe2 fbb4b9 f768a1 ae017e",
      "feebe2 fbb4b9 f768a1 c51b8a 7a0177",
      "feebe2 fcc5c0 fa9fb5 f768a1 c51b8a 7a0177",
      "feebe2 fcc5c0 fa9fb5 f768a1 dd3497 ae017e 7a0177",
      "fff7f3 fde0dd fcc5c0 fa9fb5 f768a1 dd3497 ae017e 7a0177",
      "fff7f3 fde0dd fcc5c0 fa9fb5 f768a1 dd3497 ae017e 7a0177 49006a"}},
    {"PuRd", PaletteKind::sequential, true,
     {"e7e1ef c994c7 dd1c77",
      "f1eef6 d7b5d8 df65b0 ce1256",
      "f1eef6 d7b5d8 df65b0 dd1c77 980043",
      "f1eef6 d4b9da c994c7 df65b0 dd1c77 980043",
      "f1eef6 d4b9da c994c7 df65b0 e7298a ce1256 91003f",
      "f7f4f9 e7e1ef d4b9da c994c7 df65b0 e7298a ce1256 91003f",
      "f7f4f9 e7e1ef d4b9da c994c7 df65b0 e7298a ce1256 980043 67001f"}},
    {"OrRd", PaletteKind::sequential, true,
     {"fee8c8 fdbb84 e34a33",
      "fef0d9 fdcc8a fc8d59 d7301f",
      "fef0d9 fdcc8a fc8d59 e34a33 b30000",
      "fef0d9 fdd49e fdbb84 fc8d59 e34a33 b30000",
      "fef0d9 fdd49e fdbb84 fc8d59 ef6548 d7301f 990000",
      "fff7ec fee8c8 fdd49e fdbb84 fc8d59 ef6548 d7301f 990000",
      "fff7ec fee8c8 fdd49e fdbb84 fc8d59 ef6548 d7301f b30000 7f0000"}},
    {"YlOrRd", PaletteKind::sequential, true,
     {"ffeda0 feb24c f03b20",
      "ffffb2 fecc5c fd8d3c e31a1c",
      "ffffb2 fecc5c fd8d3c f03b20 bd0026",
      "ffffb2 fed976 feb24c fd8d3c f03b20 bd0026",
      "ffffb2 fed976 feb24c fd8d3c fc4e2a e31a1c b10026",
      "ffffcc ffeda0 fed976 feb24c fd8d3c fc4e2a e31a1c b10026",
      "ffffcc ffeda0 fed976 feb24c fd8d3c fc4e2a e31a1c bd0026 800026"}},
    {"YlOrBr", PaletteKind::sequential, true,
     {"fff7bc fec44f d95f0e",
      "ffffd4 fed98e fe9929 cc4c02",
      "ffffd4 fed98e fe9929 d95f0e 993404",
      "ffffd4 fee391 fec44f fe9929 d95f0e 993404",
      "ffffd4 fee391 fec44f fe9929 ec7014 cc4c02 8c2d04",
      "ffffe5 fff7bc fee391 fec44f fe9929 ec7014 cc4c02 8c2d04",
      "ffffe5 fff7bc fee391 fec44f fe9929 ec7014 cc4c02 993404 662506"}},
    {"Purples", PaletteKind::sequential, true,
     {"efedf5 bcbddc 756bb1",
      "f2f0f7 cbc9e2 9e9ac8 6a51a3",
      "f2f0f7 cbc9e2 9e9ac8 756bb1 54278f",
      "f2f0f7 dadaeb bcbddc 9e9ac8 756bb1 54278f",
      "f2f0f7 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486",
      "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486",
      "fcfbfd efedf5 dadaeb bcbddc 9e9ac8 807dba 6a51a3 54278f 3f007d"}},
    {"Blues", PaletteKind::sequential, true,
     {"deebf7 9ecae1 3182bd",
      "eff3ff bdd7e7 6baed6 2171b5",
      "eff3ff bdd7e7 6baed6 3182bd 08519c",
      "eff3ff c6dbef 9ecae1 6baed6 3182bd 08519c",
      "eff3ff c6dbef 9ecae1 6baed6 4292c6 2171b5 084594",
      "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 084594",
      "f7fbff deebf7 c6dbef 9ecae1 6baed6 4292c6 2171b5 08519c 08306b"}},
    {"Greens", PaletteKind::sequential, true,
     {"e5f5e0 a1d99b 31a354",
      "edf8e9 bae4b3 74c476 238b45",
      "edf8e9 bae4b3 74c476 31a354 006d2c",
      "edf8e9 c7e9c0 a1d99b 74c476 31a354 006d2c",
      "edf8e9 c7e9c0 a1d99b 74c476 41ab5d 238b45 005a32",
      "f7fcf5 e5f5e0 c7e9c0 a1d99b 74c476 41ab5d 238b45 005a32",
      "f7fcf5 e5f5e0 c7e9c0 a1d99b 74c476 41ab5d 238b45 006d2c 00441b"}},
    {"Oranges", PaletteKind::sequential, true,
     {"fee6ce fdae6b e6550d",
      "feedde fdbe85 fd8d3c d94701",
      "feedde fdbe85 fd8d3c e6550d a63603",
      "feedde fdd0a2 fdae6b fd8d3c e6550d a63603",
      "feedde fdd0a2 fdae6b fd8d3c f16913 d94801 8c2d04",
      "fff5eb fee6ce fdd0a2 fdae6b fd8d3c f16913 d94801 8c2d04",
      "fff5eb fee6ce fdd0a2 fdae6b fd8d3c f16913 d94801 a63603 7f2704"}},
    {"Reds", PaletteKind::sequential, true,
     {"fee0d2 fc9272 de2d26",
      "fee5d9 fcae91 fb6a4a cb181d",
      "fee5d9 fcae91 fb6a4a de2d26 a50f15",
      "fee5d9 fcbba1 fc9272 fb6a4a de2d26 a50f15",
      "fee5d9 fcbba1 fc9272 fb6a4a ef3b2c cb181d 99000d",
      "fff5f0 fee0d2 fcbba1 fc9272 fb6a4a ef3b2c cb181d 99000d",
      "fff5f0 fee0d2 fcbba1 fc9272 fb6a4a ef3b2c cb181d a50f15 67000d"}},
    {"Greys", PaletteKind::sequential, true,
     {"f0f0f0 bdbdbd 636363",
      "f7f7f7 cccccc 969696 525252",
      "f7f7f7 cccccc 969696 636363 252525",
      "f7f7f7 d9d9d9 bdbdbd 969696 636363 252525",
      "f7f7f7 d9d9d9 bdbdbd 969696 737373 525252 252525",
      "ffffff f0f0f0 d9d9d9 bdbdbd 969696 737373 525252 252525",
      "ffffff f0f0f0 d9d9d9 bdbdbd 969696 737373 525252 252525 000000"}},
    {"RdBu", PaletteKind::diverging, true,
     {"ef8a62 f7f7f7 67a9cf",
      "ca0020 f4a582 92c5de 0571b0",
      "ca0020 f4a582 f7f7f7 92c5de 0571b0",
      "b2182b ef8a62 fddbc7 d1e5f0 67a9cf 2166ac",
      "b2182b ef8a62 fddbc7 f7f7f7 d1e5f0 67a9cf 2166ac",
      "b2182b d6604d f4a582 fddbc7 d1e5f0 92c5de 4393c3 2166ac",
      "b2182b d6604d f4a582 fddbc7 f7f7f7 d1e5f0 92c5de 4393c3 2166ac",
      "67001f b2182b d6604d f4a582 fddbc7 d1e5f0 92c5de 4393c3 2166ac 053061",
      "67001f b2182b d6604d f4a582 fddbc7 f7f7f7 d1e5f0 92c5de 4393c3 2166ac 053061"}},
    {"RdYlBu", PaletteKind::diverging, true,
     {"fc8d59 ffffbf 91bfdb",
      "d7191c fdae61 abd9e9 2c7bb6",
      "d7191c fdae61 ffffbf abd9e9 2c7bb6",
      "d73027 fc8d59 fee090 e0f3f8 91bfdb 4575b4",
      "d73027 fc8d59 fee090 ffffbf e0f3f8 91bfdb 4575b4",
      "d73027 f46d43 fdae61 fee090 e0f3f8 abd9e9 74add1 4575b4",
      "d73027 f46d43 fdae61 fee090 ffffbf e0f3f8 abd9e9 74add1 4575b4",
      "a50026 d73027 f46d43 fdae61 fee090 e0f3f8 abd9e9 74add1 4575b4 313695",
      "a50026 d73027 f46d43 fdae61 fee090 ffffbf e0f3f8 abd9e9 74add1 4575b4 313695"}},
    {"PuOr", PaletteKind::diverging, true,
     {"f1a340 f7f7f7 998ec3",
      "e66101 fdb863 b2abd2 5e3c99",
      "e66101 fdb863 f7f7f7 b2abd2 5e3c99",
      "b35806 f1a340 fee0b6 d8daeb 998ec3 542788",
      "b35806 f1a340 fee0b6 f7f7f7 d8daeb 998ec3 542788",
      "b35806 e08214 fdb863 fee0b6 d8daeb b2abd2 8073ac 542788",
      "b35806 e08214 fdb863 fee0b6 f7f7f7 d8daeb b2abd2 8073ac 542788",
      "7f3b08 b35806 e08214 fdb863 fee0b6 d8daeb b2abd2 8073ac 542788 2d004b",
      "7f3b08 b35806 e08214 fdb863 fee0b6 f7f7f7 d8daeb b2abd2 8073ac 542788 2d004b"}},
    {"BrBG", PaletteKind::diverging, true,
     {"d8b365 f5f5f5 5ab4ac",
      "a6611a dfc27d 80cdc1 018571",
      "a6611a dfc27d f5f5f5 80cdc1 018571",
      "8c510a d8b365 f6e8c3 c7eae5 5ab4ac 01665e",
      "8c510a d8b365 f6e8c3 f5f5f5 c7eae5 5ab4ac 01665e",
      "8c510a bf812d dfc27d f6e8c3 c7eae5 80cdc1 35978f 01665e",
      "8c510a bf812d dfc27d f6e8c3 f5f5f5 c7eae5 80cdc1 35978f 01665e",
      "543005 8c510a bf812d dfc27d f6e8c3 c7eae5 80cdc1 35978f 01665e 003c30",
      "543005 8c510a bf812d dfc27d f6e8c3 f5f5f5 c7eae5 80cdc1 35978f 01665e 003c30"}},
    {"PiYG", PaletteKind::diverging, true,
     {"e9a3c9 f7f7f7 a1d76a",
      "d01c8b f1b6da b8e186 4dac26",
      "d01c8b f1b6da f7f7f7 b8e186 4dac26",
      "c51b7d e9a3c9 fde0ef e6f5d0 a1d76a 4d9221",
      "c51b7d e9a3c9 fde0ef f7f7f7 e6f5d0 a1d76a 4d9221",
      "c51b7d de77ae f1b6da fde0ef e6f5d0 b8e186 7fbc41 4d9221",
      "c51b7d de77ae f1b6da fde0ef f7f7f7 e6f5d0 b8e186 7fbc41 4d9221",
      "8e0152 c51b7d de77ae f1b6da fde0ef e6f5d0 b8e186 7fbc41 4d9221 276419",
      "8e0152 c51b7d de77ae f1b6da fde0ef f7f7f7 e6f5d0 b8e186 7fbc41 4d9221 276419"}},
    {"PRGn", PaletteKind::diverging, true,
     {"af8dc3 f7f7f7 7fbf7b",
      "7b3294 c2a5cf a6dba0 008837",
      "7b3294 c2a5cf f7f7f7 a6dba0 008837",
      "762a83 af8dc3 e7d4e8 d9f0d3 7fbf7b 1b7837",
      "762a83 af8dc3 e7d4e8 f7f7f7 d9f0d3 7fbf7b 1b7837",
      "762a83 9970ab c2a5cf e7d4e8 d9f0d3 a6dba0 5aae61 1b7837",
      "762a83 9970ab c2a5cf e7d4e8 f7f7f7 d9f0d3 a6dba0 5aae61 1b7837",
      "40004b 762a83 9970ab c2a5cf e7d4e8 d9f0d3 a6dba0 5aae61 1b7837 00441b",
      "40004b 762a83 9970ab c2a5cf e7d4e8 f7f7f7 d9f0d3 a6dba0 5aae61 1b7837 00441b"}},
    {"RdGy", PaletteKind::diverging, false,
     {"ef8a62 ffffff 999999",
      "ca0020 f4a582 bababa 404040",
      "ca0020 f4a582 ffffff bababa 404040",
      "b2182b ef8a62 fddbc7 e0e0e0 999999 4d4d4d",
      "b2182b ef8a62 fddbc7 ffffff e0e0e0 999999 4d4d4d",
      "b2182b d6604d f4a582 fddbc7 e0e0e0 bababa 878787 4d4d4d",
      "b2182b d6604d f4a582 fddbc7 ffffff e0e0e0 bababa 878787 4d4d4d",
      "67001f b2182b d6604d f4a582 fddbc7 e0e0e0 bababa 878787 4d4d4d 1a1a1a",
      "67001f b2182b d6604d f4a582 fddbc7 ffffff e0e0e0 bababa 878787 4d4d4d 1a1a1a"}},
    {"RdYlGn", PaletteKind::diverging, false,
     {"fc8d59 ffffbf 91cf60",
      "d7191c fdae61 a6d96a 1a9641",
      "d7191c fdae61 ffffbf a6d96a 1a9641",
      "d73027 fc8d59 fee08b d9ef8b 91cf60 1a9850",
      "d73027 fc8d59 fee08b ffffbf d9ef8b 91cf60 1a9850",
      "d73027 f46d43 fdae61 fee08b d9ef8b a6d96a 66bd63 1a9850",
      "d73027 f46d43 fdae61 fee08b ffffbf d9ef8b a6d96a 66bd63 1a9850",
      "a50026 d73027 f46d43 fdae61 fee08b d9ef8b a6d96a 66bd63 1a9850 006837",
      "a50026 d73027 f46d43 fdae61 fee08b ffffbf d9ef8b a6d96a 66bd63 1a9850 006837"}},
    {"Spectral", PaletteKind::diverging, false,
     {"fc8d59 ffffbf 99d594",
      "d7191c fdae61 abdda4 2b83ba",
      "d7191c fdae61 ffffbf abdda4 2b83ba",
      "d53e4f fc8d59 fee08b e6f598 99d594 3288bd",
      "d53e4f fc8d59 fee08b ffffbf e6f598 99d594 3288bd",
      "d53e4f f46d43 fdae61 fee08b e6f598 abdda4 66c2a5 3288bd",
      "d53e4f f46d43 fdae61 fee08b ffffbf e6f598 abdda4 66c2a5 3288bd",
      "9e0142 d53e4f f46d43 fdae61 fee08b e6f598 abdda4 66c2a5 3288bd 5e4fa2",
      "9e0142 d53e4f f46d43 fdae61 fee08b ffffbf e6f598 abdda4 66c2a5 3288bd 5e4fa2"}},
};

int max_set(const PaletteData& p) { return p.kind == PaletteKind::sequential ? 9 : 11; }

Rgb parse_hex(std::string_view hex) {
    auto channel = [&](std::size_t at) { return std::stoi(std::string(hex.substr(at, 2)), nullptr, 16) / 255.0; };
    return {channel(0), channel(2), channel(4)};
}

std::vector<Rgb> parse_set(const char* set) {
    std::vector<Rgb> colours;
    std::istringstream in(set);
    for (std::string hex; in >> hex;) colours.push_back(parse_hex(hex));
    return colours;
}

const PaletteData& find_palette(std::string_view name) {
    for (const auto& p : kPalettes)
        if (name.size() == std::string_view(p.name).size() && strncasecmp(name.data(), p.name, name.size()) == 0) return p;
    std::vector<std::string> names;
    for (const auto& p : kPalettes) names.emplace_back(p.name);
    throw UsageError("unknown colour palette '" + std::string(name) + "'" + did_you_mean(name, names) +
                     "; palettes: " + join_list(names, 40));
}

// CIE L*a*b* under D65, from and to sRGB.
struct Lab {
    double l, a, b;
};

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double from_linear(double c) { return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055; }

constexpr double kWhiteX = 0.95047, kWhiteY = 1.0, kWhiteZ = 1.08883;
constexpr double kEpsilon = 216.0 / 24389.0, kKappa = 24389.0 / 27.0;

double lab_f(double t) { return t > kEpsilon ? std::cbrt(t) : (kKappa * t + 16.0) / 116.0; }
double lab_f_inverse(double f) {
    const double t = f * f * f;
    return t > kEpsilon ? t : (116.0 * f - 16.0) / kKappa;
}

Lab to_lab(const Rgb& c) {
    const double r = to_linear(c.r), g = to_linear(c.g), b = to_linear(c.b);
    const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    const double fx = lab_f(x / kWhiteX), fy = lab_f(y / kWhiteY), fz = lab_f(z / kWhiteZ);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

Rgb from_lab(const Lab& lab) {
    const double fy = (lab.l + 16.0) / 116.0;
    const double x = kWhiteX * lab_f_inverse(fy + lab.a / 500.0);
    const double y = kWhiteY * lab_f_inverse(fy);
    const double z = kWhiteZ * lab_f_inverse(fy - lab.b / 200.0);
    auto channel = [](double linear) { return std::clamp(from_linear(linear), 0.0, 1.0); };
    return {channel(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
            channel(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z),
            channel(0.0556434 * x - 0.2040259 * y + 1.0572252 * z)};
}

// Piecewise linear in Lab through the colours of the largest set, evenly spaced on [0, 1].
Rgb ramp(const std::vector<Rgb>& stops, double t) {
    const double pos = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(pos), stops.size() - 2);
    const double f = pos - static_cast<double>(i);
    // Stops are returned as typed, not round-tripped through Lab.
    if (f == 0) return stops[i];
    if (f == 1) return stops[i + 1];
    const Lab a = to_lab(stops[i]), b = to_lab(stops[i + 1]);
    return from_lab({a.l + f * (b.l - a.l), a.a + f * (b.a - a.a), a.b + f * (b.b - a.b)});
}

} // namespace

std::string Rgb::hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "#";
    for (const double c : {r, g, b}) {
        const int v = static_cast<int>(std::lround(std::clamp(c, 0.0, 1.0) * 255.0));
        out += digits[v / 16];
        out += digits[v % 16];
    }
    return out;
}

const std::vector<PaletteInfo>& palettes() {
    static const std::vector<PaletteInfo> list = [] {
        std::vector<PaletteInfo> out;
        for (const auto& p : kPalettes) out.push_back({p.name, p.kind, p.colour_blind_safe});
        return out;
    }();
    return list;
}

std::string default_palette(PaletteKind kind) {
    // Both colour-blind safe and print safe in ColorBrewer; RdBu reads red as short of the
    // target and blue as beyond it.
    return kind == PaletteKind::sequential ? "YlGnBu" : "RdBu";
}

std::vector<Rgb> palette_colours(std::string_view name, int n) {
    const PaletteData& p = find_palette(name);
    if (n < 1 || n > kMaxColours)
        throw UsageError("palette " + std::string(p.name) + ": " + std::to_string(n) +
                         " colours asked for (expected 1 to " + std::to_string(kMaxColours) + ")");
    const int top = max_set(p);
    if (n >= kMinSet && n <= top) return parse_set(p.sets[static_cast<std::size_t>(n - kMinSet)]);
    // One or two colours: the middle, or the two ends, of the 3-colour set (for a diverging
    // palette, the neutral alone or the two sides).
    const auto three = parse_set(p.sets[0]);
    if (n == 1) return {three[1]};
    if (n == 2) return {three[0], three[2]};
    const auto stops = parse_set(p.sets[static_cast<std::size_t>(top - kMinSet)]);
    std::vector<Rgb> out;
    for (int i = 0; i < n; ++i) out.push_back(ramp(stops, static_cast<double>(i) / (n - 1)));
    return out;
}

Rgb palette_ramp(std::string_view name, double t) {
    const PaletteData& p = find_palette(name);
    if (std::isnan(t)) return no_data_colour();
    return ramp(parse_set(p.sets[static_cast<std::size_t>(max_set(p) - kMinSet)]), t);
}

std::vector<Rgb> categorical_colours(int n) {
    // Paired, dark of each pair first so a few categories get strong colours; the light yellow
    // (ffff99) last.
    static constexpr std::array<const char*, 12> kPaired = {"1f78b4", "33a02c", "e31a1c", "ff7f00", "6a3d9a", "b15928",
                                                            "a6cee3", "b2df8a", "fb9a99", "fdbf6f", "cab2d6", "ffff99"};
    if (n < 1 || n > 12) throw UsageError("categorical colours: " + std::to_string(n) + " categories; 1 to 12 can be told apart");
    std::vector<Rgb> out;
    for (int k = 0; k < n; ++k) out.push_back(parse_hex(kPaired[static_cast<std::size_t>(k)]));
    return out;
}

Rgb other_colour() { return parse_hex("5a5a5a"); }

Rgb no_data_colour() {
    // #e6d9d6: a light warm grey with a trace of colour (Lab chroma 5), so that it is at least
    // 5 Lab units from every colour any palette here gives, the Greys ramp included (a neutral
    // grey would sit on that ramp). Maps also hatch it, so it never reads as a class.
    return parse_hex("e6d9d6");
}

} // namespace cakupan
