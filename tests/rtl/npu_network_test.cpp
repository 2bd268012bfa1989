// A real network on the Verilated NPU: LeNet-5, trained briefly and quantized, on a few hundred
// Fashion-MNIST test images in the smallest and the largest configuration, bit for bit against the C++
// int8 reference.
#include <gtest/gtest.h>

#include "models/evaluator.h"
#include "models/hardening/optimizers.h"
#include "models/quantize.h"
#include "models/train.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/sim/npu_eval.h"
#include "tests/support/top1_agreement.h"

namespace npufi {
namespace {

constexpr int kTestImages = 300;

const ImageSet& test_images() {
  static const ImageSet images = load_fashion_mnist(Split::test).slice(0, kTestImages);
  return images;
}

// LeNet-5 after one epoch on 2,000 training images (about 0.72 accuracy), quantized on the first 1,000
// training images, and its fp32 predictions on the test images.
struct TrainedLenet5 {
  Model model;
  QuantizedNetwork network;
  std::vector<uint8_t> fp32_top1;
};

const TrainedLenet5& lenet5() {
  static const TrainedLenet5 trained = [] {
    const ImageSet train_set = load_fashion_mnist(Split::train);
    Model model = Model::create("lenet5", 1);
    TrainOptions options;
    options.epochs = 1;
    options.batch_size = 16;
    train(model, train_set.slice(0, 2000), test_images(), options);
    QuantizedNetwork network = quantize(model, train_set.slice(0, kDefaultCalibrationImages));
    std::vector<uint8_t> top1 = Evaluator(test_images()).run(model).top1;
    return TrainedLenet5{std::move(model), std::move(network), std::move(top1)};
  }();
  return trained;
}

class NpuNetwork : public ::testing::TestWithParam<NpuConfig> {};

TEST_P(NpuNetwork, Lenet5IsBitExactOnEveryImage) {
  const NpuConfig config = GetParam();
  const NpuEvalResult npu = run_npu(lenet5().network, config, test_images(), 2);
  EXPECT_EQ(npu.images, kTestImages);
  EXPECT_EQ(npu.matching, kTestImages);
  EXPECT_EQ(npu.top1, run_reference(lenet5().network, test_images(), 2).top1);
  EXPECT_GE(test::top1_agreement(npu.top1, lenet5().fp32_top1), 0.95);  // 0.987 when written
  EXPECT_GT(npu.accuracy(), 0.6);

  // The schedule does not depend on the data: every image takes the same number of cycles.
  EXPECT_EQ(npu.cycles % kTestImages, 0u);
  EXPECT_GT(npu.mac_busy_cycles, 0u);
  EXPECT_LT(npu.mac_busy_cycles, npu.cycles);
  const double utilization = npu.mac_utilization(config);
  EXPECT_GT(utilization, 0.02);  // 0.044 on npu256 when written
  EXPECT_LT(utilization, 1.0);
}

INSTANTIATE_TEST_SUITE_P(Configs, NpuNetwork, ::testing::Values(NpuConfig::npu32, NpuConfig::npu256),
                         [](const auto& info) { return npu_config_name(info.param); });

// Hardened LeNet-5: Ranger's saturating thresholds (clip_saturate) and the same layers clipped to zero
// at half of them (clip_to_zero), on the NPU bit for bit against the reference.
TEST(NpuNetwork, HardenedLenet5IsBitExact) {
  const ImageSet train_set = load_fashion_mnist(Split::train);
  Model ranger = lenet5().model.clone();
  HardenSettings settings;
  settings.profile_images = 500;
  std::vector<ClipLayer> layers =
      harden(ranger, settings, HardenData{train_set.slice(0, 500), train_set.slice(59000, 59100)}, {},
             [](const std::string&) {}).layers;
  Model to_zero = lenet5().model.clone();
  for (ClipLayer& l : layers) {
    l.mode = ClipMode::clip_to_zero;
    l.thresholds[0] /= 2;
  }
  apply_clipping(to_zero, layers);
  const ImageSet images = test_images().slice(0, 20);
  for (Model* model : {&ranger, &to_zero}) {
    const QuantizedNetwork network = quantize(*model, train_set.slice(0, kDefaultCalibrationImages));
    EXPECT_NE(network.layers[0].activation, Activation::relu);
    const NpuEvalResult npu = run_npu(network, NpuConfig::npu64, images, 2);
    EXPECT_EQ(npu.matching, images.count);
    EXPECT_EQ(npu.top1, run_reference(network, images, 2).top1);
  }
}

TEST(NpuEval, ResultsDoNotDependOnTheThreadCount) {
  const ImageSet images = test_images().slice(0, 12);
  const NpuEvalResult one = run_npu(lenet5().network, NpuConfig::npu64, images, 1);
  int last = 0;
  const NpuEvalResult three = run_npu(lenet5().network, NpuConfig::npu64, images, 3, [&](int done) {
    EXPECT_EQ(done, last + 1);
    last = done;
  });
  EXPECT_EQ(last, 12);
  EXPECT_EQ(one.top1, three.top1);
  EXPECT_EQ(one.correct, three.correct);
  EXPECT_EQ(one.matching, 12);
  EXPECT_EQ(three.matching, 12);
  EXPECT_EQ(one.cycles, three.cycles);
  EXPECT_EQ(one.mac_busy_cycles, three.mac_busy_cycles);
}

}  // namespace
}  // namespace npufi
