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

// Activation faults: an edit of the last stage's output (the logits) changes exactly the edited element.
TEST(Evaluator, EditedLogitChangesExactlyThatElement) {
  const ImageSet images = test_images().slice(0, 250);
  Model model = Model::create("lenet5", 1);
  Evaluator evaluator(images, 100);
  evaluator.cache_prefix(model, std::size_t(1) << 30);
  const Logits golden = evaluator.logits(model);
  ASSERT_EQ(golden.images, 250);
  ASSERT_EQ(golden.classes, 10);
  EXPECT_EQ(evaluator.stage_output_elements(model), (std::vector<int64_t>{6 * 14 * 14, 16 * 5 * 5, 120, 84, 10}));
  EXPECT_EQ(model.stage_names(), (std::vector<std::string>{"conv1", "conv2", "fc1", "fc2", "fc3"}));

  // Image 130, class 7: the second batch; its row 30.
  std::vector<Logits> done;
  std::vector<int> batches_asked;
  evaluator.run_edited(
      model, {4},
      [&](int first, int count) {
        batches_asked.push_back(first);
        return first <= 130 && 130 < first + count;
      },
      [&](const StageOutput& out) {
        EXPECT_EQ(out.stage, 4);
        EXPECT_EQ(out.per_image, 10);
        out.data[(130 - out.first_image) * out.per_image + 7] += 100.0f;
        return true;
      },
      [&](const Logits& logits) { done.push_back(logits); });
  EXPECT_EQ(batches_asked, (std::vector<int>{0, 100, 200}));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].first_image, 100);
  ASSERT_EQ(done[0].images, 100);
  for (int i = 0; i < 100 * 10; ++i) {
    const float expected = golden.values[size_t(1000 + i)] + (i == 30 * 10 + 7 ? 100.0f : 0.0f);
    EXPECT_EQ(done[0].values[size_t(i)], expected) << "element " << i;
  }
}

// An edit in an early stage runs the later stages from the edited tensor; an edit that changes nothing
// stops the batch there; the cache is never changed.
TEST(Evaluator, EditedEarlyStageRunsTheRestAndLeavesTheCache) {
  const ImageSet images = test_images().slice(0, 64);
  Model model = Model::create("lenet5", 1);
  Evaluator evaluator(images, 32);
  evaluator.cache_prefix(model, std::size_t(1) << 30);
  const Logits golden = evaluator.logits(model);
  int calls = 0;
  std::vector<Logits> done;
  const auto collect = [&](const Logits& l) { done.push_back(l); };
  evaluator.run_edited(
      model, {0, 2}, [](int, int) { return true; },
      [&](const StageOutput&) {
        ++calls;
        return false;
      },
      collect);
  EXPECT_EQ(calls, 4);  // two stages in each of two batches
  EXPECT_TRUE(done.empty());
  evaluator.run_edited(
      model, {1}, [](int, int) { return true; },
      [&](const StageOutput& out) {
        for (int64_t i = 0; i < out.images * out.per_image; ++i) out.data[i] = 0.0f;
        return true;
      },
      collect);
  ASSERT_EQ(done.size(), 2u);
  // With conv2's outputs all zero, every image's logits are fc1 -> fc3 of zeros: the same for all.
  for (const Logits& l : done)
    for (int r = 0; r < l.images; ++r)
      for (int c = 0; c < 10; ++c) EXPECT_EQ(l.values[size_t(r * 10 + c)], done[0].values[size_t(c)]);
  EXPECT_NE(done[0].values, std::vector<float>(golden.values.begin(), golden.values.begin() + 320));
  const Logits again = evaluator.logits(model);
  EXPECT_EQ(again.values, golden.values);
  expect_same(evaluator.run(model, 2), evaluator.run(model, 0));
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
