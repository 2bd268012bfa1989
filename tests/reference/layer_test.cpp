// Each layer kind on tensors small enough to work out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <stdexcept>

#include "rtl/reference/int8_reference.h"

namespace npufi {
namespace {

constexpr int32_t kOne = 1 << 30;  // multiplier 2^30 with shift 1 scales by exactly 1
using Bytes = std::vector<int8_t>;

// A layer whose every output channel has scale 1 and zero bias.
QuantizedLayer unit_layer(LayerKind kind, TensorShape input, TensorShape output, Bytes weights) {
  QuantizedLayer layer;
  layer.name = "test";
  layer.kind = kind;
  layer.input = input;
  layer.output = output;
  layer.weights = std::move(weights);
  layer.bias.assign(size_t(output.channels), 0);
  layer.multiplier.assign(size_t(output.channels), kOne);
  layer.shift.assign(size_t(output.channels), 1);
  return layer;
}

// y[o] = w[o] * x for one input x: the output unit sees exactly w[o] * x.
QuantizedLayer scalar_fc(Bytes weights) {
  const int outputs = int(weights.size());
  return unit_layer(LayerKind::fully_connected, {1, 1, 1}, {outputs, 1, 1}, std::move(weights));
}

const Bytes kDigits = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 1x3x3

TEST(FullyConnected, DotProductPlusBias) {
  QuantizedLayer layer = unit_layer(LayerKind::fully_connected, {1, 2, 2}, {2, 1, 1}, {1, 2, 3, 4, -1, 0, 0, 1});
  layer.bias = {10, -3};
  EXPECT_EQ(run_layer(layer, {5, -6, 7, 8}), (Bytes{10 + 5 - 12 + 21 + 32, -3 - 5 + 8}));
}

TEST(FullyConnected, SaturatesAtBothEnds) {
  QuantizedLayer layer = scalar_fc({127, -128, 1, -1});
  layer.shift = {0, 0, 0, 0};  // x 0.5
  // 127 x 127 / 2 = 8064.5 -> 127; -128 x 127 / 2 -> -128; 127 / 2 = 63.5 -> 64; -63.5 -> -63 (tie up).
  EXPECT_EQ(run_layer(layer, {127}), (Bytes{127, -128, 64, -63}));
  EXPECT_EQ(run_layer(layer, {-128}), (Bytes{-128, 127, -64, 64}));
}

TEST(FullyConnected, PerChannelRequantization) {
  QuantizedLayer layer = scalar_fc({100, 100, 100});
  layer.multiplier = {kOne, kOne, 1518500250};  // 0.5, 0.5, 0.7071
  layer.shift = {0, -2, -1};
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{50, 13, 36}));  // 50; 12.5 -> 13; 70.71 -> 71, 35.5 -> 36
}

TEST(FullyConnected, AccumulatorKeepsLow32Bits) {
  QuantizedLayer layer = scalar_fc({1});
  layer.bias = {std::numeric_limits<int32_t>::max()};
  layer.shift = {0};  // x 0.5
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{-128}));  // 2^31 - 1 + 1 wraps to -2^31
}

TEST(Activation, AllModesOnTheSameAccumulators) {
  const Bytes accumulators = {-5, 0, 3, 6, 7, 100};
  QuantizedLayer layer = scalar_fc(accumulators);
  layer.clip_threshold = 6;
  layer.activation = Activation::none;
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{-5, 0, 3, 6, 7, 100}));
  layer.activation = Activation::relu;
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{0, 0, 3, 6, 7, 100}));
  layer.activation = Activation::clip_saturate;
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{0, 0, 3, 6, 6, 6}));
  layer.activation = Activation::clip_to_zero;
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{0, 0, 3, 6, 0, 0}));
}

TEST(Activation, ThresholdIsComparedBeforeTheClamp) {
  QuantizedLayer layer = scalar_fc({127, 100, -128});
  layer.clip_threshold = 127;
  layer.activation = Activation::relu;
  EXPECT_EQ(run_layer(layer, {2}), (Bytes{127, 127, 0}));  // 254 clamps to 127
  layer.activation = Activation::clip_saturate;
  EXPECT_EQ(run_layer(layer, {2}), (Bytes{127, 127, 0}));
  layer.activation = Activation::clip_to_zero;
  EXPECT_EQ(run_layer(layer, {2}), (Bytes{0, 0, 0}));  // 254 and 200 exceed T = 127
  layer.clip_threshold = 0;
  EXPECT_EQ(run_layer(layer, {1}), (Bytes{0, 0, 0}));
}

TEST(Conv2d, TinyConvolutionByHand) {
  // Two output channels of the kernel [1 2; 3 4] over [1 2 3; 4 5 6; 7 8 9]; the second at scale 0.5.
  QuantizedLayer layer = unit_layer(LayerKind::conv2d, {1, 3, 3}, {2, 2, 2}, {1, 2, 3, 4, 1, 2, 3, 4});
  layer.kernel = 2;
  layer.bias = {3, 0};
  layer.shift = {1, 0};
  // 1+4+12+20 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77.
  EXPECT_EQ(run_layer(layer, kDigits), (Bytes{40, 50, 70, 80, 19, 24, 34, 39}));  // 18.5 -> 19, 23.5 -> 24, ...
}

TEST(Conv2d, ZeroPaddingAtTheBorders) {
  QuantizedLayer layer = unit_layer(LayerKind::conv2d, {1, 3, 3}, {1, 3, 3}, Bytes(9, 1));
  layer.kernel = 3;
  layer.padding = 1;
  EXPECT_EQ(run_layer(layer, kDigits), (Bytes{12, 21, 16, 27, 45, 33, 24, 39, 28}));
}

TEST(Conv2d, StrideTwo) {
  QuantizedLayer layer = unit_layer(LayerKind::conv2d, {1, 3, 3}, {1, 2, 2}, Bytes(9, 1));
  layer.kernel = 3;
  layer.padding = 1;
  layer.stride = 2;
  EXPECT_EQ(run_layer(layer, kDigits), (Bytes{12, 16, 24, 28}));
  // 4x4 without padding: (4 - 3) / 2 + 1 = 1 window per axis.
  QuantizedLayer unpadded = unit_layer(LayerKind::conv2d, {1, 4, 4}, {1, 1, 1}, Bytes(9, 1));
  unpadded.kernel = 3;
  unpadded.stride = 2;
  EXPECT_EQ(run_layer(unpadded, Bytes(16, 2)), (Bytes{18}));
}

TEST(Conv2d, SumsOverInputChannels) {
  // 1x1 kernel over two channels: 2a - b.
  const QuantizedLayer layer = unit_layer(LayerKind::conv2d, {2, 1, 2}, {1, 1, 2}, {2, -1});
  EXPECT_EQ(run_layer(layer, {10, -20, 3, 4}), (Bytes{17, -44}));
}

// The convolution's loops skip the padding instead of testing every position; compare them with the
// definition on random shapes, strides and paddings.
TEST(Conv2d, MatchesTheDefinitionOnRandomShapes) {
  std::mt19937 rng(7);
  const auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  for (int trial = 0; trial < 200; ++trial) {
    const int channels = pick(1, 3), height = pick(1, 7), width = pick(1, 7), outputs = pick(1, 3);
    const int k = pick(1, 4), stride = pick(1, 3), pad = pick(0, 2);
    if (height + 2 * pad < k || width + 2 * pad < k) continue;
    const int out_h = (height + 2 * pad - k) / stride + 1, out_w = (width + 2 * pad - k) / stride + 1;
    Bytes input(size_t(channels * height * width)), weights(size_t(outputs * channels * k * k));
    for (int8_t& v : input) v = int8_t(pick(-128, 127));
    for (int8_t& v : weights) v = int8_t(pick(-128, 127));
    QuantizedLayer layer = unit_layer(LayerKind::conv2d, {channels, height, width}, {outputs, out_h, out_w}, weights);
    layer.kernel = k;
    layer.stride = stride;
    layer.padding = pad;
    layer.shift.assign(size_t(outputs), -8);  // x 1/256, so that sums stay inside int8 more often
    const Bytes actual = run_layer(layer, input);
    for (int o = 0; o < outputs; ++o) {
      for (int y = 0; y < out_h; ++y) {
        for (int x = 0; x < out_w; ++x) {
          int32_t acc = 0;
          for (int c = 0; c < channels; ++c) {
            for (int ky = 0; ky < k; ++ky) {
              for (int kx = 0; kx < k; ++kx) {
                const int iy = y * stride + ky - pad, ix = x * stride + kx - pad;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                acc += weights[size_t(((o * channels + c) * k + ky) * k + kx)] * input[size_t((c * height + iy) * width + ix)];
              }
            }
          }
          const int32_t expected = std::clamp(multiply_by_quantized_multiplier(acc, kOne, -8), -128, 127);
          ASSERT_EQ(actual[size_t((o * out_h + y) * out_w + x)], expected)
              << "trial " << trial << " output " << o << "," << y << "," << x;
        }
      }
    }
  }
}

TEST(MaxPool, DropsOddEdgesAndHandlesNegatives) {
  // Two 5x5 channels: v = 5y + x - 12 and -v; the last row and column (100) fall outside every window.
  Bytes input(50);
  for (int c = 0; c < 2; ++c) {
    for (int y = 0; y < 5; ++y) {
      for (int x = 0; x < 5; ++x) {
        const int v = 5 * y + x - 12;
        input[size_t(c * 25 + y * 5 + x)] = int8_t(y == 4 || x == 4 ? 100 : c == 0 ? v : -v);
      }
    }
  }
  QuantizedLayer layer;
  layer.kind = LayerKind::max_pool;
  layer.input = {2, 5, 5};
  layer.output = {2, 2, 2};
  layer.kernel = 2;
  layer.stride = 2;
  EXPECT_EQ(run_layer(layer, input), (Bytes{-6, -4, 4, 6, 12, 10, 2, 0}));
  EXPECT_EQ(run_layer(layer, Bytes(50, -128)), Bytes(8, -128));
}

TEST(AvgPool, SumsEachChannelAndRoundsHalfAwayFromZero) {
  QuantizedLayer layer;
  layer.kind = LayerKind::avg_pool;
  layer.input = {2, 2, 2};
  layer.output = {2, 1, 1};
  layer.bias = {0};
  layer.multiplier = {kOne};
  layer.shift = {-1};  // x 0.25: the mean of four
  EXPECT_EQ(run_layer(layer, {1, 2, 3, 5, -1, -2, -3, -5}), (Bytes{3, -3}));  // 2.75, -2.75
  layer.bias = {-1};
  EXPECT_EQ(run_layer(layer, {1, 2, 3, 5, -1, -2, -3, -5}), (Bytes{3, -3}));  // 2.5 and -3 round away from 0
  layer.activation = Activation::relu;
  EXPECT_EQ(run_layer(layer, {1, 2, 3, 5, -1, -2, -3, -5}), (Bytes{3, 0}));
  layer.multiplier.push_back(kOne);  // one set of output parameters for the layer, not one per channel
  EXPECT_THROW(run_layer(layer, Bytes(8)), std::invalid_argument);
}

// Both inputs rescaled from a << 20 back to a (multiplier 0.5, shift -19), the output stage x 1.
QuantizedLayer unit_add(TensorShape shape) {
  QuantizedLayer layer;
  layer.kind = LayerKind::add;
  layer.input = layer.output = shape;
  layer.bias = {0};
  layer.multiplier = {kOne};
  layer.shift = {1};
  layer.input_multiplier[0] = layer.input_multiplier[1] = kOne;
  layer.input_shift[0] = layer.input_shift[1] = -19;
  return layer;
}

TEST(Add, SumsElementwiseAndSaturates) {
  QuantizedLayer layer = unit_add({1, 1, 4});
  EXPECT_EQ(run_layer(layer, {100, -100, 3, 0}, {50, -50, -5, 0}), (Bytes{127, -128, -2, 0}));
  layer.activation = Activation::relu;
  EXPECT_EQ(run_layer(layer, {100, -100, 3, 0}, {50, -50, -5, 0}), (Bytes{127, 0, 0, 0}));
  EXPECT_THROW(run_layer(layer, {1, 2, 3, 4}), std::invalid_argument);  // an add needs both inputs
  EXPECT_THROW(run_layer(layer, {1, 2, 3}, {1, 2, 3, 4}), std::invalid_argument);
}

TEST(Add, RescalesEachInputWithItsOwnMultiplier) {
  QuantizedLayer layer = unit_add({1, 1, 4});
  layer.input_shift[1] = -20;  // the second input counts half: 2.5 -> 3, -2.5 -> -3 (away from zero)
  EXPECT_EQ(run_layer(layer, {0, 0, 10, 1}, {5, -5, 7, 1}), (Bytes{3, -3, 14, 2}));  // 10 + 3.5 -> 4; 1 + 0.5 -> 1
  layer.bias = {-4};
  EXPECT_EQ(run_layer(layer, {0, 0, 10, 1}, {5, -5, 7, 1}), (Bytes{-1, -7, 10, -2}));
}

TEST(Layer, RejectsMismatchedShapes) {
  QuantizedLayer layer = unit_layer(LayerKind::conv2d, {1, 3, 3}, {1, 3, 3}, Bytes(9, 1));
  layer.kernel = 3;
  EXPECT_THROW(run_layer(layer, kDigits), std::invalid_argument);  // 3x3 output needs padding 1
  layer.padding = 1;
  EXPECT_THROW(run_layer(layer, Bytes(8)), std::invalid_argument);
  layer.weights.pop_back();
  EXPECT_THROW(run_layer(layer, kDigits), std::invalid_argument);
  QuantizedLayer too_small = unit_layer(LayerKind::conv2d, {1, 1, 1}, {1, 1, 1}, Bytes(9, 1));
  too_small.kernel = too_small.stride = 3;  // a 3x3 kernel does not fit a 1x1 input even once
  EXPECT_THROW(run_layer(too_small, {1}), std::invalid_argument);
  QuantizedLayer fc = scalar_fc({1, 2});
  fc.shift.pop_back();
  EXPECT_THROW(run_layer(fc, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
