#include "injector/activation_fault.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "injector/outcome.h"

namespace npufi {
namespace {

const std::vector<float> kValues = {0.5f, -1.27f, 0.1f, 3.0e-3f, 0.0f, 1.0f / 3.0f};

std::vector<float> faulted(NumberFormat format, const std::vector<ActivationFault>& faults) {
  std::vector<float> values = kValues;
  apply_activation_faults(values.data(), int64_t(values.size()), format, faults);
  return values;
}

TEST(ActivationFault, AFlipInAKnownElementChangesExactlyThatElement) {
  for (NumberFormat format : {NumberFormat::fp32, NumberFormat::fp16, NumberFormat::bf16, NumberFormat::int8}) {
    SCOPED_TRACE(to_string(format));
    const float scale = int8_scale(kValues.data(), int64_t(kValues.size()));
    for (int bit = 0; bit < bit_width(format); ++bit) {
      std::vector<float> values = kValues;
      EXPECT_EQ(apply_activation_faults(values.data(), int64_t(values.size()), format, {{0, 0, 5, bit}}), 1);
      for (size_t i = 0; i < values.size(); ++i) {
        if (i == 5) continue;
        EXPECT_EQ(fp32_bits(values[i]), fp32_bits(kValues[i])) << "element " << i;
      }
      const uint32_t stored = encode(kValues[5], format, scale);
      EXPECT_EQ(fp32_bits(values[5]), fp32_bits(decode(stored ^ (1u << bit), format, scale))) << "bit " << bit;
    }
  }
  // fp32: the stored word is the value itself.
  EXPECT_EQ(fp32_bits(faulted(NumberFormat::fp32, {{0, 0, 0, 31}})[0]), fp32_bits(-0.5f));
}

TEST(ActivationFault, Int8CodesWithTheTensorsScale) {
  // scale = 1.27 / 127 = 0.01: 0.5 is code 50; flipping the sign bit gives 50 - 128 = -78.
  EXPECT_FLOAT_EQ(faulted(NumberFormat::int8, {{0, 0, 0, 7}})[0], -0.78f);
  // fp16 of 0.5 is 0x3800; bit 10 (the exponent's lowest) set gives 0x3c00 = 1.
  EXPECT_EQ(faulted(NumberFormat::fp16, {{0, 0, 0, 10, FaultKind::stuck_at_1}})[0], 1.0f);
}

TEST(ActivationFault, AStuckBitThatAgreesLeavesTheValueUnrounded) {
  std::vector<float> values = kValues;
  // 1/3 is not an fp16 number; its fp16 sign bit is already 0.
  EXPECT_EQ(apply_activation_faults(values.data(), 6, NumberFormat::fp16, {{0, 0, 5, 15, FaultKind::stuck_at_0}}), 0);
  EXPECT_EQ(fp32_bits(values[5]), fp32_bits(kValues[5]));
  // Two flips of one bit cancel; faults on one word combine.
  EXPECT_EQ(apply_activation_faults(values.data(), 6, NumberFormat::fp32, {{0, 0, 2, 3}, {0, 0, 2, 3}}), 0);
  EXPECT_EQ(faulted(NumberFormat::fp32, {{0, 0, 0, 31}, {0, 0, 0, 23, FaultKind::stuck_at_1}})[0], -1.0f);  // 0.5 = 2^-1
}

TEST(ActivationFault, IndexOutsideTheTensorIsAnError) {
  std::vector<float> values = kValues;
  EXPECT_THROW(apply_activation_faults(values.data(), 6, NumberFormat::fp32, {{0, 0, 6, 0}}), std::out_of_range);
}

TEST(LogitOutcome, MaskedBenignCritical) {
  const float golden[3] = {0.1f, 2.0f, -1.0f};
  const float same[3] = {0.1f, 2.0f, -1.0f};
  const float benign[3] = {0.1f, 2.5f, -1.0f};
  const float critical[3] = {3.0f, 2.0f, -1.0f};
  const float nan[3] = {0.1f, 2.0f, std::numeric_limits<float>::quiet_NaN()};
  EXPECT_EQ(classify(same, golden, 3), OutcomeClass::masked);
  EXPECT_EQ(classify(benign, golden, 3), OutcomeClass::sdc_benign);
  EXPECT_EQ(classify(critical, golden, 3), OutcomeClass::sdc_critical);
  EXPECT_EQ(top1(nan, 3), 2);  // a NaN counts as the largest, as LibTorch's argmax
  EXPECT_EQ(classify(nan, golden, 3), OutcomeClass::sdc_critical);
  const float tie[3] = {2.0f, 2.0f, 0.0f};
  EXPECT_EQ(top1(tie, 3), 0);  // the first largest
}

}  // namespace
}  // namespace npufi
