#pragma once
// Deterministic training of zoo networks on Fashion-MNIST.
#include <cstdint>
#include <functional>

#include "models/dataset.h"
#include "models/model.h"

namespace npufi {

struct EpochReport {
  int epoch = 0;            // 1-based
  double loss = 0;          // mean training loss
  double train_accuracy = 0;
  double test_accuracy = 0;
  double seconds = 0;
};

struct TrainOptions {
  int epochs = 5;
  uint64_t seed = 1;
  int batch_size = 64;
  double learning_rate = 0.0;  // 0: the architecture's default
  std::function<void(const EpochReport&)> on_epoch;
  // Called after every tenth of an epoch's batches: epoch (1-based), batches done, batches per epoch,
  // seconds since the epoch started.
  std::function<void(int epoch, int done, int batches, double seconds)> on_progress;
};

// Trains in place. The same seed and thread count give bit-identical weights.
void train(Model& model, const ImageSet& train_set, const ImageSet& test_set, const TrainOptions& options);

}  // namespace npufi
