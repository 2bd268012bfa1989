#pragma once
// A model's weight memory in one number format. Constructing it rounds every parameter to the format
// in place, so the fault-free model computes with exactly the stored values; faults then edit stored
// codes, and the model computes with the decoded faulty values.
//
// int8: symmetric quantization, per output channel (dim 0) for tensors of rank >= 2 and per tensor for
// vectors (biases, norm scales): scale = max|w| / 127, code = round(w / scale) in [-127, 127]. A faulty
// code may read -128.
#include <cstdint>
#include <vector>

#include "injector/number_format.h"
#include "models/parameter.h"

namespace npufi {

class WeightMemory {
 public:
  WeightMemory(std::vector<Parameter> tensors, NumberFormat format);

  NumberFormat format() const { return format_; }
  const std::vector<Parameter>& tensors() const { return tensors_; }

  // The stored word holding element `index` of tensor `tensor`, in the low bit_width(format) bits.
  uint32_t read(uint32_t tensor, int64_t index) const;
  // Stores `code`: the model sees its decoded value.
  void write(uint32_t tensor, int64_t index, uint32_t code);

 private:
  float scale(uint32_t tensor, int64_t index) const;

  std::vector<Parameter> tensors_;
  NumberFormat format_;
  std::vector<std::vector<float>> int8_scales_;  // per tensor, per channel (int8 only)
};

}  // namespace npufi
