// TFLite's fixed-point primitives, checked against values worked out by hand.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "rtl/reference/int8_reference.h"

namespace npufi {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = 1 << 30;  // 0.5 in Q31

TEST(SaturatingRoundingDoublingHighMul, RoundsToNearest) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1000, kHalf), 500);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(5, 3 << 29), 4);     // 3.75
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-5, 3 << 29), -4);   // -3.75
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 29), 1);     // 0.75
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 29), -1);   // -0.75
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1, 1 << 29), 0);     // 0.25
  EXPECT_EQ(saturating_rounding_doubling_high_mul(0, kMax), 0);
}

TEST(SaturatingRoundingDoublingHighMul, TiesGoTowardPlusInfinity) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1001, kHalf), 501);    // 500.5
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1001, kHalf), -500);  // -500.5
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1003, kHalf), -501);  // -501.5
  EXPECT_EQ(saturating_rounding_doubling_high_mul(1, kHalf), 1);         // 0.5
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-1, kHalf), 0);        // -0.5
}

TEST(SaturatingRoundingDoublingHighMul, Extremes) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMin), kMax);  // the one saturating case
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMax, kMax), kMax - 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kMax), kMin + 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMax, kMin), kMin + 1);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin, kHalf), -kHalf);
}

TEST(RoundingDivideByPot, TiesGoAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);
  EXPECT_EQ(rounding_divide_by_pot(-4, 1), -2);
  EXPECT_EQ(rounding_divide_by_pot(6, 2), 2);    // 1.5
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);  // -1.5
  EXPECT_EQ(rounding_divide_by_pot(-7, 2), -2);  // -1.75
  EXPECT_EQ(rounding_divide_by_pot(-5, 2), -1);  // -1.25
  EXPECT_EQ(rounding_divide_by_pot(-1, 1), -1);  // -0.5
  EXPECT_EQ(rounding_divide_by_pot(1, 2), 0);    // 0.25
}

TEST(RoundingDivideByPot, ExponentRange) {
  EXPECT_EQ(rounding_divide_by_pot(-123, 0), -123);
  EXPECT_EQ(rounding_divide_by_pot(kMin, 1), -kHalf);
  EXPECT_EQ(rounding_divide_by_pot(kMin, 31), -1);
  EXPECT_EQ(rounding_divide_by_pot(kMax, 31), 1);
  EXPECT_EQ(rounding_divide_by_pot(kHalf, 31), 1);    // 0.5
  EXPECT_EQ(rounding_divide_by_pot(-kHalf, 31), -1);  // -0.5
  EXPECT_EQ(rounding_divide_by_pot(kHalf - 1, 31), 0);
  EXPECT_THROW(rounding_divide_by_pot(1, -1), std::invalid_argument);
  EXPECT_THROW(rounding_divide_by_pot(1, 32), std::invalid_argument);
}

TEST(MultiplyByQuantizedMultiplier, ScalesByMultiplierAndShift) {
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kHalf, 0), 50);   // x 0.5
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kHalf, -1), 25);  // x 0.25
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kHalf, 1), 100);  // x 1
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kHalf, 3), 400);  // x 4
  // 101 x 0.5 = 50.5 rounds to 51 in the multiply, then 51 / 2 = 25.5 rounds to 26: two roundings.
  EXPECT_EQ(multiply_by_quantized_multiplier(101, kHalf, -1), 26);
  // -100 x 0.7071 = -70.71 -> -71, then -71 / 8 = -8.875 -> -9.
  EXPECT_EQ(multiply_by_quantized_multiplier(-100, 1518500250, -3), -9);
  EXPECT_EQ(multiply_by_quantized_multiplier(-12, kHalf, -2), -2);  // -6 / 4 = -1.5 -> -2
  EXPECT_EQ(multiply_by_quantized_multiplier(12345, 0, 0), 0);
}

TEST(MultiplyByQuantizedMultiplier, LeftShiftKeepsLow32Bits) {
  EXPECT_EQ(multiply_by_quantized_multiplier(kHalf, kHalf, 2), 0);          // 2^32 wraps to 0
  EXPECT_EQ(multiply_by_quantized_multiplier(3 << 29, kHalf, 1), -(1 << 29));  // 3 x 2^30 wraps to -2^30
  EXPECT_THROW(multiply_by_quantized_multiplier(1, kHalf, 32), std::invalid_argument);
  EXPECT_THROW(multiply_by_quantized_multiplier(1, kHalf, -32), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
