#pragma once
// Helpers for the RTL tests: random layers and one-layer networks.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/quantized_network.h"

namespace npufi::test {

inline std::vector<int8_t> random_int8(std::mt19937& rng, size_t n, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = int8_t(d(rng));
  return v;
}

// Per-channel tables: multipliers in [2^30, 2^31), right shifts chosen so outputs land around the int8
// range, some of them far outside it (saturation); `bias_range` adds large offsets.
inline void random_tables(std::mt19937& rng, QuantizedLayer& L, int64_t K, int32_t bias_range) {
  const int cout = L.output.channels;
  std::uniform_int_distribution<int32_t> mult(1 << 30, 0x7fffffff);
  std::uniform_int_distribution<int32_t> bias(-bias_range, bias_range);
  // |acc| ~ 5500 sqrt(K) for uniform int8 operands; a right shift of log2(82 sqrt(K)) brings outputs to
  // about +-50, the jitter makes some channels saturate and others small.
  const int base = int(std::lround(std::log2(82.0 * std::sqrt(double(K)))));
  std::uniform_int_distribution<int> jitter(-2, 1);
  L.bias.resize(cout);
  L.multiplier.resize(cout);
  L.shift.resize(cout);
  for (int o = 0; o < cout; ++o) {
    L.bias[o] = bias(rng);
    L.multiplier[o] = mult(rng);
    L.shift[o] = -std::clamp(base + jitter(rng), 0, 31);
  }
}

inline QuantizedLayer random_conv(std::mt19937& rng, TensorShape in, int cout, int k, int stride, int pad,
                                  Activation act, int8_t threshold) {
  QuantizedLayer L;
  L.name = "conv";
  L.kind = LayerKind::conv2d;
  L.input = in;
  L.kernel = k;
  L.stride = stride;
  L.padding = pad;
  L.output = {cout, (in.height + 2 * pad - k) / stride + 1, (in.width + 2 * pad - k) / stride + 1};
  const int64_t K = int64_t(in.channels) * k * k;
  L.weights = random_int8(rng, size_t(cout * K));
  random_tables(rng, L, K, 20000);
  L.activation = act;
  L.clip_threshold = threshold;
  return L;
}

inline QuantizedLayer random_fc(std::mt19937& rng, TensorShape in, int cout, Activation act, int8_t threshold) {
  QuantizedLayer L;
  L.name = "fc";
  L.kind = LayerKind::fully_connected;
  L.input = in;
  L.output = {cout, 1, 1};
  L.weights = random_int8(rng, size_t(cout * in.size()));
  random_tables(rng, L, in.size(), 20000);
  L.activation = act;
  L.clip_threshold = threshold;
  return L;
}

inline QuantizedLayer max_pool_layer(TensorShape in) {
  QuantizedLayer L;
  L.name = "pool";
  L.kind = LayerKind::max_pool;
  L.input = in;
  L.kernel = 2;
  L.stride = 2;
  L.output = {in.channels, in.height / 2, in.width / 2};
  return L;
}

// A global average pool with one random requantization for the layer: a multiplier in [2^30, 2^31) and
// a right shift near log2(H x W), so results lie around the channel means, some saturating.
inline QuantizedLayer random_avg_pool(std::mt19937& rng, TensorShape in, Activation act, int8_t threshold) {
  QuantizedLayer L;
  L.name = "avg";
  L.kind = LayerKind::avg_pool;
  L.input = in;
  L.output = {in.channels, 1, 1};
  const int base = int(std::lround(std::log2(double(in.height) * in.width)));
  L.bias = {std::uniform_int_distribution<int32_t>(-50 * in.height * in.width, 50 * in.height * in.width)(rng)};
  L.multiplier = {std::uniform_int_distribution<int32_t>(1 << 30, 0x7fffffff)(rng)};
  L.shift = {-std::clamp(base + std::uniform_int_distribution<int>(-1, 1)(rng), 0, 31)};
  L.activation = act;
  L.clip_threshold = threshold;
  return L;
}

// An add of two tensors of `shape` read from `inputs`, with random rescales as TFLite's ADD makes them:
// each input by a factor in [1/8, 1/2) of the common scale, and back by about 2^-19.
inline QuantizedLayer random_add(std::mt19937& rng, TensorShape shape, std::vector<int> inputs, Activation act,
                                 int8_t threshold) {
  QuantizedLayer L;
  L.name = "add";
  L.kind = LayerKind::add;
  L.inputs = std::move(inputs);
  L.input = L.output = shape;
  std::uniform_int_distribution<int32_t> mult(1 << 30, 0x7fffffff);
  for (int k = 0; k < 2; ++k) {
    L.input_multiplier[k] = mult(rng);
    L.input_shift[k] = -std::uniform_int_distribution<int>(1, 3)(rng);
  }
  L.bias = {std::uniform_int_distribution<int32_t>(-(1 << 24), 1 << 24)(rng)};
  L.multiplier = {mult(rng)};
  L.shift = {-std::uniform_int_distribution<int>(17, 19)(rng)};
  L.activation = act;
  L.clip_threshold = threshold;
  return L;
}

inline QuantizedNetwork one_layer(const QuantizedLayer& L) {
  QuantizedNetwork n;
  n.arch = "test";
  n.input = L.input;
  n.layers = {L};
  return n;
}

}  // namespace npufi::test
