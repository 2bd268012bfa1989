#pragma once
// The bit-exact C++ oracle for the NPU: every operation of models/quantized_network.h in plain integer
// arithmetic, written from the definitions there, independently of the RTL.
#include <cstdint>
#include <vector>

#include "models/quantized_network.h"

namespace npufi {

// TFLite's fixed-point primitives.
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int32_t rounding_divide_by_pot(int32_t x, int exponent);
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);

// One layer on a CHW int8 tensor of layer.input's shape; returns layer.output's shape.
std::vector<int8_t> run_layer(const QuantizedLayer& layer, const std::vector<int8_t>& input);
// An add layer on its two inputs.
std::vector<int8_t> run_layer(const QuantizedLayer& layer, const std::vector<int8_t>& a, const std::vector<int8_t>& b);
// Layer `index` of the network on what it reads: the network input and the outputs of earlier layers
// (outputs[j] for every j < index that it reads).
std::vector<int8_t> run_network_layer(const QuantizedNetwork& network, size_t index, const std::vector<int8_t>& input,
                                      const std::vector<std::vector<int8_t>>& outputs);

// Every layer's output for one input (CHW int8); the last is the logits.
std::vector<std::vector<int8_t>> run_network(const QuantizedNetwork& network, const std::vector<int8_t>& input);

// Index of the largest logit, the lowest index on ties.
int top1(const std::vector<int8_t>& logits);

}  // namespace npufi
