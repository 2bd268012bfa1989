#pragma once
// Runs a model over a fixed image set and reports top-1 results, optionally resuming from cached
// golden activations (prefix reuse).
#include <cstddef>
#include <cstdint>
#include <functional>
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

// Logits of consecutive images, `images` rows of `classes` floats; row r is image first_image + r of the
// evaluator's images.
struct Logits {
  int first_image = 0;
  int images = 0;
  int classes = 0;
  std::vector<float> values;
};

// One batch's output of one stage as plain memory, `images` rows of `per_image` floats (row r: image
// first_image + r), which an edit may change in place.
struct StageOutput {
  int stage = 0;
  int first_image = 0;
  int images = 0;
  int64_t per_image = 0;
  float* data = nullptr;
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

  // The logits of every image.
  Logits logits(Model& model) const;
  // Elements of one image's output of each stage.
  std::vector<int64_t> stage_output_elements(Model& model) const;
  // Runs the batches that `wanted(first_image, images)` selects with the outputs of `stages` (ascending)
  // edited: each batch starts from the deepest cached boundary at or before the first edited output, and
  // `edit` gets the output of each stage in `stages`. A batch that some edit changed (it returned true)
  // runs to the end and `done` gets its logits; the others stop after the last edit. Thread-safe for
  // distinct models.
  void run_edited(Model& model, const std::vector<int>& stages, const std::function<bool(int, int)>& wanted,
                  const std::function<bool(const StageOutput&)>& edit,
                  const std::function<void(const Logits&)>& done) const;

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
