#include "injector/trial_injection.h"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstring>

#include "injector/ber_fault_map.h"
#include "injector/bit_population.h"

namespace npufi {
namespace {

// Two tensors of plain memory standing in for a model's parameters.
struct FakeModel {
  std::vector<float> weight = std::vector<float>(6 * 25);
  std::vector<float> bias = std::vector<float>(6);
  FakeModel() {
    for (size_t i = 0; i < weight.size(); ++i) weight[i] = std::sin(float(i)) * 0.3f;
    for (size_t i = 0; i < bias.size(); ++i) bias[i] = 0.01f * float(i) - 0.02f;
  }
  std::vector<Parameter> parameters() {
    return {{"conv.weight", weight.data(), {6, 1, 5, 5}, 150, 0}, {"conv.bias", bias.data(), {6}, 6, 1}};
  }
  std::vector<float> snapshot() const {
    std::vector<float> all(weight);
    all.insert(all.end(), bias.begin(), bias.end());
    return all;
  }
};

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(TrialInjection, RestoresEveryFormatBitExactly) {
  for (NumberFormat format : {NumberFormat::fp32, NumberFormat::fp16, NumberFormat::bf16, NumberFormat::int8}) {
    FakeModel model;
    WeightMemory memory(model.parameters(), format);
    const std::vector<float> golden = model.snapshot();
    const BitPopulation population({0, 1}, {150, 6}, *field_bits(format, "all"));
    for (uint64_t trial = 0; trial < 50; ++trial) {
      CounterRng rng(7, trial);
      const auto faults = draw_faults(population, {0.05, FaultKind::bit_flip, 2, bit_width(format)}, rng);
      {
        TrialInjection injection(memory, faults);
        EXPECT_GT(injection.changed_words(), 0);
        EXPECT_FALSE(bit_identical(model.snapshot(), golden));
      }
      ASSERT_TRUE(bit_identical(model.snapshot(), golden)) << to_string(format) << " trial " << trial;
    }
  }
}

TEST(TrialInjection, Int8QuantizesPerOutputChannel) {
  FakeModel model;
  model.weight[0] = 2.54f;  // channel 0's largest magnitude
  const float before = model.weight[1];
  WeightMemory memory(model.parameters(), NumberFormat::int8);
  EXPECT_EQ(memory.read(0, 0), 127u);
  EXPECT_FLOAT_EQ(model.weight[0], 2.54f);
  const float scale = 2.54f / 127.0f;
  EXPECT_FLOAT_EQ(model.weight[1], std::nearbyint(before / scale) * scale);
  // Flipping the sign bit of code 127 gives -1 (0xff), two's complement.
  {
    TrialInjection injection(memory, {{0, 0, 7, FaultKind::bit_flip}});
    EXPECT_FLOAT_EQ(model.weight[0], -scale);
  }
  // A stuck-at that agrees with the stored bit changes nothing.
  TrialInjection agreeing(memory, {{0, 0, 0, FaultKind::stuck_at_1}});
  EXPECT_EQ(agreeing.changed_words(), 0);
  EXPECT_EQ(agreeing.first_faulty_stage(), INT_MAX);
}

TEST(TrialInjection, ReportsTheFirstFaultyStage) {
  FakeModel model;
  WeightMemory memory(model.parameters(), NumberFormat::fp32);
  TrialInjection bias_only(memory, {{1, 3, 30, FaultKind::bit_flip}});
  EXPECT_EQ(bias_only.first_faulty_stage(), 1);
  EXPECT_GT(std::fabs(model.bias[3]), 1e30f);  // 0.01 with its top exponent bit set: about 3.4e36
}

TEST(TrialInjection, Fp16MemoryRoundsTheModelOnce) {
  FakeModel model;
  WeightMemory memory(model.parameters(), NumberFormat::fp16);
  for (float w : model.weight) EXPECT_EQ(fp16_to_fp32(fp16_bits(w)), w);
  const std::vector<float> rounded = model.snapshot();
  WeightMemory again(model.parameters(), NumberFormat::fp16);
  EXPECT_TRUE(bit_identical(model.snapshot(), rounded));
}

}  // namespace
}  // namespace npufi
