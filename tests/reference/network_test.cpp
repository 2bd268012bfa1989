// Whole networks: layer chaining, top-1, and accuracy over an image set.
#include <gtest/gtest.h>

#include <stdexcept>

#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"

namespace npufi {
namespace {

using Bytes = std::vector<int8_t>;

// 1x2x2 input -> conv 1x1 (x2, relu) -> max-pool -> fully connected to 2 classes: class 0 scores the
// largest input, class 1 scores 20 - that.
QuantizedLayer layer(const char* name, LayerKind kind, TensorShape input, TensorShape output) {
  QuantizedLayer layer;
  layer.name = name;
  layer.kind = kind;
  layer.input = input;
  layer.output = output;
  return layer;
}

QuantizedNetwork tiny_network() {
  QuantizedNetwork net;
  net.arch = "tiny";
  net.input = {1, 2, 2};
  QuantizedLayer conv = layer("conv", LayerKind::conv2d, {1, 2, 2}, {1, 2, 2});
  conv.weights = {2};
  conv.bias = {0};
  conv.multiplier = {1 << 30};
  conv.shift = {1};
  conv.activation = Activation::relu;
  QuantizedLayer pool = layer("pool", LayerKind::max_pool, {1, 2, 2}, {1, 1, 1});
  pool.kernel = 2;
  pool.stride = 2;
  QuantizedLayer fc = layer("fc", LayerKind::fully_connected, {1, 1, 1}, {2, 1, 1});
  fc.weights = {1, -1};
  fc.bias = {0, 20};
  fc.multiplier = {1 << 30, 1 << 30};
  fc.shift = {1, 1};
  net.layers = {conv, pool, fc};
  return net;
}

TEST(RunNetwork, ReturnsEveryLayersOutput) {
  const auto outputs = run_network(tiny_network(), {3, -4, 5, 1});
  ASSERT_EQ(outputs.size(), 3u);
  EXPECT_EQ(outputs[0], (Bytes{6, 0, 10, 2}));
  EXPECT_EQ(outputs[1], (Bytes{10}));
  EXPECT_EQ(outputs[2], (Bytes{10, 10}));
  EXPECT_THROW(run_network(tiny_network(), {1, 2, 3}), std::invalid_argument);
}

// conv 1x1 (x2) -> add of the conv's output and the network input -> global average pool.
TEST(RunNetwork, LayersReadTheTensorsTheyName) {
  QuantizedNetwork net = tiny_network();
  QuantizedLayer add = layer("add", LayerKind::add, {1, 2, 2}, {1, 2, 2});
  add.inputs = {0, kNetworkInput};
  add.bias = {0};
  add.multiplier = {1 << 30};
  add.shift = {1};
  add.input_multiplier[0] = add.input_multiplier[1] = 1 << 30;
  add.input_shift[0] = add.input_shift[1] = -19;
  QuantizedLayer mean = layer("mean", LayerKind::avg_pool, {1, 2, 2}, {1, 1, 1});
  mean.bias = {0};
  mean.multiplier = {1 << 30};
  mean.shift = {-1};
  net.layers = {net.layers[0], add, mean};
  const auto outputs = run_network(net, {1, 2, -3, 4});
  EXPECT_EQ(outputs[0], (Bytes{2, 4, 0, 8}));   // relu(2x)
  EXPECT_EQ(outputs[1], (Bytes{3, 6, -3, 12}));  // + x
  EXPECT_EQ(outputs[2], (Bytes{5}));             // 18 / 4 = 4.5 -> 5
  net.layers[1].inputs = {0, 2};                 // a layer after it
  EXPECT_THROW(run_network(net, {1, 2, -3, 4}), std::invalid_argument);
  net.layers[1].inputs = {0};                    // an add of one tensor
  EXPECT_THROW(run_network(net, {1, 2, -3, 4}), std::invalid_argument);
}

TEST(Top1, LowestIndexWinsTies) {
  EXPECT_EQ(top1({-3, 7, 7, 2}), 1);
  EXPECT_EQ(top1({-128, -128}), 0);
  EXPECT_EQ(top1({1, 2, 3}), 2);
}

TEST(QuantizedImage, PixelsBecomeCodesUpTo127) {
  ImageSet images;
  images.count = 1;
  images.rows = images.cols = 2;
  images.pixels = {0, 255, 128, 1};
  QuantizedNetwork network;
  network.input = {1, 2, 2};
  EXPECT_EQ(quantized_image(network, images, 0), (Bytes{0, 127, 64, 0}));
}

// Preprocessed data: x = (v / scale - mean[c]) / std[c] in the network's channel order, then
// round(x / input_scale) clamped to -127..127.
TEST(QuantizedImage, PreprocessedValuesBecomeCodesOfTheInputScale) {
  ImageSet images;
  images.count = 2;
  images.channels = 2;
  images.rows = 1;
  images.cols = 2;
  images.values = {0, 0, 0, 0, /* image 1: channel 0 */ 10, 20, /* channel 1 */ 30, 40};
  images.preprocessing.scale = 10;
  images.preprocessing.mean = {1, 2};
  images.preprocessing.std = {2, 0.5};
  images.preprocessing.channel_order = {1, 0};  // input channel 0 takes stored channel 1
  QuantizedNetwork network;
  network.input = {2, 1, 2};
  network.pixel_input = false;
  network.preprocessing = images.preprocessing;
  network.input_scale = 0.01;
  // channel 0: stored 30, 40 -> (3 - 1) / 2 = 1, (4 - 1) / 2 = 1.5 -> 100, 150 -> 127 (clamped)
  // channel 1: stored 10, 20 -> (1 - 2) / 0.5 = -2, (2 - 2) / 0.5 = 0 -> -127 (clamped), 0
  EXPECT_EQ(quantized_image(network, images, 1), (Bytes{100, 127, -127, 0}));

  network.preprocessing.mean = {0, 0};
  EXPECT_THROW(quantized_image(network, images, 1), std::invalid_argument);  // calibrated on other data
  network.preprocessing = images.preprocessing;
  network.input = {1, 2, 3};
  EXPECT_THROW(quantized_image(network, images, 1), std::invalid_argument);  // another size
}

TEST(RunReference, AccuracyDoesNotDependOnThreads) {
  ImageSet images;
  images.count = 5;
  images.rows = images.cols = 2;
  const uint8_t brightest[] = {255, 2, 40, 0, 30};
  for (int i = 0; i < images.count; ++i) images.pixels.insert(images.pixels.end(), {0, brightest[i], 0, 0});
  // Codes 127, 1, 20, 0, 15 -> class 0 scores 2 x code, class 1 scores 20 - 2 x code.
  images.labels = {0, 1, 0, 1, 1};
  for (int threads : {1, 2, 8}) {
    const ReferenceResult result = run_reference(tiny_network(), images, threads);
    EXPECT_EQ(result.images, 5);
    EXPECT_EQ(result.top1, (std::vector<uint8_t>{0, 1, 0, 1, 0}));
    EXPECT_EQ(result.correct, 4);
    EXPECT_DOUBLE_EQ(result.accuracy(), 0.8);
  }
  EXPECT_THROW(run_reference(QuantizedNetwork{}, images), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
