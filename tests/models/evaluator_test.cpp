#include "models/evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <thread>

#include "models/image_tensor.h"
#include "models/model_impl.h"

namespace npufi {
namespace {

const ImageSet& test_images() {
  static const ImageSet set = load_fashion_mnist(Split::test);
  return set;
}

void expect_same(const EvalResult& a, const EvalResult& b) {
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.correct, b.correct);
  EXPECT_EQ(a.top1, b.top1);
}

TEST(Evaluator, CountsTopOneAgainstLabels) {
  const ImageSet images = test_images().slice(0, 250);
  Model model = Model::create("lenet5", 1);
  const EvalResult result = Evaluator(images, 100).run(model);  // batches of 100, 100, 50
  EXPECT_EQ(result.images, 250);
  ASSERT_EQ(result.top1.size(), 250u);
  int correct = 0;
  for (int i = 0; i < 250; ++i) {
    EXPECT_LT(result.top1[size_t(i)], 10);
    correct += result.top1[size_t(i)] == images.labels[size_t(i)];
  }
  EXPECT_EQ(result.correct, correct);
  EXPECT_DOUBLE_EQ(result.accuracy(), correct / 250.0);
  // The batch size does not change the answer, except where the top two logits are so close that a
  // convolution's rounding, which may depend on the batch size, can swap them.
  const EvalResult one_batch = Evaluator(images, 250).run(model);
  torch::InferenceMode inference;
  const torch::Tensor logits = model.impl().forward(to_input(pixel_tensor(images), images.preprocessing));
  for (int i = 0; i < 250; ++i) {
    if (one_batch.top1[size_t(i)] == result.top1[size_t(i)]) continue;
    const float a = logits[i][one_batch.top1[size_t(i)]].item<float>(), b = logits[i][result.top1[size_t(i)]].item<float>();
    EXPECT_LT(std::abs(a - b), 1e-5f * std::max(1.0f, std::abs(a))) << "image " << i;
  }
  EXPECT_EQ(EvalResult{}.accuracy(), 0.0);
}

// For every architecture: a run resumed from any cached boundary equals the full run.
TEST(Evaluator, EveryStageResumesBitIdentically) {
  for (const std::string& arch : zoo_architectures()) {
    SCOPED_TRACE(arch);
    const bool big = arch == "vgg16" || arch == "resnet20" || arch == "vgg11";
    const ImageSet images = test_images().slice(0, big ? 12 : 200);
    Model model = Model::create(arch, 1);
    Evaluator evaluator(images, big ? 5 : 64);
    const EvalResult golden = evaluator.run(model);
    evaluator.cache_prefix(model, std::size_t(1) << 32);
    std::vector<int> all(size_t(model.stage_count() - 1));
    std::iota(all.begin(), all.end(), 1);
    EXPECT_EQ(evaluator.cached_boundaries(), all);
    for (int stage = 0; stage < model.stage_count(); ++stage) expect_same(evaluator.run(model, stage), golden);
  }
}

// lenet5 boundaries take 4704, 1600, 480 and 336 bytes per image (6x14x14, 16x5x5, 120, 84 floats).
TEST(Evaluator, CacheKeepsDeepestBoundariesWithinBudget) {
  const ImageSet images = test_images().slice(0, 100);
  Model model = Model::create("lenet5", 1);
  Evaluator evaluator(images, 30);
  const auto cache = [&](std::size_t budget) {
    evaluator.cache_prefix(model, budget);
    EXPECT_LE(evaluator.cache_bytes(), budget);
    return evaluator.cached_boundaries();
  };
  EXPECT_EQ(cache(0), std::vector<int>{});
  EXPECT_EQ(evaluator.cache_bytes(), 0u);
  EXPECT_EQ(cache(33600), std::vector<int>{4});
  EXPECT_EQ(evaluator.cache_bytes(), 33600u);
  EXPECT_EQ(cache(81599), std::vector<int>{4});
  EXPECT_EQ(cache(81600), (std::vector<int>{3, 4}));
  EXPECT_EQ(cache(241600 + 470399), (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(cache(712000), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(evaluator.cache_bytes(), 712000u);
}

// The point of the cache: a fault in stage k leaves boundaries <= k unchanged, so resuming at k is exact.
TEST(Evaluator, FaultInStageResumesFromCache) {
  const ImageSet images = test_images().slice(0, 300);
  Model golden_model = Model::create("lenet5", 1);
  Evaluator evaluator(images, 128);
  evaluator.cache_prefix(golden_model, std::size_t(1) << 30);
  const EvalResult golden = evaluator.run(golden_model);

  Model faulty = golden_model.clone();
  for (Parameter& p : faulty.parameters()) {
    if (p.name == "fc2.fc.weight") p.data[5] = 1e9f;
  }
  const EvalResult full = evaluator.run(faulty, 0);
  EXPECT_NE(full.top1, golden.top1);
  for (int stage = 1; stage <= 3; ++stage) expect_same(evaluator.run(faulty, stage), full);
  // A cached model with another architecture is never resumed from.
  Model other = Model::create("alexnet", 1);
  expect_same(evaluator.run(other, 4), Evaluator(images, 128).run(other));
}

TEST(Evaluator, CopiesShareTheCacheAndRunConcurrently) {
  const ImageSet images = test_images().slice(0, 400);
  Model model = Model::create("lenet5", 1);
  Evaluator evaluator(images, 100);
  evaluator.cache_prefix(model, std::size_t(1) << 30);
  const Evaluator copy(evaluator);
  EXPECT_EQ(copy.cached_boundaries(), evaluator.cached_boundaries());
  EXPECT_EQ(copy.cache_bytes(), evaluator.cache_bytes());

  const EvalResult golden = evaluator.run(model);
  std::vector<Model> models;
  for (int i = 0; i < 4; ++i) models.push_back(model.clone());
  std::vector<EvalResult> results(models.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < models.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int repeat = 0; repeat < 5; ++repeat) results[i] = copy.run(models[i], int(i));
    });
  }
  for (std::thread& t : threads) t.join();
  for (const EvalResult& result : results) expect_same(result, golden);
}

TEST(Evaluator, TorchScriptClonesRunConcurrently) {
  const Evaluator evaluator(test_images().slice(0, 500), 100);
  Model model = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt");
  const EvalResult golden = evaluator.run(model);
  EXPECT_GT(golden.correct, 0);
  std::vector<Model> models;
  for (int i = 0; i < 3; ++i) models.push_back(model.clone());
  std::vector<EvalResult> results(models.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < models.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int repeat = 0; repeat < 5; ++repeat) results[i] = evaluator.run(models[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const EvalResult& result : results) expect_same(result, golden);
}

}  // namespace
}  // namespace npufi
