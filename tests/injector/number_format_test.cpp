#include "injector/number_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "injector/fault.h"

namespace npufi {
namespace {

TEST(NumberFormat, FlipTwiceIsIdentityForEveryBitOfEveryFormat) {
  for (NumberFormat format : {NumberFormat::fp32, NumberFormat::fp16, NumberFormat::bf16, NumberFormat::int8}) {
    const uint32_t word_mask = uint32_t((uint64_t(1) << bit_width(format)) - 1);
    for (uint32_t code : {0x00000000u, 0x3f800000u, 0x00003c00u, 0xdeadbeefu, 0x0000005au}) {
      code &= word_mask;
      for (int bit = 0; bit < bit_width(format); ++bit) {
        const uint32_t faulty = apply_fault(code, bit, FaultKind::bit_flip);
        EXPECT_NE(faulty, code);
        EXPECT_EQ(apply_fault(faulty, bit, FaultKind::bit_flip), code);
      }
    }
  }
}

TEST(NumberFormat, Fp32KnownFlips) {
  EXPECT_EQ(fp32_bits(1.0f), 0x3f800000u);
  const float inf = fp32_from_bits(apply_fault(fp32_bits(1.0f), 30, FaultKind::bit_flip));
  EXPECT_TRUE(std::isinf(inf) && inf > 0);
  EXPECT_EQ(fp32_from_bits(apply_fault(fp32_bits(1.0f), 31, FaultKind::bit_flip)), -1.0f);
  EXPECT_EQ(fp32_from_bits(apply_fault(fp32_bits(1.0f), 23, FaultKind::bit_flip)), 0.5f);
  EXPECT_EQ(fp32_from_bits(apply_fault(fp32_bits(2.0f), 22, FaultKind::bit_flip)), 3.0f);
  EXPECT_EQ(apply_fault(0x3f800000u, 30, FaultKind::stuck_at_1), 0x7f800000u);
  EXPECT_EQ(apply_fault(0x3f800000u, 30, FaultKind::stuck_at_0), 0x3f800000u);  // already 0
}

TEST(NumberFormat, Fp16KnownValues) {
  EXPECT_EQ(fp16_bits(1.0f), 0x3c00u);
  EXPECT_EQ(fp16_bits(-2.0f), 0xc000u);
  EXPECT_EQ(fp16_bits(65504.0f), 0x7bffu);
  EXPECT_EQ(fp16_bits(65520.0f), 0x7c00u);  // rounds to +Inf
  EXPECT_EQ(fp16_bits(std::numeric_limits<float>::infinity()), 0x7c00u);
  EXPECT_EQ(fp16_bits(std::ldexp(1.0f, -24)), 0x0001u);  // smallest subnormal
  EXPECT_EQ(fp16_bits(std::ldexp(1.0f, -26)), 0x0000u);  // below half of it
  EXPECT_EQ(fp16_bits(1.0f + std::ldexp(1.0f, -11)), 0x3c00u);  // tie, to even
  EXPECT_EQ(fp16_bits(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02u);  // tie, to even (up)
  EXPECT_EQ(fp16_to_fp32(0x3555u), 0.333251953125f);
  EXPECT_EQ(fp16_to_fp32(0x0001u), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(fp16_to_fp32(0x7c00u)));
  // bit 14 of 1.0 (the exponent's top bit) gives +Inf, as bit 30 does in fp32.
  EXPECT_TRUE(std::isinf(fp16_to_fp32(uint16_t(apply_fault(0x3c00u, 14, FaultKind::bit_flip)))));
}

TEST(NumberFormat, Fp16RoundTripsEveryCode) {
  for (uint32_t code = 0; code < 0x10000u; ++code) {
    ASSERT_EQ(fp16_bits(fp16_to_fp32(uint16_t(code))), code) << std::hex << code;
  }
}

TEST(NumberFormat, Bf16KnownValuesAndRoundTrip) {
  EXPECT_EQ(bf16_bits(1.0f), 0x3f80u);
  EXPECT_EQ(bf16_bits(fp32_from_bits(0x3f808000u)), 0x3f80u);  // tie, to even
  EXPECT_EQ(bf16_bits(fp32_from_bits(0x3f818000u)), 0x3f82u);  // tie, to even (up)
  EXPECT_EQ(bf16_bits(fp32_from_bits(0x3f808001u)), 0x3f81u);
  for (uint32_t code = 0; code < 0x10000u; ++code) {
    ASSERT_EQ(bf16_bits(bf16_to_fp32(uint16_t(code))), code) << std::hex << code;
  }
}

TEST(NumberFormat, FieldBits) {
  EXPECT_EQ(field_bits(NumberFormat::fp32, "exponent")->front(), 23);
  EXPECT_EQ(field_bits(NumberFormat::fp32, "exponent")->size(), 8u);
  EXPECT_EQ(field_bits(NumberFormat::fp16, "mantissa")->size(), 10u);
  EXPECT_EQ(field_bits(NumberFormat::bf16, "exponent")->back(), 14);
  EXPECT_EQ(*field_bits(NumberFormat::int8, "sign"), std::vector<int>{7});
  EXPECT_FALSE(field_bits(NumberFormat::int8, "exponent"));
  EXPECT_FALSE(field_bits(NumberFormat::fp32, "fraction"));
  EXPECT_EQ(field_bits(NumberFormat::int8, "all")->size(), 8u);
}

}  // namespace
}  // namespace npufi
