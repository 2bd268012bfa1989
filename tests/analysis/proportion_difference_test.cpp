#include "analysis/proportion_difference.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace npufi {
namespace {

// Newcombe (Statistics in Medicine 17, 1998), Table II, example (a): 56/70 against 48/80; method 10 (the
// hybrid score interval) gives 0.0524 to 0.3339.
TEST(ProportionDifference, MatchesNewcombesExample) {
  const ProportionDifference d = proportion_difference(48, 80, 56, 70, 0.95);
  EXPECT_NEAR(d.difference, 0.2, 1e-12);
  EXPECT_NEAR(d.interval.low, 0.0524, 1e-4);
  EXPECT_NEAR(d.interval.high, 0.3339, 1e-4);
  EXPECT_TRUE(d.significant);
}

// Swapping the sides negates the difference and mirrors the interval.
TEST(ProportionDifference, IsAntisymmetric) {
  const ProportionDifference d = proportion_difference(56, 70, 48, 80, 0.95);
  EXPECT_NEAR(d.difference, -0.2, 1e-12);
  EXPECT_NEAR(d.interval.low, -0.3339, 1e-4);
  EXPECT_NEAR(d.interval.high, -0.0524, 1e-4);
}

// Newcombe's example (h): 0/10 against 0/20 gives -0.1611 to 0.2775; equal rates are not significant.
TEST(ProportionDifference, ZeroEventsOnBothSidesIsNotSignificant) {
  const ProportionDifference d = proportion_difference(0, 20, 0, 10, 0.95);
  EXPECT_EQ(d.difference, 0.0);
  EXPECT_NEAR(d.interval.low, -0.1611, 1e-4);
  EXPECT_NEAR(d.interval.high, 0.2775, 1e-4);
  EXPECT_FALSE(d.significant);
}

TEST(ProportionDifference, RejectsEmptySides) {
  EXPECT_THROW(proportion_difference(0, 0, 1, 10, 0.95), std::invalid_argument);
  EXPECT_THROW(proportion_difference(3, 2, 1, 10, 0.95), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
