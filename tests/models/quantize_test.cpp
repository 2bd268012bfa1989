#include "models/quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "models/evaluator.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"
#include "models/train.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "tests/support/top1_agreement.h"

namespace npufi {
namespace {

const ImageSet& train_images() {
  static const ImageSet images = load_fashion_mnist(Split::train);
  return images;
}

const ImageSet& test_images() {
  static const ImageSet images = load_fashion_mnist(Split::test);
  return images;
}

// Every table entry in the range the NPU and the header promise.
void expect_valid_tables(const QuantizedNetwork& net) {
  for (const QuantizedLayer& layer : net.layers) {
    SCOPED_TRACE(layer.name);
    EXPECT_GT(layer.output_scale, 0.0);
    if (layer.kind == LayerKind::max_pool) continue;
    if (layer.kind == LayerKind::avg_pool || layer.kind == LayerKind::add) {  // one requantization for the layer
      ASSERT_EQ(layer.multiplier.size(), 1u);
      EXPECT_TRUE(layer.multiplier[0] == 0 || layer.multiplier[0] >= (1 << 30));
      for (int k = 0; k < 2 && layer.kind == LayerKind::add; ++k) {
        EXPECT_GE(layer.input_multiplier[k], 1 << 30);  // both inputs' rescale lies in (0, 1/2]
        EXPECT_LE(layer.input_shift[k], 0);
      }
      continue;
    }
    const size_t outputs = size_t(layer.output.channels);
    ASSERT_EQ(layer.weights.size() % outputs, 0u);
    const size_t per_output = layer.weights.size() / outputs;
    for (size_t o = 0; o < outputs; ++o) {
      const int32_t m = layer.multiplier[o];
      EXPECT_TRUE(m == 0 || m >= (1 << 30)) << m;  // and < 2^31 by type
      EXPECT_GE(layer.shift[o], -31);  // the shifts the NPU applies; a scale above 1 shifts left
      EXPECT_LE(layer.shift[o], 31);
      // Symmetric per channel: the largest weight is +-127, and -128 is never used.
      const auto [low, high] = std::minmax_element(layer.weights.begin() + long(o * per_output),
                                                   layer.weights.begin() + long((o + 1) * per_output));
      EXPECT_GE(*low, -127);
      EXPECT_EQ(std::max(-int(*low), int(*high)), 127);
    }
  }
}

TEST(QuantizeMultiplier, PowersOfTwoAndRounding) {
  EXPECT_EQ(quantize_multiplier(0.5).multiplier, 1 << 30);
  EXPECT_EQ(quantize_multiplier(0.5).shift, 0);
  EXPECT_EQ(quantize_multiplier(0.25).shift, -1);
  EXPECT_EQ(quantize_multiplier(1.0).shift, 1);
  EXPECT_EQ(quantize_multiplier(3.0).multiplier, 3 << 29);
  EXPECT_EQ(quantize_multiplier(3.0).shift, 2);
  EXPECT_EQ(quantize_multiplier(std::sqrt(0.5)).multiplier, 1518500250);
  EXPECT_EQ(quantize_multiplier(1.0 - std::ldexp(1.0, -40)).multiplier, 1 << 30);  // rounds up to 1.0
  EXPECT_EQ(quantize_multiplier(1.0 - std::ldexp(1.0, -40)).shift, 1);
  EXPECT_EQ(quantize_multiplier(0.0).multiplier, 0);
  EXPECT_EQ(quantize_multiplier(1e-12).multiplier, 0);
  EXPECT_THROW(quantize_multiplier(-1.0), std::invalid_argument);
  for (double scale : {1e-9, 3.3e-5, 0.0123, 0.999, 7.5}) {
    const QuantizedMultiplier m = quantize_multiplier(scale);
    EXPECT_NEAR(std::ldexp(double(m.multiplier), m.shift - 31), scale, scale * std::ldexp(1.0, -31));
  }
}

// The reference computes what the quantized network means: int8 accuracy close to fp32.
TEST(Quantize, TrainedLenet5KeepsItsAccuracy) {
  Model model = Model::create("lenet5", 1);
  TrainOptions options;
  options.epochs = 1;
  options.batch_size = 16;
  const ImageSet test_set = test_images().slice(0, 500);
  train(model, train_images().slice(0, 2000), test_set, options);

  const QuantizedNetwork net = quantize(model, train_images().slice(0, kDefaultCalibrationImages));
  EXPECT_EQ(net.arch, "lenet5");
  ASSERT_EQ(net.layers.size(), 7u);
  struct Expected {
    LayerKind kind;
    TensorShape output;
    Activation activation;
  };
  const LayerKind conv = LayerKind::conv2d, pool = LayerKind::max_pool, fc = LayerKind::fully_connected;
  const Activation relu = Activation::relu, none = Activation::none;
  const Expected expected[] = {{conv, {6, 28, 28}, relu}, {pool, {6, 14, 14}, none}, {conv, {16, 10, 10}, relu},
                               {pool, {16, 5, 5}, none},  {fc, {120, 1, 1}, relu},    {fc, {84, 1, 1}, relu},
                               {fc, {10, 1, 1}, none}};
  for (size_t i = 0; i < net.layers.size(); ++i) {
    EXPECT_EQ(net.layers[i].kind, expected[i].kind) << i;
    EXPECT_EQ(net.layers[i].output, expected[i].output) << i;
    EXPECT_EQ(net.layers[i].activation, expected[i].activation) << i;
  }
  EXPECT_EQ(net.layers[0].padding, 2);
  EXPECT_EQ(net.layers[1].output_scale, net.layers[0].output_scale);
  expect_valid_tables(net);

  const EvalResult fp32 = Evaluator(test_set).run(model);
  const double agreement = test::top1_agreement(run_reference(net, test_set, 2).top1, fp32.top1);
  EXPECT_GT(fp32.accuracy(), 0.6);
  EXPECT_GE(agreement, 0.95);  // 0.990 when written
}

// Random batch-norm statistics, so that folding them wrongly shows.
void randomize_batch_norms(Model& model) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(5);
  for (const auto& module : model.impl().zoo->modules(false)) {
    if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      bn->running_mean.uniform_(-0.5, 0.5);
      bn->running_var.uniform_(0.25, 4.0);
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.3, 0.3);
    }
  }
}

TEST(Quantize, Vgg11FoldsBatchNormAndPadding) {
  Model model = Model::create("vgg11", 2);
  randomize_batch_norms(model);
  const ImageSet images = test_images().slice(0, 8);
  const QuantizedNetwork net = quantize(model, images);
  // ZeroPad2d(2) and the 3x3 convolution's padding 1 make one convolution with padding 3.
  ASSERT_GE(net.layers.size(), 2u);
  const QuantizedLayer& conv = net.layers[0];
  EXPECT_EQ(conv.padding, 3);
  EXPECT_EQ(conv.output, (TensorShape{64, 32, 32}));
  EXPECT_EQ(net.layers[1].output, (TensorShape{64, 16, 16}));
  expect_valid_tables(net);

  // Stage conv1 (pad, conv, bn, relu, pool) in fp32 against the reference's conv and pool, dequantized.
  torch::InferenceMode inference;
  model.impl().set_training(false);
  const torch::Tensor fp32 = model.impl().forward_stage(to_input(pixel_tensor(images), images.preprocessing), 0).contiguous();
  const double step = net.layers[1].output_scale;
  double max_error = 0;
  double sum_error = 0;
  for (int i = 0; i < images.count; ++i) {
    const std::vector<int8_t> pooled = run_layer(net.layers[1], run_layer(conv, quantized_image(net, images, i)));
    const float* expected = fp32[i].data_ptr<float>();
    for (size_t j = 0; j < pooled.size(); ++j) {
      const double error = std::abs(pooled[j] * step - expected[j]);
      max_error = std::max(max_error, error);
      sum_error += error;
    }
  }
  // 0.91 and 0.14 steps when written; without the folded batch norm, many steps.
  EXPECT_LT(max_error, 2 * step);
  EXPECT_LT(sum_error / double(fp32.numel()), 0.3 * step);
}

TEST(Quantize, EveryZooNetworkRunsOnTheReference) {
  const ImageSet images = test_images().slice(0, 4);
  for (const std::string arch : {"alexnet", "vgg16"}) {
    SCOPED_TRACE(arch);
    Model model = Model::create(arch, 3);
    const QuantizedNetwork net = quantize(model, images);
    expect_valid_tables(net);
    const auto outputs = run_network(net, quantized_image(net, images, 0));
    ASSERT_EQ(outputs.size(), net.layers.size());
    for (size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(int64_t(outputs[i].size()), net.layers[i].output.size());
    EXPECT_EQ(net.layers.back().output, (TensorShape{10, 1, 1}));
  }
}

// ResNet-20 as a graph: the stem, per block two convolutions and the add that reads the second one and
// the shortcut (the block's input, or a strided 1x1 projection of it in blocks 4 and 7), the average pool
// and the dense layer. Its int8 logits, dequantized, follow the fp32 logits.
TEST(Quantize, Resnet20BecomesAGraphOfResidualAdds) {
  Model model = Model::create("resnet20", 1);
  const QuantizedNetwork net = quantize(model, train_images().slice(0, 200));
  expect_valid_tables(net);
  ASSERT_EQ(net.layers.size(), 32u);  // 1 + 9 x 3 + 2 projections + pool + fc
  std::vector<int> adds;
  for (size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].kind == LayerKind::add) adds.push_back(int(i));
  EXPECT_EQ(adds, (std::vector<int>{3, 6, 9, 13, 16, 19, 23, 26, 29}));
  EXPECT_EQ(net.layers[3].inputs, (std::vector<int>{2, 0}));    // block1: identity shortcut from the stem
  EXPECT_EQ(net.layers[12].kind, LayerKind::conv2d);            // block4's projection reads block3's add
  EXPECT_EQ(net.layers[12].inputs, (std::vector<int>{9}));
  EXPECT_EQ(net.layers[12].stride, 2);
  EXPECT_EQ(net.layers[13].inputs, (std::vector<int>{11, 12}));
  EXPECT_EQ(net.layers[30].kind, LayerKind::avg_pool);
  EXPECT_EQ(net.layers[30].output, (TensorShape{64, 1, 1}));
  for (int i : adds) EXPECT_EQ(net.layers[size_t(i)].activation, Activation::relu);

  const ImageSet images = test_images().slice(0, 8);
  torch::NoGradGuard no_grad;
  const torch::Tensor fp32 = model.impl().zoo->forward(to_input(pixel_tensor(images), images.preprocessing));
  double error = 0, norm = 0;
  for (int i = 0; i < images.count; ++i) {
    const std::vector<int8_t> logits = run_network(net, quantized_image(net, images, i)).back();
    for (size_t k = 0; k < logits.size(); ++k) {
      const double want = fp32[i][long(k)].item<double>();
      error += std::pow(logits[k] * net.layers.back().output_scale - want, 2);
      norm += want * want;
    }
  }
  // A few percent when written; an add rescaled by the wrong input's scale gives tens of percent.
  EXPECT_LT(std::sqrt(error / norm), 0.1);
}

TEST(Quantize, RejectsAnEmptyCalibrationSet) {
  Model lenet = Model::create("lenet5", 1);
  EXPECT_THROW(quantize(lenet, ImageSet{}), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
