// Hardened networks on the NPU's arithmetic: layer-wise clipped activations lower to the output unit's
// clip modes, with the threshold at the top of the layer's int8 range; neuron-wise ones are refused.
#include <gtest/gtest.h>

#include <string>

#include "models/evaluator.h"
#include "models/hardening/optimizers.h"
#include "models/quantize.h"
#include "models/train.h"
#include "rtl/reference/reference_eval.h"
#include "tests/support/top1_agreement.h"

namespace npufi {
namespace {

const ImageSet& train_images() {
  static const ImageSet images = load_fashion_mnist(Split::train);
  return images;
}

// LeNet-5 after one epoch on 2,000 training images.
const Model& trained_lenet5() {
  static const Model model = [] {
    Model m = Model::create("lenet5", 1);
    TrainOptions options;
    options.epochs = 1;
    options.batch_size = 16;
    train(m, train_images().slice(0, 2000), train_images().slice(59000, 59100), options);
    return m;
  }();
  return model;
}

HardenReport harden_lenet5(Model& model, HardenMethod method, Granularity granularity, const AucScorer& scorer = {}) {
  HardenSettings s;
  s.method = method;
  s.granularity = granularity;
  s.profile_images = 500;
  s.search_rounds = 1;
  s.search_candidates = 1;
  const HardenData data{train_images().slice(0, 2000), train_images().slice(59000, 59200)};
  return harden(model, s, data, scorer, [](const std::string&) {});
}

QuantizedNetwork quantize_lenet5(Model& model) {
  return quantize(model, train_images().slice(0, kDefaultCalibrationImages));
}

// The clipped layers of LeNet-5's int8 network: conv1, conv2, fc1, fc2 (pools at 1 and 3, logits at 6).
constexpr size_t kClippedLayers[] = {0, 2, 4, 5};

// Every clipped layer has `activation`, the threshold code 127 and the output scale T / 127 of its
// layer's threshold; the int8 reference classifies about as the hardened fp32 model does.
void expect_lowered(Model& model, const std::vector<ClipLayer>& layers, Activation activation) {
  const QuantizedNetwork net = quantize_lenet5(model);
  ASSERT_EQ(net.layers.size(), 7u);
  for (size_t i = 0; i < 4; ++i) {
    const QuantizedLayer& q = net.layers[kClippedLayers[i]];
    SCOPED_TRACE(q.name);
    EXPECT_EQ(q.activation, activation);
    EXPECT_EQ(q.clip_threshold, 127);
    EXPECT_DOUBLE_EQ(q.output_scale, double(layers[i].thresholds.at(0)) / 127);
  }
  EXPECT_EQ(net.layers[1].output_scale, net.layers[0].output_scale);  // a pool keeps its input's scale
  EXPECT_EQ(net.layers[6].activation, Activation::none);

  const ImageSet test_set = load_fashion_mnist(Split::test).slice(0, 500);
  const EvalResult fp32 = Evaluator(test_set).run(model);
  const double agreement = test::top1_agreement(run_reference(net, test_set, 2).top1, fp32.top1);
  EXPECT_GT(fp32.accuracy(), 0.6);
  EXPECT_GE(agreement, 0.95);  // 0.974 to 0.990 when written
}

TEST(QuantizeHardened, ThresholdCodeRoundsHalvesAwayFromZeroAndClamps) {
  EXPECT_EQ(clip_threshold_code(2.96, 2.96 / 127), 127);
  EXPECT_EQ(clip_threshold_code(1.25, 0.5), 3);   // 2.5
  EXPECT_EQ(clip_threshold_code(1.0, 0.5), 2);
  EXPECT_EQ(clip_threshold_code(1.2, 0.5), 2);    // 2.4
  EXPECT_EQ(clip_threshold_code(100.0, 0.5), 127);
  EXPECT_EQ(clip_threshold_code(0.0, 1.0), 0);
}

TEST(QuantizeHardened, RangerLowersToClipSaturate) {
  Model model = trained_lenet5().clone();
  const HardenReport report = harden_lenet5(model, HardenMethod::ranger, Granularity::layer);
  expect_lowered(model, report.layers, Activation::clip_saturate);
}

// FT-ClipAct with one candidate per layer, scored so that the lower threshold wins: every layer is
// clipped at half its profiled maximum.
TEST(QuantizeHardened, FtClipActLowersToClipToZero) {
  Model ranger = trained_lenet5().clone();
  const std::vector<ClipLayer> maxima = harden_lenet5(ranger, HardenMethod::ranger, Granularity::layer).layers;
  Model model = trained_lenet5().clone();
  const AucScorer lower_is_better = [](const Model& m) {
    double sum = 0;
    for (const ClipLayer& l : clip_layers(m)) sum += l.thresholds.at(0);
    return -sum;
  };
  const HardenReport report = harden_lenet5(model, HardenMethod::ftclipact, Granularity::layer, lower_is_better);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(report.layers[i].thresholds.at(0), maxima[i].thresholds.at(0) / 2);
  expect_lowered(model, report.layers, Activation::clip_to_zero);
}

// A layer-wise smooth lambda (FitAct, ProAct with --granularity layer) runs as clip-to-zero at lambda.
TEST(QuantizeHardened, LayerWiseSmoothLowersToClipToZeroAtLambda) {
  Model model = trained_lenet5().clone();
  std::vector<ClipLayer> layers = harden_lenet5(model, HardenMethod::ranger, Granularity::layer).layers;
  Model smooth = trained_lenet5().clone();
  for (ClipLayer& l : layers) l.mode = ClipMode::smooth;
  apply_clipping(smooth, layers);
  const QuantizedNetwork net = quantize_lenet5(smooth);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(net.layers[kClippedLayers[i]].activation, Activation::clip_to_zero);
    EXPECT_DOUBLE_EQ(net.layers[kClippedLayers[i]].output_scale, double(layers[i].thresholds[0]) / 127);
  }
}

std::string quantize_error(Model& model) {
  try {
    quantize_lenet5(model);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(QuantizeHardened, NeuronWiseThresholdsAreRefusedNamingTheLayer) {
  Model neuron = trained_lenet5().clone();
  harden_lenet5(neuron, HardenMethod::ranger, Granularity::neuron);
  EXPECT_EQ(quantize_error(neuron),
            "cannot quantize lenet5: conv1.relu has 4704 neuron-wise thresholds; the NPU's output unit holds one "
            "clip threshold per layer (harden with --granularity layer)");
  Model hybrid = trained_lenet5().clone();  // ProAct's granularity: neuron-wise in the last layer only
  harden_lenet5(hybrid, HardenMethod::ranger, Granularity::hybrid);
  EXPECT_EQ(quantize_error(hybrid),
            "cannot quantize lenet5: fc2.relu has 84 neuron-wise thresholds; the NPU's output unit holds one "
            "clip threshold per layer (harden with --granularity layer)");
}

}  // namespace
}  // namespace npufi
