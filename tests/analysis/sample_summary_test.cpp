#include "analysis/sample_summary.h"

#include <gtest/gtest.h>

namespace npufi {
namespace {

TEST(SampleSummary, MatchesHandComputedValues) {
  const SampleSummary s = summarize({0.80, 0.85, 0.90, 0.95});
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(s.mean, 0.875);
  EXPECT_NEAR(s.stddev, 0.0645497224, 1e-9);
  EXPECT_DOUBLE_EQ(s.min, 0.80);
  EXPECT_DOUBLE_EQ(s.max, 0.95);
  // t(0.975, 3) = 3.182446305; half width = t * s / sqrt(4)
  ASSERT_TRUE(s.mean_interval);
  EXPECT_NEAR(s.mean_interval->low, 0.875 - 3.182446305 * 0.0645497224 / 2, 1e-8);
  EXPECT_NEAR(s.mean_interval->high, 0.875 + 3.182446305 * 0.0645497224 / 2, 1e-8);
}

TEST(SampleSummary, SingleValueHasNoInterval) {
  const SampleSummary s = summarize({0.5});
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.stddev, 0.0);
  EXPECT_FALSE(s.mean_interval);
}

TEST(SampleSummary, ConstantValuesGiveAZeroWidthInterval) {
  const SampleSummary s = summarize({0.9, 0.9, 0.9});
  ASSERT_TRUE(s.mean_interval);
  EXPECT_DOUBLE_EQ(s.mean_interval->low, 0.9);
  EXPECT_DOUBLE_EQ(s.mean_interval->high, 0.9);
}

TEST(SampleSummary, RejectsEmptyInput) { EXPECT_THROW(summarize({}), std::invalid_argument); }

}  // namespace
}  // namespace npufi
