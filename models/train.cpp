#include "models/train.h"

#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "models/evaluator.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"

namespace npufi {
namespace {

// Fisher-Yates with our own index draw, so the order depends on the seed only (not on the C++ library).
void shuffle(std::vector<int64_t>& order, std::mt19937_64& rng) {
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void train(Model& model, const ImageSet& train_set, const ImageSet& test_set, const TrainOptions& options) {
  Model::Impl& net = model.impl();
  if (!net.zoo) throw ModelError("only zoo networks can be trained, not " + model.arch());
  if (options.batch_size < 1 || train_set.count < options.batch_size) {
    throw std::invalid_argument("train: need at least one batch of " + std::to_string(options.batch_size) +
                                " images, have " + std::to_string(train_set.count));
  }

  torch::manual_seed(options.seed);  // dropout masks
  std::vector<torch::Tensor> parameters;
  for (const auto& [name, tensor] : net.named_parameters()) parameters.push_back(tensor);
  const double learning_rate =
      options.learning_rate > 0 ? options.learning_rate : default_learning_rate(model.arch());
  torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(learning_rate).momentum(0.9));

  const torch::Tensor pixels = pixel_tensor(train_set);
  const torch::Tensor labels = torch::tensor(train_set.labels, torch::kUInt8).to(torch::kLong);
  const Evaluator test(test_set);
  std::mt19937_64 rng(options.seed);
  std::vector<int64_t> order(size_t(train_set.count));
  std::iota(order.begin(), order.end(), 0);
  // Whole batches only (the last partial one is dropped), so batch norm never sees a single image.
  const int batches = train_set.count / options.batch_size;
  const int images = batches * options.batch_size;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    shuffle(order, rng);
    net.set_training(true);
    double loss_sum = 0;
    int64_t correct = 0;
    for (int b = 0; b < batches; ++b) {
      // Cosine decay from the base rate to 0 over all steps.
      const double progress = double((epoch - 1) * batches + b) / double(options.epochs * batches);
      optimizer.param_groups()[0].options().set_lr(learning_rate * 0.5 * (1 + std::cos(M_PI * progress)));
      const torch::Tensor index =
          torch::from_blob(order.data() + ptrdiff_t(b) * options.batch_size, {options.batch_size}, torch::kLong);
      const torch::Tensor target = labels.index_select(0, index);
      optimizer.zero_grad();
      const torch::Tensor logits = net.forward(to_input(pixels.index_select(0, index), train_set.preprocessing));
      const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, target);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * options.batch_size;
      correct += logits.argmax(1).eq(target).sum().item<int64_t>();
      const int done = b + 1;
      if (options.on_progress && done < batches && done * 10 / batches != b * 10 / batches) {
        options.on_progress(epoch, done, batches, seconds_since(start));
      }
    }
    net.set_training(false);

    EpochReport report;
    report.epoch = epoch;
    report.loss = loss_sum / images;
    report.train_accuracy = double(correct) / images;
    report.test_accuracy = test.run(model).accuracy();
    report.seconds = seconds_since(start);
    if (options.on_epoch) options.on_epoch(report);
  }
}

}  // namespace npufi
