#include "models/evaluator.h"

#include <map>
#include <utility>

#include "models/image_tensor.h"
#include "models/model_impl.h"

namespace npufi {

struct Evaluator::Impl {
  std::vector<torch::Tensor> batches;  // float inputs [B, C, H, W]
  std::vector<uint8_t> labels;
  // Activations of `cache_arch` at stage boundary s, one tensor per batch.
  std::string cache_arch;
  std::map<int, std::vector<torch::Tensor>> cache;

  // The deepest cached boundary <= boundary for `model` and its batches, or the images (boundary 0).
  std::pair<int, const std::vector<torch::Tensor>*> start(const Model& model, int boundary) const {
    if (model.arch() == cache_arch) {
      auto it = cache.upper_bound(boundary);
      if (it != cache.begin()) {
        --it;
        return {it->first, &it->second};
      }
    }
    return {0, &batches};
  }
};

namespace {

Logits logits_of(const torch::Tensor& output, int first_image) {
  const torch::Tensor values = output.contiguous();
  Logits logits{first_image, int(values.size(0)), int(values.size(1)), {}};
  logits.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  return logits;
}

}  // namespace

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

  const auto [start, inputs] = impl_->start(model, first_stage);

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

Logits Evaluator::logits(Model& model) const {
  torch::InferenceMode inference;
  Model::Impl& net = model.impl();
  net.set_training(false);
  Logits all;
  for (const torch::Tensor& input : impl_->batches) {
    const Logits batch = logits_of(net.forward(input), all.images);
    all.images += batch.images;
    all.classes = batch.classes;
    all.values.insert(all.values.end(), batch.values.begin(), batch.values.end());
  }
  return all;
}

std::vector<int64_t> Evaluator::stage_output_elements(Model& model) const {
  torch::InferenceMode inference;
  Model::Impl& net = model.impl();
  net.set_training(false);
  std::vector<int64_t> elements;
  torch::Tensor x = impl_->batches.at(0).slice(0, 0, 1);
  for (int s = 0; s < net.stage_count(); ++s) {
    x = net.forward_stage(x, s);
    elements.push_back(x.numel());
  }
  return elements;
}

void Evaluator::run_edited(Model& model, const std::vector<int>& stages, const std::function<bool(int, int)>& wanted,
                           const std::function<bool(const StageOutput&)>& edit,
                           const std::function<void(const Logits&)>& done) const {
  if (stages.empty()) return;
  torch::InferenceMode inference;
  Model::Impl& net = model.impl();
  net.set_training(false);
  // Boundary s + 1 holds the output of stage s.
  const auto [start, inputs] = impl_->start(model, stages.front() + 1);
  int first_image = 0;
  for (const torch::Tensor& input : *inputs) {
    const int images = int(input.size(0));
    if (wanted(first_image, images)) {
      torch::Tensor x = input;
      bool changed = false;
      size_t next = 0;  // the next stage in `stages` to edit
      for (int s = start - 1; s < net.stage_count() && (changed || next < stages.size()); ++s) {
        if (s >= start) x = net.forward_stage(x, s);
        if (next < stages.size() && stages[next] == s) {
          x = x.contiguous().clone();  // never the cache's tensor, nor a view of a stage's input
          changed |= edit({s, first_image, images, x.numel() / images, x.data_ptr<float>()});
          ++next;
        }
      }
      if (changed) done(logits_of(x, first_image));
    }
    first_image += images;
  }
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
