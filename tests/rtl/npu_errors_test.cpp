// Bad command streams end with the error flag, the right code and a message, never a hang.
#include <gtest/gtest.h>

#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/npu_simulator.h"
#include "tests/rtl/npu_test_util.h"

namespace npufi {
namespace {

constexpr uint64_t kMaxCycles = 1'000'000;

class NpuErrors : public ::testing::TestWithParam<NpuConfig> {
 protected:
  void SetUp() override {
    std::mt19937 rng(3);
    net_ = test::one_layer(test::random_conv(rng, {2, 6, 6}, 4, 3, 1, 1, Activation::relu, 127));
    net_.layers.push_back(test::max_pool_layer({4, 6, 6}));
    image_ = compile_network(net_, GetParam());
    input_ = test::random_int8(rng, 72);
  }
  RunResult run(const MemoryImage& image) {
    NpuSimulator sim(GetParam());
    return sim.run(image, input_, kMaxCycles);
  }
  // Word `word` of command `command`.
  void patch(int command, int word, uint32_t value) {
    store_word(image_.bytes, uint32_t(command * kCommandBytes + word * 4), value);
  }
  void expect_error(const RunResult& r, int code, uint32_t pc) {
    EXPECT_EQ(r.status, RunStatus::error) << r.message;
    EXPECT_EQ(r.error_code, code) << r.message;
    EXPECT_EQ(r.error_pc, pc);
    EXPECT_LT(r.cycles, 5000u);
    EXPECT_NE(r.message.find(npu_error_name(code)), std::string::npos) << r.message;
    EXPECT_TRUE(r.output.empty());
  }
  QuantizedNetwork net_;
  MemoryImage image_;
  std::vector<int8_t> input_;
};

TEST_P(NpuErrors, GoodStreamRuns) {
  const RunResult r = run(image_);
  EXPECT_EQ(r.status, RunStatus::done) << r.message;
  EXPECT_EQ(r.error_code, 0);
  EXPECT_EQ(r.output.size(), 36u);
}

TEST_P(NpuErrors, UnknownOpcode) {
  patch(1, 0, 0x42);
  expect_error(run(image_), kErrOpcode, 64);
  patch(0, 0, 0x101);  // high bits set
  expect_error(run(image_), kErrOpcode, 0);
}

TEST_P(NpuErrors, ZeroedStreamWithoutEnd) {
  patch(2, 0, 0);  // END overwritten: the next "command" is zeros
  expect_error(run(image_), kErrOpcode, 128);
}

TEST_P(NpuErrors, TruncatedStreamAtEndOfMemory) {
  // The first command sits in the last 32 bytes of memory: its fetch runs past the end.
  image_.command_addr = npu_geometry(GetParam()).mem_bytes - 32;
  expect_error(run(image_), kErrRange, image_.command_addr);
}

TEST_P(NpuErrors, AddressOutsideMemory) {
  patch(0, 13, 0x00fffff0);  // weights beyond 1 MiB
  expect_error(run(image_), kErrRange, 0);
}

TEST_P(NpuErrors, OutputOutsideMemory) {
  patch(1, 15, npu_geometry(GetParam()).mem_bytes - 8);  // pool output runs past the end
  expect_error(run(image_), kErrRange, 64);
}

TEST_P(NpuErrors, MisalignedAddress) {
  patch(0, 12, image_.input_addr + 1);
  expect_error(run(image_), kErrAlign, 0);
}

TEST_P(NpuErrors, IllegalConfiguration) {
  patch(0, 10, 3);  // stride 3
  expect_error(run(image_), kErrConfig, 0);
  SetUp();
  patch(0, 3, 2000);  // K = 2000 * 9 exceeds the weight buffer
  expect_error(run(image_), kErrConfig, 0);
  SetUp();
  patch(1, 7, 4);  // pool output taller than input / 2
  expect_error(run(image_), kErrConfig, 64);
}

TEST_P(NpuErrors, WatchdogStopsALongRun) {
  NpuSimulator sim(GetParam());
  const RunResult r = sim.run(image_, input_, 50);
  EXPECT_EQ(r.status, RunStatus::timeout);
  EXPECT_EQ(r.cycles, 50u);
  EXPECT_NE(r.message.find("watchdog"), std::string::npos);
}

TEST(NpuCompiler, RejectsLayersThatDoNotFit) {
  std::mt19937 rng(1);
  auto big = test::random_fc(rng, {1200, 1, 1}, 2, Activation::none, 127);
  EXPECT_THROW(compile_network(test::one_layer(big), NpuConfig::npu32), CompileError);
  auto wide = test::max_pool_layer({1, 100, 100});
  EXPECT_THROW(compile_network(test::one_layer(wide), NpuConfig::npu32), CompileError);
  EXPECT_EQ(parse_npu_config("npu128"), NpuConfig::npu128);
  EXPECT_FALSE(parse_npu_config("npu100").has_value());
}

INSTANTIATE_TEST_SUITE_P(AllConfigs, NpuErrors, ::testing::ValuesIn(kAllNpuConfigs),
                         [](const auto& info) { return npu_config_name(info.param); });

}  // namespace
}  // namespace npufi
