// Reading GAL weights: what to_gal writes reads back exactly (Babel villages, islands included),
// and each kind of broken file is refused with its line and column.
#include "cakupan/geo/contiguity.hpp"
#include "cakupan/common/error.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace cakupan {
namespace {

std::string error_of(const std::string& text) {
    try {
        parse_gal(text, "w.gal");
    } catch (const InputError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(Gal, BabelVillagesReadBackAsWritten) {
    const auto& desa = test::babel("desa").table;
    const Adjacency a = build_contiguity(desa.shapes, {ContiguityRule::queen, 200.0});
    ASSERT_FALSE(a.islands().empty()); // regions without a neighbour are part of what is checked
    const GalWeights g = parse_gal(to_gal(a, desa.ids, desa.layer, desa.id_field), "babel.gal");
    EXPECT_EQ(g.layer, desa.layer);
    EXPECT_EQ(g.id_field, desa.id_field);
    EXPECT_EQ(g.ids, desa.ids);
    EXPECT_EQ(g.adjacency.offsets, a.offsets);
    EXPECT_EQ(g.adjacency.neighbours, a.neighbours);
}

TEST(Gal, NeighboursComeSortedByRegionWhateverTheirOrderInTheFile) {
    const GalWeights g = parse_gal("0 3 l k\r\na 2\r\nc b\r\nb 1\r\na\r\nc 1\r\na\r\n", "w.gal");
    EXPECT_EQ(g.ids, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(g.adjacency.offsets, (std::vector<std::size_t>{0, 2, 3, 4}));
    EXPECT_EQ(g.adjacency.neighbours, (std::vector<std::uint32_t>{1, 2, 0, 0}));
}

// GAL separates tokens by whitespace: an id that holds whitespace or is empty could not be read
// back, so it is refused; a layer or field name with spaces is written with '_' and reads back.
TEST(Gal, IdsThatGalCannotHoldAreRefusedAndNamesWithSpacesKept) {
    const GalWeights base = parse_gal("0 2 l k\na 1\nb\nb 1\na\n", "w.gal");
    for (const std::string bad : {"a b", "", "tab\tid", "line\nbreak"}) {
        try {
            (void)to_gal(base.adjacency, {"a", bad}, "desa", "kode");
            FAIL() << "accepted '" << bad << "'";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()), "layer desa: region 2 has the id '" + bad +
                                                 "' in field kode, which a GAL file cannot hold (its ids are separated by "
                                                 "whitespace); choose an id field without spaces (--id-field)");
        }
    }
    // a form feed or vertical tab separates like a space, in the reader and the writer alike (a
    // layer named "\xff\f" once came back as "\xff_" and failed the fuzzer's round trip)
    EXPECT_EQ(parse_gal("0 2 l\fk\na\v1\nb\nb 1\na\n", "w.gal").ids, base.ids);
    const GalWeights g = parse_gal(to_gal(base.adjacency, base.ids, "my layer", "kode\fwilayah"), "w.gal");
    EXPECT_EQ(g.layer, "my_layer");
    EXPECT_EQ(g.id_field, "kode_wilayah");
    EXPECT_EQ(g.ids, base.ids);
}

TEST(Gal, BrokenFilesSayWhereAndWhat) {
    EXPECT_EQ(error_of(""), "w.gal:1:1: the file ends here; expected a header \"0 N layer id_field\"");
    EXPECT_EQ(error_of("3\n"), "w.gal:1:1: expected the header \"0 N layer id_field\"");
    EXPECT_EQ(error_of("0 2 l\n"), "w.gal:1:1: expected the header \"0 N layer id_field\"");
    EXPECT_EQ(error_of("0 -1 l k\n"), "w.gal:1:3: '-1' is not a count (a whole number >= 0)");
    EXPECT_EQ(error_of("0 99999999999999999999 l k\n"), "w.gal:1:3: '99999999999999999999' is not a count (a whole number >= 0)");
    EXPECT_EQ(error_of("0 1000000 l k\na 0\n\n"), "w.gal:1:3: the header says 1000000 regions but the file has lines for 1 (two per region)");
    EXPECT_EQ(error_of("0 1 l k\na\n\n"), "w.gal:2:1: expected \"id k\" (a region id and its number of neighbours)");
    EXPECT_EQ(error_of("0 1 l k\na x\n\n"), "w.gal:2:3: 'x' is not a count (a whole number >= 0)");
    EXPECT_EQ(error_of("0 2 l k\na 1\nb\nb 1\nb\n"), "w.gal:5:1: region 'b' is its own neighbour");
    EXPECT_EQ(error_of("0 2 l k\na 1\nb\na 1\na\n"), "w.gal:4:1: region 'a' is listed twice");
    EXPECT_EQ(error_of("0 2 l k\na 2\nb\nb 1\na\n"), "w.gal:3:1: expected 2 neighbour ids of 'a', found 1");
    EXPECT_EQ(error_of("0 2 l k\na 1\n  z\nb 0\n\n"), "w.gal:3:3: neighbour 'z' is not a region of the file");
    EXPECT_EQ(error_of("0 2 l k\na 2\nb b\nb 1\na\n"), "w.gal:3:1: neighbour 'b' of 'a' is listed twice");
    EXPECT_EQ(error_of("0 2 l k\na 1\nb\nb 0\n\n"), "w.gal:3:1: 'a' lists 'b' as a neighbour but 'b' does not list 'a'");
    EXPECT_EQ(error_of("0 1 l k\na 0\n\nb 0\n"), "w.gal:4:1: text after the 1 regions of the header");
    EXPECT_EQ(error_of("0 1 l k\na 0\n"), "w.gal:1:3: the header says 1 regions but the file has lines for 0 (two per region)");
}

} // namespace
} // namespace cakupan
