// Every operation on the Verilated NPU against the C++ int8 reference (rtl/reference), bit for bit,
// on random shapes and values in all four configurations.
#include <gtest/gtest.h>

#include <algorithm>

#include "rtl/compiler/npu_compiler.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/sim/npu_simulator.h"
#include "tests/rtl/npu_test_util.h"

namespace npufi {
namespace {

using test::random_int8;

constexpr uint64_t kMaxCycles = 5'000'000;

class NpuOps : public ::testing::TestWithParam<NpuConfig> {
 protected:
  // Runs the network on the NPU and compares every layer's output with the reference.
  // Returns the last layer's reference output.
  std::vector<int8_t> expect_bit_exact(const QuantizedNetwork& net, const std::vector<int8_t>& input,
                                       const std::string& what) {
    const MemoryImage image = compile_network(net, GetParam());
    NpuSimulator sim(GetParam());
    const RunResult r = sim.run(image, input, kMaxCycles);
    const auto expected = run_network(net, input);
    EXPECT_EQ(r.status, RunStatus::done) << what << ": " << r.message;
    if (r.status != RunStatus::done) return expected.back();
    for (size_t i = 0; i < net.layers.size(); ++i) {
      const auto& want = expected[i];
      std::vector<int8_t> got(want.size());
      const auto& mem = sim.memory();
      for (size_t j = 0; j < want.size(); ++j) got[j] = int8_t(mem[image.layer_output_addr[i] + j]);
      size_t mismatches = 0, first = want.size();
      for (size_t j = 0; j < want.size(); ++j)
        if (got[j] != want[j]) {
          if (!mismatches) first = j;
          ++mismatches;
        }
      EXPECT_EQ(mismatches, 0u) << what << ": layer " << i << " differs in " << mismatches << " of " << want.size()
                                << " values, first at " << first << " (npu " << int(got[first % got.size()])
                                << ", reference " << int(want[first % want.size()]) << ")";
    }
    EXPECT_EQ(r.output, expected.back()) << what;
    const bool macs = std::any_of(net.layers.begin(), net.layers.end(), [](const QuantizedLayer& L) {
      return L.kind == LayerKind::conv2d || L.kind == LayerKind::fully_connected;
    });
    EXPECT_EQ(r.mac_busy_cycles > 0, macs);
    return expected.back();
  }
};

TEST_P(NpuOps, Conv2dRandomShapes) {
  std::mt19937 rng(1234 + int(GetParam()));
  const Activation acts[] = {Activation::none, Activation::relu, Activation::clip_saturate, Activation::clip_to_zero};
  size_t saturated = 0, negative = 0, inside = 0, total = 0;
  for (int trial = 0; trial < 12; ++trial) {
    std::uniform_int_distribution<int> dc(1, 6), dhw(3, 13), dco(1, 40), dk(1, 5), ds(1, 2);
    const int k = dk(rng), stride = ds(rng);
    const int pad = std::uniform_int_distribution<int>(0, k - 1)(rng);
    TensorShape in{dc(rng), std::max(k, dhw(rng)), std::max(k, dhw(rng))};
    const Activation act = acts[trial % 4];
    const int8_t threshold = int8_t(std::uniform_int_distribution<int>(0, 100)(rng));
    const auto L = test::random_conv(rng, in, dco(rng), k, stride, pad, act, threshold);
    const std::string what = "conv trial " + std::to_string(trial) + " in " + std::to_string(in.channels) + "x" +
                             std::to_string(in.height) + "x" + std::to_string(in.width) + " out " +
                             std::to_string(L.output.channels) + " k" + std::to_string(k) + " s" +
                             std::to_string(stride) + " p" + std::to_string(pad);
    for (int8_t v : expect_bit_exact(test::one_layer(L), random_int8(rng, size_t(in.size())), what)) {
      saturated += v == 127 || v == -128;
      negative += v < 0;
      inside += v > -128 && v < 127 && v != 0;
      ++total;
    }
  }
  // The random tables exercise saturation, negative results and the ordinary range.
  EXPECT_GT(saturated, 0u);
  EXPECT_GT(negative, 0u);
  EXPECT_GT(inside, total / 3);
}

TEST_P(NpuOps, FullyConnectedRandomShapes) {
  std::mt19937 rng(99 + int(GetParam()));
  for (int trial = 0; trial < 6; ++trial) {
    TensorShape in{std::uniform_int_distribution<int>(1, 16)(rng), std::uniform_int_distribution<int>(1, 5)(rng),
                   std::uniform_int_distribution<int>(1, 5)(rng)};
    const auto L = test::random_fc(rng, in, std::uniform_int_distribution<int>(1, 70)(rng),
                                   trial % 2 ? Activation::relu : Activation::none, 127);
    expect_bit_exact(test::one_layer(L), random_int8(rng, size_t(in.size())), "fc trial " + std::to_string(trial));
  }
}

TEST_P(NpuOps, MaxPoolOddEdges) {
  std::mt19937 rng(7);
  for (TensorShape in : {TensorShape{3, 8, 8}, TensorShape{2, 7, 9}, TensorShape{5, 2, 3}}) {
    expect_bit_exact(test::one_layer(test::max_pool_layer(in)), random_int8(rng, size_t(in.size())), "pool");
  }
}

// Inputs larger than the IFM buffer of npu32 and npu64 (8 KiB): a band of input rows per output row,
// with stride 2, a 5x5 kernel, and odd widths whose bands start inside a memory word.
TEST_P(NpuOps, BandedConvolutionOfAnInputLargerThanTheBuffer) {
  std::mt19937 rng(555 + int(GetParam()));
  struct Case {
    TensorShape in;
    int cout, k, stride, pad;
  };
  for (const Case& c : {Case{{16, 28, 28}, 8, 3, 1, 1}, Case{{16, 28, 28}, 9, 3, 2, 1}, Case{{10, 30, 31}, 5, 5, 1, 2},
                        Case{{12, 27, 29}, 3, 1, 2, 0}}) {
    const auto L = test::random_conv(rng, c.in, c.cout, c.k, c.stride, c.pad, Activation::relu, 127);
    expect_bit_exact(test::one_layer(L), random_int8(rng, size_t(c.in.size())),
                     "banded conv " + std::to_string(c.in.channels) + "x" + std::to_string(c.in.height) + "x" +
                         std::to_string(c.in.width) + " k" + std::to_string(c.k) + " s" + std::to_string(c.stride));
  }
}

// Planes smaller than, equal to and not a multiple of the 8 values a cycle, up to nearly the whole
// input buffer of npu32 and npu64.
TEST_P(NpuOps, AvgPoolRandomShapes) {
  std::mt19937 rng(31 + int(GetParam()));
  const Activation acts[] = {Activation::none, Activation::relu, Activation::clip_saturate, Activation::clip_to_zero};
  size_t saturated = 0, total = 0;
  int trial = 0;
  for (TensorShape in : {TensorShape{3, 1, 1}, TensorShape{5, 2, 3}, TensorShape{4, 2, 4}, TensorShape{16, 7, 7},
                         TensorShape{64, 7, 7}, TensorShape{10, 27, 29}}) {
    const auto L = test::random_avg_pool(rng, in, acts[trial % 4], int8_t(20 + 10 * trial));
    for (int8_t v : expect_bit_exact(test::one_layer(L), random_int8(rng, size_t(in.size())), "avg trial " + std::to_string(trial))) {
      saturated += v == 127 || v == -128;
      ++total;
    }
    ++trial;
  }
  EXPECT_LT(saturated, total / 2);  // the tables keep most results inside the int8 range
}

// An add of a convolution's output and the network input, or of one tensor to itself: in one chunk, and
// in several chunks of half the input buffer (16 x 28 x 28 = 12,544 elements; the chunks are 4,096
// elements on npu32 and npu64), with a last chunk that is not a multiple of 4 bytes.
TEST_P(NpuOps, AddOfTwoTensorsInChunks) {
  std::mt19937 rng(77 + int(GetParam()));
  const Activation acts[] = {Activation::none, Activation::relu, Activation::clip_saturate, Activation::clip_to_zero};
  int trial = 0;
  for (TensorShape shape : {TensorShape{3, 5, 7}, TensorShape{16, 28, 28}, TensorShape{9, 31, 33}}) {
    QuantizedNetwork net;
    net.input = shape;
    net.layers.push_back(test::random_conv(rng, shape, shape.channels, 1, 1, 0, Activation::none, 127));
    net.layers.push_back(test::random_add(rng, shape, {0, kNetworkInput}, acts[trial % 4], 60));
    if (trial == 2) {  // the same tensor twice
      net.layers.erase(net.layers.begin());
      net.layers[0].inputs = {kNetworkInput, kNetworkInput};
    }
    expect_bit_exact(net, random_int8(rng, size_t(shape.size())), "add trial " + std::to_string(trial));
    ++trial;
  }
}

// Saturation at both ends, exact negative ties (round half away from zero), a left shift, the clip
// modes with a negative threshold, and zero padding all around a 1x1 image.
TEST_P(NpuOps, EdgeCases) {
  std::mt19937 rng(5);
  {  // huge biases: everything saturates to -128 or 127
    auto L = test::random_conv(rng, {2, 5, 5}, 9, 3, 1, 1, Activation::none, 127);
    for (size_t o = 0; o < L.bias.size(); ++o) L.bias[o] = (o % 2 ? 1 : -1) * 2'000'000'000;
    const auto out = expect_bit_exact(test::one_layer(L), random_int8(rng, 50), "saturation");
    EXPECT_EQ(out.front(), -128);
    EXPECT_EQ(out.back(), -128);
    EXPECT_EQ(out[25], 127);
  }
  {  // 1x1 conv, weight 1, multiplier 2^30 (x0.5), shift -1: x/4 with ties at x = +-2 (mod 4)
    QuantizedLayer L;
    L.kind = LayerKind::conv2d;
    L.input = {1, 4, 8};
    L.output = {1, 4, 8};
    L.weights = {1};
    L.bias = {0};
    L.multiplier = {1 << 30};
    L.shift = {-1};
    std::vector<int8_t> in(32);
    for (int i = 0; i < 32; ++i) in[size_t(i)] = int8_t(-18 + i);
    expect_bit_exact(test::one_layer(L), in, "negative rounding");
    const auto out = run_layer(L, in);
    EXPECT_EQ(out[0], -5);   // -18/4 = -4.5 -> -5 (away from zero)
    EXPECT_EQ(out[4], -4);   // -14/4 = -3.5 -> -4
    EXPECT_EQ(out[20], 1);   //   2/4 =  0.5 -> 1
    L.shift = {3};  // left shift: x * 4 (low 32 bits), then saturate
    expect_bit_exact(test::one_layer(L), in, "left shift");
  }
  for (int8_t t : {int8_t(-5), int8_t(0), int8_t(20)}) {
    for (Activation a : {Activation::clip_saturate, Activation::clip_to_zero}) {
      auto L = test::random_conv(rng, {3, 6, 6}, 5, 3, 1, 1, a, t);
      expect_bit_exact(test::one_layer(L), random_int8(rng, 108), "clip threshold " + std::to_string(t));
    }
  }
  {  // padding larger than the image: most taps read zeros
    auto L = test::random_conv(rng, {2, 1, 1}, 3, 5, 1, 4, Activation::none, 127);
    expect_bit_exact(test::one_layer(L), random_int8(rng, 2), "1x1 image, pad 4");
  }
}

// A LeNet-5 shaped network (conv-pool-conv-pool-fc-fc-fc) with random weights, end to end.
TEST_P(NpuOps, LeNetShapedNetwork) {
  std::mt19937 rng(42);
  QuantizedNetwork net;
  net.input = {1, 28, 28};
  net.layers.push_back(test::random_conv(rng, {1, 28, 28}, 6, 5, 1, 2, Activation::relu, 127));
  net.layers.push_back(test::max_pool_layer({6, 28, 28}));
  net.layers.push_back(test::random_conv(rng, {6, 14, 14}, 16, 5, 1, 0, Activation::clip_saturate, 100));
  net.layers.push_back(test::max_pool_layer({16, 10, 10}));
  net.layers.push_back(test::random_fc(rng, {16, 5, 5}, 120, Activation::relu, 127));
  net.layers.push_back(test::random_fc(rng, {120, 1, 1}, 84, Activation::relu, 127));
  net.layers.push_back(test::random_fc(rng, {84, 1, 1}, 10, Activation::none, 127));
  for (int image = 0; image < 3; ++image)
    expect_bit_exact(net, random_int8(rng, 784, 0, 127), "lenet image " + std::to_string(image));
}

// A residual network: conv, two residual blocks (an identity shortcut, then a strided 1x1 projection),
// global average pool and a dense layer, as ResNets are.
TEST_P(NpuOps, ResidualNetwork) {
  std::mt19937 rng(2024);
  QuantizedNetwork net;
  net.input = {1, 16, 16};
  auto& L = net.layers;
  L.push_back(test::random_conv(rng, {1, 16, 16}, 8, 3, 1, 1, Activation::relu, 127));       // 0
  L.push_back(test::random_conv(rng, {8, 16, 16}, 8, 3, 1, 1, Activation::relu, 127));       // 1
  L.push_back(test::random_conv(rng, {8, 16, 16}, 8, 3, 1, 1, Activation::none, 127));       // 2
  L.push_back(test::random_add(rng, {8, 16, 16}, {2, 0}, Activation::relu, 127));            // 3
  L.push_back(test::random_conv(rng, {8, 16, 16}, 16, 3, 2, 1, Activation::relu, 127));      // 4
  L.push_back(test::random_conv(rng, {16, 8, 8}, 16, 3, 1, 1, Activation::none, 127));       // 5
  L.push_back(test::random_conv(rng, {8, 16, 16}, 16, 1, 2, 0, Activation::none, 127));      // 6: shortcut
  L.back().inputs = {3};
  L.push_back(test::random_add(rng, {16, 8, 8}, {5, 6}, Activation::relu, 127));             // 7
  L.push_back(test::random_avg_pool(rng, {16, 8, 8}, Activation::none, 127));                // 8
  L.push_back(test::random_fc(rng, {16, 1, 1}, 10, Activation::none, 127));                  // 9
  for (int image = 0; image < 2; ++image)
    expect_bit_exact(net, random_int8(rng, 256, 0, 127), "residual image " + std::to_string(image));
}

INSTANTIATE_TEST_SUITE_P(AllConfigs, NpuOps, ::testing::ValuesIn(kAllNpuConfigs),
                         [](const auto& info) { return npu_config_name(info.param); });

}  // namespace
}  // namespace npufi
