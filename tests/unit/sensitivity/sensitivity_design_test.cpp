// Sensitivity designs: sizes, structure, stratification and determinism (a point is a pure
// function of the seed and its index).
#include <cakupan/sensitivity/design.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

namespace cakupan::sensitivity {
namespace {

TEST(SensitivityOat, BaseThenLowAndHighOfEachParameter) {
    const OatDesign design(3, {0.5, 0.1, 0.9});
    ASSERT_EQ(design.size(), 7u);
    const Eigen::MatrixXd m = design.matrix();
    Eigen::MatrixXd expected(7, 3);
    expected << 0.5, 0.5, 0.5, //
        0.1, 0.5, 0.5, 0.9, 0.5, 0.5, //
        0.5, 0.1, 0.5, 0.5, 0.9, 0.5, //
        0.5, 0.5, 0.1, 0.5, 0.5, 0.9;
    EXPECT_EQ(m, expected);
    EXPECT_EQ(design.info(0).label, "base");
    EXPECT_EQ(design.info(4).label, "x2 high");
    EXPECT_THROW(OatDesign(2, {0.5, 0.6, 0.9}), std::invalid_argument); // base below low
    EXPECT_THROW(design.point(7), std::invalid_argument);
}

TEST(SensitivityLhs, ExactlyOnePointPerStratumInEveryDimension) {
    for (std::size_t n : {1u, 2u, 7u, 100u, 1000u}) {
        const LhsDesign design(n, 4, 2024);
        const Eigen::MatrixXd m = design.matrix();
        for (Eigen::Index j = 0; j < 4; ++j) {
            std::vector<int> count(n, 0);
            for (Eigen::Index i = 0; i < m.rows(); ++i) {
                const double u = m(i, j);
                ASSERT_GT(u, 0);
                ASSERT_LT(u, 1);
                ++count[static_cast<std::size_t>(std::floor(u * static_cast<double>(n)))];
            }
            EXPECT_TRUE(std::all_of(count.begin(), count.end(), [](int c) { return c == 1; })) << n << " " << j;
        }
    }
}

TEST(SensitivityLhs, WithoutJitterPointsSitAtStratumMidpoints) {
    const LhsDesign design(8, 2, 5, false);
    const Eigen::MatrixXd m = design.matrix();
    std::set<double> seen(m.col(1).data(), m.col(1).data() + 8);
    EXPECT_EQ(seen, (std::set<double>{0.0625, 0.1875, 0.3125, 0.4375, 0.5625, 0.6875, 0.8125, 0.9375}));
}

TEST(SensitivityLhs, SameSeedSamePointsOtherSeedOtherPoints) {
    const LhsDesign a(50, 3, 7), b(50, 3, 7), c(50, 3, 8);
    EXPECT_EQ(a.matrix(), b.matrix());
    EXPECT_NE(a.matrix(), c.matrix());
    // Dimensions get their own permutations.
    EXPECT_NE(a.matrix().col(0), a.matrix().col(1));
    // Point 17 alone, from a fresh design, equals row 17 of the whole matrix.
    EXPECT_EQ(Eigen::RowVectorXd::Map(LhsDesign(50, 3, 7).point(17).data(), 3), a.matrix().row(17));
}

TEST(SensitivityMorris, TrajectoriesMoveOneCoordinateByDelta) {
    const MorrisDesign design(5, {12, 4}, 99);
    ASSERT_EQ(design.size(), 12u * 6u);
    EXPECT_DOUBLE_EQ(design.delta(), 4.0 / 6.0);
    const Eigen::MatrixXd m = design.matrix();
    for (std::size_t t = 0; t < 12; ++t) {
        std::set<std::size_t> moved;
        for (std::size_t s = 0; s < 5; ++s) {
            const auto i = static_cast<Eigen::Index>(t * 6 + s);
            const Eigen::RowVectorXd diff = m.row(i + 1) - m.row(i);
            const auto move = design.move(t, s);
            for (Eigen::Index k = 0; k < 5; ++k) {
                if (static_cast<std::size_t>(k) == move.parameter)
                    EXPECT_NEAR(std::abs(diff(k)), 4.0 / 6.0, 1e-15);
                else
                    EXPECT_EQ(diff(k), 0);
            }
            EXPECT_EQ(diff(static_cast<Eigen::Index>(move.parameter)), move.change);
            moved.insert(move.parameter);
        }
        EXPECT_EQ(moved.size(), 5u) << "every parameter moves once on trajectory " << t;
    }
    // Every coordinate is on the grid {0, 1/3, 2/3, 1}.
    for (double u : std::vector<double>(m.data(), m.data() + m.size()))
        EXPECT_EQ(u * 3, std::round(u * 3)) << u;
    EXPECT_EQ(design.info(13).label, "trajectory 2 step 1");
}

TEST(SensitivityMorris, DeterministicAndSeedDependent) {
    EXPECT_EQ(MorrisDesign(4, {6, 6}, 1).matrix(), MorrisDesign(4, {6, 6}, 1).matrix());
    EXPECT_NE(MorrisDesign(4, {6, 6}, 1).matrix(), MorrisDesign(4, {6, 6}, 2).matrix());
    EXPECT_THROW(MorrisDesign(4, {6, 5}, 1), std::invalid_argument); // odd levels
    EXPECT_THROW(MorrisDesign(4, {0, 4}, 1), std::invalid_argument);
}

TEST(SensitivitySaltelli, PointCountsAndBlocks) {
    const SaltelliDesign first(3, {16, false});
    EXPECT_EQ(first.size(), 16u * 5u);
    const SaltelliDesign second(3, {16, true});
    EXPECT_EQ(second.size(), 16u * 8u);
    const Eigen::MatrixXd m = second.matrix();
    for (std::size_t j = 0; j < 16; ++j) {
        const Eigen::RowVectorXd a = m.row(static_cast<Eigen::Index>(second.index_a(j)));
        const Eigen::RowVectorXd b = m.row(static_cast<Eigen::Index>(second.index_b(j)));
        for (std::size_t k = 0; k < 3; ++k) {
            Eigen::RowVectorXd ab = a, ba = b;
            ab(static_cast<Eigen::Index>(k)) = b(static_cast<Eigen::Index>(k));
            ba(static_cast<Eigen::Index>(k)) = a(static_cast<Eigen::Index>(k));
            EXPECT_EQ(m.row(static_cast<Eigen::Index>(second.index_ab(j, k))), ab);
            EXPECT_EQ(m.row(static_cast<Eigen::Index>(second.index_ba(j, k))), ba);
        }
        // A and B come from the same Sobol point and match the first-order design's.
        EXPECT_EQ(first.matrix().row(static_cast<Eigen::Index>(first.index_a(j))), a);
    }
    EXPECT_EQ(second.info(second.index_ba(3, 1)).label, "row 3 BA[1]");
}

TEST(SensitivitySaltelli, RowsAreABalancedBlockOfTheSobolSequence) {
    // With the default skip (N = 2^m), the rows are Sobol points N .. 2N - 1: in every one of the 2d
    // Sobol dimensions each interval [k/N, (k+1)/N) holds exactly one point.
    const SaltelliDesign design(4, {64, false});
    EXPECT_EQ(design.skip(), 64u);
    std::vector<double> ab(8);
    std::vector<std::vector<int>> count(8, std::vector<int>(64, 0));
    for (std::size_t j = 0; j < 64; ++j) {
        design.base_row(j, ab);
        for (std::size_t c = 0; c < 8; ++c) {
            ASSERT_GT(ab[c], 0);
            ASSERT_LT(ab[c], 1);
            ++count[c][static_cast<std::size_t>(ab[c] * 64)];
        }
    }
    for (std::size_t c = 0; c < 8; ++c)
        EXPECT_TRUE(std::all_of(count[c].begin(), count[c].end(), [](int x) { return x == 1; })) << c;
    // The first Sobol dimension is the van der Corput sequence: these points are (2k + 1) / 128.
    std::set<double> first;
    for (std::size_t j = 0; j < 64; ++j) {
        design.base_row(j, ab);
        first.insert(ab[0] * 128);
    }
    for (double x : first) EXPECT_EQ(std::fmod(x, 2.0), 1.0) << x;
}

TEST(SensitivitySaltelli, PointDependsOnlyOnItsIndex) {
    const SaltelliDesign design(5, {256, true});
    const Eigen::MatrixXd all = design.matrix();
    for (std::size_t i : {0u, 1u, 13u, 777u, 256u * 12u - 1u}) {
        const SaltelliDesign fresh(5, {256, true});
        EXPECT_EQ(Eigen::RowVectorXd::Map(fresh.point(i).data(), 5), all.row(static_cast<Eigen::Index>(i))) << i;
    }
    // Evaluating in reverse order gives the same points.
    for (std::size_t i = design.size(); i-- > design.size() - 50;)
        EXPECT_EQ(Eigen::RowVectorXd::Map(design.point(i).data(), 5), all.row(static_cast<Eigen::Index>(i)));
    EXPECT_THROW(SaltelliDesign(2, {1, false}), std::invalid_argument);
    EXPECT_THROW((SaltelliDesign(2, {8, false, 0})), std::invalid_argument);
}

} // namespace
} // namespace cakupan::sensitivity
