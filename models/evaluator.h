#pragma once
// Runs a model over a fixed image set and reports top-1 results, optionally resuming from cached
// golden activations (prefix reuse).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/dataset.h"
#include "models/model.h"

namespace npufi {

struct EvalResult {
  int images = 0;
  int correct = 0;
  std::vector<uint8_t> top1;  // predicted class per image
  double accuracy() const { return images ? double(correct) / images : 0.0; }
};

class Evaluator {
 public:
  // Converts the images to batches of float tensors in [0, 1] once.
  Evaluator(const ImageSet& images, int batch_size = 100);
  Evaluator(const Evaluator&);  // shares the input batches, copies the cache handles
  ~Evaluator();

  // Runs every image through `model`. When the caller knows that stages before `first_stage` compute
  // exactly what the cached model computed, the deepest cached boundary <= first_stage is used as input.
  // Thread-safe for distinct models.
  EvalResult run(Model& model, int first_stage = 0) const;

  // Caches `model`'s activations at stage boundaries, deepest first, while they fit in budget_bytes.
  // Replaces any earlier cache.
  void cache_prefix(Model& model, std::size_t budget_bytes);
  std::size_t cache_bytes() const;
  // Stage boundaries held in the cache (boundary s = input of stage s).
  std::vector<int> cached_boundaries() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace npufi
