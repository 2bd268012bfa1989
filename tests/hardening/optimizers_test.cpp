// The four threshold optimizers on a LeNet-5 trained for one short epoch, and the AUC that FT-ClipAct
// scores with.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "campaigns/ber_auc.h"
#include "models/evaluator.h"
#include "models/hardening/clip.h"
#include "models/hardening/optimizers.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"
#include "models/train.h"

namespace npufi {
namespace {

class Optimizers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_compute_threads(1);  // OpenMP threads spin on a busy machine; one is faster there and no slower here
    flush_subnormals_to_zero();
    const ImageSet train_split = load_fashion_mnist(Split::train);
    data_ = new HardenData{train_split.slice(0, 4000), train_split.slice(59000, 60000)};
    trained_ = new Model(Model::create("lenet5", 1));
    TrainOptions options;
    options.epochs = 1;
    train(*trained_, train_split.slice(0, 6000), train_split.slice(59000, 59100), options);
  }
  static void TearDownTestSuite() {
    delete trained_;
    delete data_;
  }

  static HardenSettings settings(HardenMethod method) {
    HardenSettings s;
    s.method = method;
    s.granularity = default_granularity(method);
    s.profile_images = 500;
    return s;
  }
  static HardenReport run(Model& model, const HardenSettings& s, const AucScorer& scorer = {}) {
    return harden(model, s, *data_, scorer, [](const std::string&) {});
  }

  static HardenData* data_;
  static Model* trained_;
};

HardenData* Optimizers::data_ = nullptr;
Model* Optimizers::trained_ = nullptr;

// The profile images in the batches that profile_peaks runs: activations are exact by construction only
// for the same batches, since a convolution's rounding may depend on the batch size.
std::vector<torch::Tensor> profile_batches(const ImageSet& profile) {
  const torch::Tensor pixels = pixel_tensor(profile);
  std::vector<torch::Tensor> batches;
  for (int b = 0; b < profile.count; b += kProfileBatchSize)
    batches.push_back(to_input(pixels.slice(0, b, std::min(b + kProfileBatchSize, profile.count)), profile.preprocessing));
  return batches;
}

// Ranger's thresholds are the profiled maxima: checked against the stage outputs, whose maximum is the
// ReLU's (a 2x2 max-pool after it keeps the maximum). On the profile images themselves no activation
// exceeds its threshold, so the clipped model's logits equal the unclipped model's, bit for bit.
TEST_F(Optimizers, RangerThresholdsAreTheProfiledMaxima) {
  Model model = trained_->clone();
  const HardenReport report = run(model, settings(HardenMethod::ranger));
  ASSERT_EQ(report.layers.size(), 4u);
  torch::InferenceMode inference;
  Model plain = trained_->clone();
  std::vector<torch::Tensor> x = profile_batches(data_->train.slice(0, 500));
  for (int stage = 0; stage < 4; ++stage) {
    float peak = 0;
    for (torch::Tensor& batch : x) {
      batch = plain.impl().forward_stage(batch, stage);
      peak = std::max(peak, batch.max().item<float>());
    }
    const ClipLayer& l = report.layers[size_t(stage)];
    EXPECT_EQ(l.mode, ClipMode::saturate);
    ASSERT_EQ(l.thresholds.size(), 1u);
    EXPECT_EQ(l.thresholds[0], peak) << l.name;
  }
  for (const torch::Tensor& batch : profile_batches(data_->train.slice(0, 500))) {
    EXPECT_TRUE(torch::equal(model.impl().forward(batch), plain.impl().forward(batch)));
  }
}

TEST_F(Optimizers, RangerNeuronWise) {
  Model model = trained_->clone();
  HardenSettings s = settings(HardenMethod::ranger);
  s.granularity = Granularity::neuron;
  const HardenReport report = run(model, s);
  EXPECT_EQ(threshold_count(report.layers), 6508);
  // The layer maximum is the largest neuron maximum.
  Model layer_wise = trained_->clone();
  const HardenReport layers = run(layer_wise, settings(HardenMethod::ranger));
  for (size_t i = 0; i < 4; ++i) {
    const auto& t = report.layers[i].thresholds;
    EXPECT_EQ(*std::max_element(t.begin(), t.end()), layers.layers[i].thresholds[0]);
  }
}

// The interval search finds the peak of a score: here a score that prefers, in every layer, a threshold
// of 0.37 times the profiled maximum (FT-ClipAct's AUC is just another score to maximize).
TEST_F(Optimizers, FtClipActSearchConvergesOnTheBestScore) {
  Model ranger = trained_->clone();
  const HardenReport maxima = run(ranger, settings(HardenMethod::ranger));
  std::map<std::string, double> best;
  for (const ClipLayer& l : maxima.layers) best[l.name] = 0.37 * l.thresholds[0];
  Model model = trained_->clone();
  int calls = 0;
  const AucScorer peak = [&](const Model& m) {
    ++calls;
    double score = 0;
    for (const ClipLayer& l : clip_layers(m)) score -= std::abs(l.thresholds[0] - best.at(l.name));
    return score;
  };
  HardenSettings s = settings(HardenMethod::ftclipact);
  const HardenReport report = run(model, s, peak);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(report.layers[i].mode, ClipMode::clip_to_zero);
    const double top = maxima.layers[i].thresholds[0];
    // After 4 rounds of 4 candidates the interval is (2/5)^3 of the first step wide.
    EXPECT_NEAR(report.layers[i].thresholds[0], 0.37 * top, top / 5 * std::pow(0.4, 3)) << report.layers[i].name;
  }
  EXPECT_EQ(calls, 4 * (1 + s.search_rounds * s.search_candidates));
}

// With the real scorer (a small fp32 weight campaign): thresholds stay in [0, max], and the chosen
// clipping scores at least as well as clipping at the maxima.
TEST_F(Optimizers, FtClipActWithACampaignScore) {
  Model model = trained_->clone();
  const ImageSet images = data_->validation.slice(0, 100);
  ScoringCampaign campaign;
  campaign.bers = {3e-5, 1e-4};
  campaign.repetitions = 2;
  campaign.threads = 1;
  const AucScorer scorer = [&](const Model& m) { return campaign_auc(m, images, campaign); };
  HardenSettings s = settings(HardenMethod::ftclipact);
  s.search_rounds = 1;
  const HardenReport report = run(model, s, scorer);
  Model at_max = trained_->clone();
  const HardenReport maxima = run(at_max, settings(HardenMethod::ranger));
  std::vector<ClipLayer> clipped_at_max = maxima.layers;
  for (ClipLayer& l : clipped_at_max) l.mode = ClipMode::clip_to_zero;
  apply_clipping(at_max, clipped_at_max);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_GT(report.layers[i].thresholds[0], 0.0f);
    EXPECT_LE(report.layers[i].thresholds[0], maxima.layers[i].thresholds[0]);
  }
  EXPECT_GE(scorer(model), scorer(at_max));
}

TEST_F(Optimizers, FitActTrainsNeuronWiseLambdasWithFrozenWeights) {
  Model model = trained_->clone();
  std::vector<std::vector<float>> weights;
  for (const Parameter& p : model.parameters()) weights.emplace_back(p.data, p.data + p.numel);
  HardenSettings s = settings(HardenMethod::fitact);
  s.fitact_alpha = 0.1;
  const HardenReport report = run(model, s);
  EXPECT_EQ(threshold_count(report.layers), 6508);
  Model ranger = trained_->clone();
  HardenSettings r = settings(HardenMethod::ranger);
  r.granularity = Granularity::neuron;
  const HardenReport start = run(ranger, r);
  double trained_sum = 0;
  double start_sum = 0;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(report.layers[i].mode, ClipMode::smooth);
    for (size_t j = 0; j < report.layers[i].thresholds.size(); ++j) {
      EXPECT_GE(report.layers[i].thresholds[j], 0.0f);
      trained_sum += report.layers[i].thresholds[j];
      start_sum += start.layers[i].thresholds[j];
    }
  }
  // The L2 term pulls lambda down from the profiled maxima where it started.
  EXPECT_LT(trained_sum, 0.95 * start_sum);
  EXPECT_GT(report.validation_accuracy_after, report.validation_accuracy_before - 0.05);
  // Weights and biases untouched.
  size_t t = 0;
  for (const Parameter& p : model.parameters()) {
    if (p.name.ends_with(".threshold")) continue;
    EXPECT_EQ(std::vector<float>(p.data, p.data + p.numel), weights[t++]) << p.name;
  }
}

TEST_F(Optimizers, ProActKeepsAccuracyWithinTheTolerance) {
  Model model = trained_->clone();
  HardenSettings s = settings(HardenMethod::proact);
  s.proact_steps = 40;
  std::vector<std::string> log;
  const HardenReport report = harden(model, s, *data_, {}, [&](const std::string& line) { log.push_back(line); });
  EXPECT_EQ(threshold_count(report.layers), 3 + 84);
  EXPECT_EQ(report.layers[3].shape, std::vector<int64_t>{84});
  // Progressive from the last layer back to the first.
  ASSERT_GE(log.size(), 4u);
  EXPECT_TRUE(log.front().starts_with("proact: fc2.relu attempt 1")) << log.front();
  EXPECT_TRUE(log.back().starts_with("proact: conv1.relu")) << log.back();
  // The first layer is trained last, so the network ends as its kept attempt left it: within the
  // tolerance when that attempt was accepted, and at the best rejected attempt's accuracy otherwise.
  char after[16];
  std::snprintf(after, sizeof after, "%.2f%%", report.validation_accuracy_after * 100);
  if (log.back().ends_with("accepted")) {
    EXPECT_NE(log.back().find(std::string("accuracy ") + after), std::string::npos) << log.back();
    EXPECT_LE(report.validation_accuracy_before - report.validation_accuracy_after, s.proact_tolerance / 100);
  } else {
    EXPECT_TRUE(log.back().ends_with(std::string("keeping the best (") + after + ")")) << log.back();
  }
}

// A strong L2 term with a step larger than any activation drives every lambda below 0: the accuracy
// collapses, each layer is retried once with a weaker beta, and the best attempt stays.
TEST_F(Optimizers, ProActRetriesWithWeakerRegularization) {
  Model model = trained_->clone();
  HardenSettings s = settings(HardenMethod::proact);
  s.proact_steps = 5;
  s.learning_rate = 1000.0;  // Adam's first steps are about the learning rate, whatever the gradient
  s.proact_beta = 1000;
  s.proact_retries = 1;
  std::vector<std::string> log;
  harden(model, s, *data_, {}, [&](const std::string& line) { log.push_back(line); });
  ASSERT_EQ(log.size(), 12u);  // per layer: two attempts and the note that none was accepted
  EXPECT_NE(log[0].find("fc2.relu attempt 1 (beta 1000.000000)"), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("rejected"), std::string::npos) << log[0];
  EXPECT_NE(log[1].find("fc2.relu attempt 2 (beta 100.000000)"), std::string::npos) << log[1];
  EXPECT_TRUE(log[2].starts_with("proact: fc2.relu: no attempt within the tolerance; keeping the best")) << log[2];
  EXPECT_NE(log[10].find("conv1.relu attempt 2"), std::string::npos) << log[10];
}

// The rewritten TorchScript fixture trains its lambdas like a zoo network, weights frozen.
TEST_F(Optimizers, FitActOnTheTorchScriptFixture) {
  Model model = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt");
  const std::vector<float> conv(model.parameters()[0].data, model.parameters()[0].data + model.parameters()[0].numel);
  HardenSettings s = settings(HardenMethod::fitact);
  s.fitact_alpha = 0.1;
  const HardenReport report = run(model, s);
  ASSERT_EQ(report.layers.size(), 1u);
  EXPECT_EQ(report.layers[0].shape, (std::vector<int64_t>{4, 26, 26}));
  EXPECT_EQ(report.layers[0].mode, ClipMode::smooth);
  Model ranger = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt");
  HardenSettings r = settings(HardenMethod::ranger);
  r.granularity = Granularity::neuron;
  const HardenReport start = run(ranger, r);
  EXPECT_NE(report.layers[0].thresholds, start.layers[0].thresholds);
  const Parameter weight = model.parameters()[0];
  EXPECT_EQ(std::vector<float>(weight.data, weight.data + weight.numel), conv);
}

TEST_F(Optimizers, BadSettings) {
  Model model = trained_->clone();
  HardenSettings s = settings(HardenMethod::ftclipact);
  s.granularity = Granularity::neuron;
  EXPECT_THROW(run(model, s), std::invalid_argument);
  s = settings(HardenMethod::ranger);
  s.profile_images = 5000;  // more than the 4000 training images
  EXPECT_THROW(run(model, s), std::invalid_argument);
  EXPECT_TRUE(clip_layers(model)[0].mode == ClipMode::relu);
  EXPECT_EQ(parse_harden_method("clipact"), std::nullopt);
  EXPECT_EQ(parse_harden_method("proact"), HardenMethod::proact);
}

TEST(BerAuc, MeanAccuracyOverLogBer) {
  EXPECT_DOUBLE_EQ(ber_auc({1e-6, 1e-5, 1e-4}, {0.9, 0.9, 0.9}), 0.9);
  // One decade at 0.9 -> 0.5, one at 0.5 -> 0.1: (0.7 + 0.3) / 2.
  EXPECT_NEAR(ber_auc({1e-6, 1e-5, 1e-4}, {0.9, 0.5, 0.1}), 0.5, 1e-12);
  // Unequal spacing counts in log10 units: 1e-6..1e-5 is one decade, 1e-5..1e-3 two.
  EXPECT_NEAR(ber_auc({1e-6, 1e-5, 1e-3}, {1.0, 1.0, 0.0}), (1.0 + 2 * 0.5) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(ber_auc({1e-5}, {0.7}), 0.7);
  EXPECT_THROW(ber_auc({1e-5, 1e-6}, {0.1, 0.2}), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
