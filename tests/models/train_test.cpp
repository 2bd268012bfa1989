#include "models/train.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace npufi {
namespace {

struct Trained {
  std::vector<float> weights;
  std::vector<EpochReport> reports;
  std::vector<int> progress;  // batches done at each progress call
};

Trained train_lenet5(uint64_t seed) {
  static const ImageSet train_set = load_fashion_mnist(Split::train).slice(0, 2000);
  static const ImageSet test_set = load_fashion_mnist(Split::test).slice(0, 1000);
  Model model = Model::create("lenet5", 1);
  Trained out;
  TrainOptions options;
  options.epochs = 1;
  options.seed = seed;
  options.batch_size = 16;  // 125 steps
  options.on_epoch = [&](const EpochReport& report) { out.reports.push_back(report); };
  options.on_progress = [&](int epoch, int done, int batches, double seconds) {
    EXPECT_EQ(epoch, 1);
    EXPECT_EQ(batches, 125);
    EXPECT_GE(seconds, 0.0);
    out.progress.push_back(done);
  };
  train(model, train_set, test_set, options);
  for (const Parameter& p : model.parameters()) out.weights.insert(out.weights.end(), p.data, p.data + p.numel);
  return out;
}

TEST(Train, OneEpochIsDeterministicAndLearns) {
  const Trained a = train_lenet5(11);
  const Trained b = train_lenet5(11);
  ASSERT_EQ(a.weights.size(), 61706u);
  EXPECT_EQ(std::memcmp(a.weights.data(), b.weights.data(), a.weights.size() * sizeof(float)), 0);

  ASSERT_EQ(a.reports.size(), 1u);
  const EpochReport& report = a.reports[0];
  EXPECT_EQ(report.epoch, 1);
  EXPECT_TRUE(std::isfinite(report.loss));
  EXPECT_LT(report.loss, std::log(10.0));  // below the loss of a uniform guess
  EXPECT_GT(report.train_accuracy, 0.4);
  EXPECT_GT(report.test_accuracy, 0.6);  // 0.72 when written; chance is 0.1
  EXPECT_GT(report.seconds, 0.0);
  EXPECT_EQ(report.test_accuracy, b.reports[0].test_accuracy);
  EXPECT_EQ(report.loss, b.reports[0].loss);

  // Progress after every tenth of the 125 batches, not after the last one.
  EXPECT_EQ(a.progress, (std::vector<int>{13, 25, 38, 50, 63, 75, 88, 100, 113}));

  // The seed drives the shuffle.
  EXPECT_NE(train_lenet5(12).weights, a.weights);
}

TEST(Train, RejectsTorchScriptAndTinySets) {
  Model script = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt");
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, 100);
  EXPECT_THROW(train(script, images, images, {}), ModelError);
  Model model = Model::create("lenet5", 1);
  TrainOptions options;
  options.batch_size = 200;
  EXPECT_THROW(train(model, images, images, options), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
