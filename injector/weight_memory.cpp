#include "injector/weight_memory.h"

#include <algorithm>
#include <cmath>

namespace npufi {

namespace {

int64_t channel_count(const Parameter& p) { return p.shape.size() >= 2 ? p.shape[0] : 1; }

std::vector<float> int8_channel_scales(const Parameter& p) {
  const int64_t channels = channel_count(p);
  const int64_t per_channel = channels ? p.numel / channels : 0;
  std::vector<float> scales(channels);
  for (int64_t c = 0; c < channels; ++c) {
    float max_abs = 0.0f;
    for (int64_t i = c * per_channel; i < (c + 1) * per_channel; ++i) {
      max_abs = std::max(max_abs, std::fabs(p.data[i]));
    }
    scales[c] = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;  // an all-zero channel: any scale codes it
  }
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
  const float value = tensors_[tensor].data[index];
  switch (format_) {
    case NumberFormat::fp32: return fp32_bits(value);
    case NumberFormat::fp16: return fp16_bits(value);
    case NumberFormat::bf16: return bf16_bits(value);
    case NumberFormat::int8: {
      const float code = std::clamp(std::nearbyint(value / scale(tensor, index)), -128.0f, 127.0f);
      return uint32_t(int32_t(code)) & 0xffu;
    }
  }
  return 0;
}

void WeightMemory::write(uint32_t tensor, int64_t index, uint32_t code) {
  float& value = tensors_[tensor].data[index];
  switch (format_) {
    case NumberFormat::fp32: value = fp32_from_bits(code); break;
    case NumberFormat::fp16: value = fp16_to_fp32(uint16_t(code)); break;
    case NumberFormat::bf16: value = bf16_to_fp32(uint16_t(code)); break;
    case NumberFormat::int8: value = float(int8_t(uint8_t(code))) * scale(tensor, index); break;
  }
}

}  // namespace npufi
