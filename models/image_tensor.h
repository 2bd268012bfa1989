#pragma once
// Private: images as LibTorch tensors, the one conversion the evaluator and training share.
#include <torch/torch.h>

#include "models/dataset.h"

namespace npufi {

// All images as stored: an 8-bit or a float tensor [count, channels, rows, cols] (a copy).
inline torch::Tensor pixel_tensor(const ImageSet& set) {
  const std::vector<int64_t> shape{set.count, set.channels, set.rows, set.cols};
  if (!set.values.empty()) return torch::tensor(set.values, torch::kFloat).reshape(shape);
  return torch::tensor(set.pixels, torch::kUInt8).reshape(shape);
}

// Stored values as the network input (models/dataset.h, Preprocessing); 8-bit pixels by default in [0, 1].
inline torch::Tensor to_input(const torch::Tensor& stored, const Preprocessing& p) {
  torch::Tensor x = stored.to(torch::kFloat);
  if (!p.channel_order.empty())
    x = x.index_select(1, torch::tensor(std::vector<int64_t>(p.channel_order.begin(), p.channel_order.end())));
  x.div_(p.scale);
  const auto per_channel = [&](const std::vector<double>& v) {
    return torch::tensor(std::vector<float>(v.begin(), v.end())).view({1, int64_t(v.size()), 1, 1});
  };
  if (!p.mean.empty()) x.sub_(per_channel(p.mean));
  if (!p.std.empty()) x.div_(per_channel(p.std));
  return x;
}

}  // namespace npufi
