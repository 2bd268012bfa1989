#include "analysis/sample_size.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace npufi {
namespace {

// t = z(0.975) = 1.959963985, t^2 p(1-p) = 3.841458821 * 0.25 = 0.960364705.

TEST(SampleSize, LeveugleInfinitePopulation) {
  // 95 %, 1 %: 0.960364705 / 0.0001 = 9603.647 -> rounded up 9,604 (Leveugle et al. DATE 2009).
  EXPECT_EQ(sample_size(0.01, 0.95), 9604u);
  // 99 %, 1 %: t = 2.575829304, t^2 / 4 = 1.658724150 / 0.0001 = 16587.24 -> 16,588.
  EXPECT_EQ(sample_size(0.01, 0.99), 16588u);
  // 95 %, 5 %: 0.960364705 / 0.0025 = 384.15 -> 385.
  EXPECT_EQ(sample_size(0.05, 0.95), 385u);
  // A prior p = 0.1 instead of 0.5: 3.841458821 * 0.09 / 0.0001 = 3457.31 -> 3,458.
  EXPECT_EQ(sample_size(0.01, 0.95, std::nullopt, 0.1), 3458u);
}

TEST(SampleSize, LeveugleFinitePopulation) {
  // N = 10,000: 10000 * 0.960364705 / (0.0001 * 9999 + 0.960364705) = 9603.647 / 1.960264705 = 4899.16
  // -> 4,900.
  EXPECT_EQ(sample_size(0.01, 0.95, 10000), 4900u);
  // N = 10^6: 960364.705 / (99.9999 + 0.960364705) = 9512.30 -> 9,513.
  EXPECT_EQ(sample_size(0.01, 0.95, 1000000), 9513u);
  // N = 100: 96.0364705 / (0.0099 + 0.960364705) = 98.98 -> 99; never more than N.
  EXPECT_EQ(sample_size(0.01, 0.95, 100), 99u);
  EXPECT_EQ(sample_size(0.01, 0.95, 1), 1u);
  // N = 10^12 (bits x cycles of a large NPU) is as good as infinite.
  EXPECT_EQ(sample_size(0.01, 0.95, 1000000000000ull), 9604u);
}

TEST(SampleSize, RejectsBadInput) {
  EXPECT_THROW(sample_size(0, 0.95), std::invalid_argument);
  EXPECT_THROW(sample_size(1.5, 0.95), std::invalid_argument);
  EXPECT_THROW(sample_size(0.01, 1.0), std::invalid_argument);
  EXPECT_THROW(sample_size(0.01, 0.95, 0), std::invalid_argument);
  EXPECT_THROW(sample_size(0.01, 0.95, std::nullopt, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
