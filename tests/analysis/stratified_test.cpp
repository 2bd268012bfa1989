#include "analysis/stratified.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace npufi {
namespace {

using Counts = std::vector<uint64_t>;

TEST(Allocation, ProportionalToPopulation) {
  EXPECT_EQ(allocate_proportional({3000, 1000}, 400), (Counts{300, 100}));
  // 7 over {5, 3, 2}: exact 3.5, 2.1, 1.4; floors 3, 2, 1 leave 1, which goes to the largest remainder.
  EXPECT_EQ(allocate_proportional({5, 3, 2}, 7), (Counts{4, 2, 1}));
  // More than the population: everything, once.
  EXPECT_EQ(allocate_proportional({10, 20}, 100), (Counts{10, 20}));
  EXPECT_EQ(allocate_proportional({0, 20}, 5), (Counts{0, 5}));
  EXPECT_THROW(allocate_proportional({0, 0}, 5), std::invalid_argument);
}

TEST(Allocation, NeymanFollowsTheStandardDeviation) {
  // sqrt(0.5 * 0.5) = 0.5 and sqrt(0.1 * 0.9) = 0.3: 80 splits 0.625 / 0.375.
  EXPECT_EQ(allocate_neyman({1000, 1000}, {0.5, 0.1}, 80), (Counts{50, 30}));
  // Equal priors: proportional.
  EXPECT_EQ(allocate_neyman({3000, 1000}, {0.5, 0.5}, 400), (Counts{300, 100}));
  // Scores 10 * 0.5 = 5 and 1000 * sqrt(0.0099) = 99.50: the small stratum's share of 500 is 23.9 > 10,
  // so it gets its 10 and the large one the other 490.
  EXPECT_EQ(allocate_neyman({10, 1000}, {0.5, 0.01}, 500), (Counts{10, 490}));
  EXPECT_THROW(allocate_neyman({10, 10}, {0.5}, 5), std::invalid_argument);
  EXPECT_THROW(allocate_neyman({10, 10}, {0.5, 1.0}, 5), std::invalid_argument);
}

TEST(StratifiedEstimate, MatchesHandComputation) {
  // w = 3000/4000 = 0.75 and 0.25; p = 30/300 = 0.1 and 50/100 = 0.5.
  // AVF = 0.75 * 0.1 + 0.25 * 0.5 = 0.2
  // Var = 0.5625 * 0.1 * 0.9 / 300 + 0.0625 * 0.5 * 0.5 / 100 = 0.00016875 + 0.00015625 = 0.000325
  // half width = 1.959964 * sqrt(0.000325) = 1.959964 * 0.018027756 = 0.035334
  const StratifiedEstimate e = stratified_estimate({{3000, 30, 300}, {1000, 50, 100}}, 0.95);
  EXPECT_DOUBLE_EQ(e.value, 0.2);
  EXPECT_NEAR(e.variance, 0.000325, 1e-15);
  EXPECT_NEAR(e.interval.low, 0.2 - 0.0353338, 1e-6);
  EXPECT_NEAR(e.interval.high, 0.2 + 0.0353338, 1e-6);
}

TEST(StratifiedEstimate, ClipsToTheUnitIntervalAndRejectsUnsampledStrata) {
  const StratifiedEstimate e = stratified_estimate({{100, 1, 10}, {100, 0, 10}}, 0.95);
  EXPECT_DOUBLE_EQ(e.value, 0.05);
  EXPECT_EQ(e.interval.low, 0.0);  // 0.05 - 1.96 * sqrt(0.25 * 0.09 / 10) < 0
  EXPECT_THROW(stratified_estimate({{100, 0, 0}}, 0.95), std::invalid_argument);
  EXPECT_THROW(stratified_estimate({{0, 0, 0}}, 0.95), std::invalid_argument);
  // An empty stratum weighs nothing and needs no trials.
  EXPECT_DOUBLE_EQ(stratified_estimate({{100, 5, 10}, {0, 0, 0}}, 0.95).value, 0.5);
}

}  // namespace
}  // namespace npufi
