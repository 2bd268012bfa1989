#pragma once
// Private: images as LibTorch tensors, the one conversion the evaluator and training share.
#include <torch/torch.h>

#include "models/dataset.h"

namespace npufi {

// All images as an 8-bit tensor [count, 1, rows, cols] (a copy).
inline torch::Tensor pixel_tensor(const ImageSet& set) {
  return torch::tensor(set.pixels, torch::kUInt8).reshape({set.count, 1, set.rows, set.cols});
}

// 8-bit pixels as the network input: float in [0, 1].
inline torch::Tensor to_input(const torch::Tensor& pixels) { return pixels.to(torch::kFloat).div_(255); }

}  // namespace npufi
