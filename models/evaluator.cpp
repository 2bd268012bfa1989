#include "models/evaluator.h"

#include <map>

#include "models/image_tensor.h"
#include "models/model_impl.h"

namespace npufi {

struct Evaluator::Impl {
  std::vector<torch::Tensor> batches;  // float inputs [B, 1, 28, 28]
  std::vector<uint8_t> labels;
  // Activations of `cache_arch` at stage boundary s, one tensor per batch.
  std::string cache_arch;
  std::map<int, std::vector<torch::Tensor>> cache;
};

Evaluator::Evaluator(const ImageSet& images, int batch_size) : impl_(std::make_unique<Impl>()) {
  if (batch_size < 1) throw std::invalid_argument("Evaluator: batch size must be >= 1");
  const torch::Tensor pixels = pixel_tensor(images);
  for (int begin = 0; begin < images.count; begin += batch_size) {
    impl_->batches.push_back(to_input(pixels.slice(0, begin, std::min(begin + batch_size, images.count)), images.preprocessing));
  }
  impl_->labels = images.labels;
}

Evaluator::Evaluator(const Evaluator& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}

Evaluator::~Evaluator() = default;

EvalResult Evaluator::run(Model& model, int first_stage) const {
  torch::InferenceMode inference;
  Model::Impl& net = model.impl();
  net.set_training(false);

  // Start from the deepest cached boundary <= first_stage, or from the images.
  int start = 0;
  const std::vector<torch::Tensor>* inputs = &impl_->batches;
  if (model.arch() == impl_->cache_arch) {
    auto it = impl_->cache.upper_bound(first_stage);
    if (it != impl_->cache.begin()) {
      --it;
      start = it->first;
      inputs = &it->second;
    }
  }

  EvalResult result;
  result.images = int(impl_->labels.size());
  result.top1.reserve(impl_->labels.size());
  for (const torch::Tensor& input : *inputs) {
    const torch::Tensor top1 = net.forward(input, start).argmax(1).to(torch::kUInt8);
    const uint8_t* data = top1.data_ptr<uint8_t>();
    result.top1.insert(result.top1.end(), data, data + top1.numel());
  }
  for (size_t i = 0; i < impl_->labels.size(); ++i) result.correct += result.top1[i] == impl_->labels[i];
  return result;
}

void Evaluator::cache_prefix(Model& model, std::size_t budget_bytes) {
  impl_->cache.clear();
  impl_->cache_arch = model.arch();
  const int stages = model.stage_count();
  if (stages < 2 || impl_->batches.empty()) return;

  torch::InferenceMode inference;
  Model::Impl& net = model.impl();
  net.set_training(false);

  // Bytes each boundary takes for all images, scaled up from the first batch.
  const double scale = double(impl_->labels.size()) / double(impl_->batches[0].size(0));
  std::vector<std::size_t> bytes(size_t(stages), 0);
  torch::Tensor x = impl_->batches[0];
  for (int s = 1; s < stages; ++s) {
    x = net.forward_stage(x, s - 1);
    bytes[size_t(s)] = std::size_t(double(x.nbytes()) * scale);
  }

  // Deepest boundaries first: they save the most work for faults in late stages.
  std::vector<bool> keep(size_t(stages), false);
  int deepest = 0;
  std::size_t used = 0;
  for (int s = stages - 1; s >= 1; --s) {
    if (used + bytes[size_t(s)] > budget_bytes) continue;
    used += bytes[size_t(s)];
    keep[size_t(s)] = true;
    deepest = std::max(deepest, s);
  }

  for (const torch::Tensor& input : impl_->batches) {
    torch::Tensor activation = input;
    for (int s = 1; s <= deepest; ++s) {
      activation = net.forward_stage(activation, s - 1);
      if (keep[size_t(s)]) impl_->cache[s].push_back(activation);
    }
  }
}

std::size_t Evaluator::cache_bytes() const {
  std::size_t total = 0;
  for (const auto& [boundary, batches] : impl_->cache) {
    for (const torch::Tensor& t : batches) total += t.nbytes();
  }
  return total;
}

std::vector<int> Evaluator::cached_boundaries() const {
  std::vector<int> boundaries;
  for (const auto& [boundary, batches] : impl_->cache) boundaries.push_back(boundary);
  return boundaries;
}

}  // namespace npufi
