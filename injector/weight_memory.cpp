#include "injector/weight_memory.h"

namespace npufi {

namespace {

int64_t channel_count(const Parameter& p) { return p.shape.size() >= 2 ? p.shape[0] : 1; }

std::vector<float> int8_channel_scales(const Parameter& p) {
  const int64_t channels = channel_count(p);
  const int64_t per_channel = channels ? p.numel / channels : 0;
  std::vector<float> scales(channels);
  for (int64_t c = 0; c < channels; ++c) scales[c] = int8_scale(p.data + c * per_channel, per_channel);
  return scales;
}

}  // namespace

WeightMemory::WeightMemory(std::vector<Parameter> tensors, NumberFormat format)
    : tensors_(std::move(tensors)), format_(format) {
  if (format_ == NumberFormat::int8) {
    for (const Parameter& p : tensors_) int8_scales_.push_back(int8_channel_scales(p));
  }
  if (format_ == NumberFormat::fp32) return;
  for (uint32_t t = 0; t < tensors_.size(); ++t) {
    for (int64_t i = 0; i < tensors_[t].numel; ++i) write(t, i, read(t, i));
  }
}

float WeightMemory::scale(uint32_t tensor, int64_t index) const {
  const Parameter& p = tensors_[tensor];
  const int64_t per_channel = p.numel / channel_count(p);
  return int8_scales_[tensor][index / per_channel];
}

uint32_t WeightMemory::read(uint32_t tensor, int64_t index) const {
  return encode(tensors_[tensor].data[index], format_, format_ == NumberFormat::int8 ? scale(tensor, index) : 1.0f);
}

void WeightMemory::write(uint32_t tensor, int64_t index, uint32_t code) {
  tensors_[tensor].data[index] = decode(code, format_, format_ == NumberFormat::int8 ? scale(tensor, index) : 1.0f);
}

}  // namespace npufi
