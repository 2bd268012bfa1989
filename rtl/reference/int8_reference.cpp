#include "rtl/reference/int8_reference.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace npufi {

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  // The only product whose doubled high half does not fit: (-1) x (-1) in Q31 is +1.
  if (a == std::numeric_limits<int32_t>::min() && b == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  // The nearest integer to a*b / 2^31, ties toward +infinity (an arithmetic shift floors).
  const int64_t product = int64_t(a) * int64_t(b);
  return int32_t((product + (int64_t(1) << 30)) >> 31);
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent < 0 || exponent > 31) {
    throw std::invalid_argument("rounding_divide_by_pot: exponent " + std::to_string(exponent) + " outside 0..31");
  }
  if (exponent == 0) return x;
  // The nearest integer to x / 2^exponent, ties away from zero: round the magnitude half up.
  const int64_t magnitude = x < 0 ? -int64_t(x) : int64_t(x);
  const int64_t rounded = (magnitude + (int64_t(1) << (exponent - 1))) >> exponent;
  return int32_t(x < 0 ? -rounded : rounded);
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  if (shift < -31 || shift > 31) {
    throw std::invalid_argument("multiply_by_quantized_multiplier: shift " + std::to_string(shift) +
                                " outside -31..31");
  }
  // A left shift keeps the low 32 bits, as a 32-bit hardware shifter does.
  const int32_t shifted = int32_t(uint32_t(x) << std::max(shift, 0));
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), std::max(-shift, 0));
}

namespace {

// Requantization, activation and clamp of one accumulator of output channel o.
int8_t output_unit(const QuantizedLayer& layer, int o, int32_t acc) {
  const int32_t scaled = multiply_by_quantized_multiplier(acc, layer.multiplier[size_t(o)], layer.shift[size_t(o)]);
  const int32_t threshold = layer.clip_threshold;
  int32_t act = scaled;
  switch (layer.activation) {
    case Activation::none: break;
    case Activation::relu: act = std::max(scaled, 0); break;
    case Activation::clip_saturate: act = std::min(std::max(scaled, 0), threshold); break;
    case Activation::clip_to_zero: act = scaled > threshold ? 0 : std::max(scaled, 0); break;
  }
  return int8_t(std::clamp(act, -128, 127));
}

[[noreturn]] void malformed(const QuantizedLayer& layer, const std::string& what) {
  throw std::invalid_argument("layer " + layer.name + ": " + what);
}

void check_size(const QuantizedLayer& layer, const char* what, size_t actual, int64_t expected) {
  if (int64_t(actual) != expected) {
    malformed(layer, std::string(what) + " has " + std::to_string(actual) + " elements, expected " +
                         std::to_string(expected));
  }
}

// bias + sum of products in a 32-bit accumulator: keeps the low 32 bits.
int32_t accumulate(int32_t bias, int32_t products) { return int32_t(uint32_t(bias) + uint32_t(products)); }

// Below this fan-in a sum of int8 x int8 products fits in int32 (|product| <= 2^14), so the products can be
// summed first and the bias added with wrap-around, which equals accumulating everything in 32 bits.
constexpr int64_t kMaxFanIn = (int64_t(1) << 17) - 1;

// Per-output-channel tables and weights must match the shapes.
void check_tables(const QuantizedLayer& layer, int64_t weights_per_output) {
  if (weights_per_output > kMaxFanIn) malformed(layer, "more than 131071 inputs per output");
  const int outputs = layer.output.channels;
  check_size(layer, "weights", layer.weights.size(), outputs * weights_per_output);
  check_size(layer, "bias", layer.bias.size(), outputs);
  check_size(layer, "multiplier", layer.multiplier.size(), outputs);
  check_size(layer, "shift", layer.shift.size(), outputs);
}

// Output size of a window of `kernel` sliding by `stride` over `size` padded by `padding` on each side.
int window_count(int size, int kernel, int stride, int padding) {
  const int room = size + 2 * padding - kernel;
  return room < 0 ? 0 : room / stride + 1;
}

void check_output_shape(const QuantizedLayer& layer, const TensorShape& expected) {
  if (!(layer.output == expected)) malformed(layer, "output shape does not follow from the input shape");
}

// First x in [0, count) with 0 <= x * stride + offset, and one past the last with x * stride + offset < size.
int first_inside(int offset, int stride) { return offset >= 0 ? 0 : (-offset + stride - 1) / stride; }
int end_inside(int offset, int stride, int size, int count) {
  return size - 1 - offset < 0 ? 0 : std::min(count, (size - 1 - offset) / stride + 1);
}

std::vector<int8_t> conv2d(const QuantizedLayer& layer, const std::vector<int8_t>& input) {
  const TensorShape& in = layer.input;
  const TensorShape& out = layer.output;
  const int k = layer.kernel;
  const int stride = layer.stride;
  const int pad = layer.padding;
  if (k < 1 || stride < 1 || pad < 0) malformed(layer, "kernel, stride or padding out of range");
  check_output_shape(layer, {out.channels, window_count(in.height, k, stride, pad), window_count(in.width, k, stride, pad)});
  check_tables(layer, int64_t(in.channels) * k * k);

  std::vector<int8_t> output(size_t(out.size()));
  std::vector<int32_t> sums(size_t(out.height) * out.width);
  for (int o = 0; o < out.channels; ++o) {
    // Every weight visits the inputs it meets; positions in the zero padding add nothing.
    std::fill(sums.begin(), sums.end(), 0);
    for (int c = 0; c < in.channels; ++c) {
      const int8_t* plane = input.data() + size_t(c) * in.height * in.width;
      const int8_t* kernel = layer.weights.data() + (size_t(o) * in.channels + c) * k * k;
      for (int ky = 0; ky < k; ++ky) {
        const int y_begin = first_inside(ky - pad, stride);
        const int y_end = end_inside(ky - pad, stride, in.height, out.height);
        for (int kx = 0; kx < k; ++kx) {
          const int32_t w = kernel[ky * k + kx];
          const int x_begin = first_inside(kx - pad, stride);
          const int x_end = end_inside(kx - pad, stride, in.width, out.width);
          for (int y = y_begin; y < y_end; ++y) {
            const int8_t* row = plane + (y * stride + ky - pad) * in.width;
            int32_t* sum = sums.data() + size_t(y) * out.width;
            for (int x = x_begin; x < x_end; ++x) sum[x] += w * row[x * stride + kx - pad];
          }
        }
      }
    }
    int8_t* dst = output.data() + size_t(o) * out.height * out.width;
    for (size_t i = 0; i < sums.size(); ++i) dst[i] = output_unit(layer, o, accumulate(layer.bias[size_t(o)], sums[i]));
  }
  return output;
}

std::vector<int8_t> fully_connected(const QuantizedLayer& layer, const std::vector<int8_t>& input) {
  check_output_shape(layer, {layer.output.channels, 1, 1});
  const int64_t n = layer.input.size();
  check_tables(layer, n);
  std::vector<int8_t> output(size_t(layer.output.channels));
  for (int o = 0; o < layer.output.channels; ++o) {
    const int8_t* row = layer.weights.data() + size_t(o) * size_t(n);
    int32_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += int32_t(row[i]) * input[size_t(i)];
    output[size_t(o)] = output_unit(layer, o, accumulate(layer.bias[size_t(o)], sum));
  }
  return output;
}

std::vector<int8_t> max_pool(const QuantizedLayer& layer, const std::vector<int8_t>& input) {
  const TensorShape& in = layer.input;
  const TensorShape& out = layer.output;
  const int k = layer.kernel;
  const int stride = layer.stride;
  if (k < 1 || stride < 1) malformed(layer, "kernel or stride out of range");
  check_output_shape(layer, {in.channels, window_count(in.height, k, stride, 0), window_count(in.width, k, stride, 0)});
  std::vector<int8_t> output(size_t(out.size()));
  for (int c = 0; c < out.channels; ++c) {
    const int8_t* plane = input.data() + size_t(c) * in.height * in.width;
    for (int y = 0; y < out.height; ++y) {
      for (int x = 0; x < out.width; ++x) {
        int8_t best = -128;
        for (int ky = 0; ky < k; ++ky) {
          for (int kx = 0; kx < k; ++kx) best = std::max(best, plane[(y * stride + ky) * in.width + x * stride + kx]);
        }
        output[(size_t(c) * out.height + y) * out.width + x] = best;
      }
    }
  }
  return output;
}

// avg_pool and add requantize with one set of output parameters for every channel.
void check_layer_tables(const QuantizedLayer& layer) {
  check_size(layer, "bias", layer.bias.size(), 1);
  check_size(layer, "multiplier", layer.multiplier.size(), 1);
  check_size(layer, "shift", layer.shift.size(), 1);
}

std::vector<int8_t> avg_pool(const QuantizedLayer& layer, const std::vector<int8_t>& input) {
  check_output_shape(layer, {layer.input.channels, 1, 1});
  check_layer_tables(layer);
  const int64_t plane = int64_t(layer.input.height) * layer.input.width;
  if (plane > kMaxFanIn) malformed(layer, "more than 131071 inputs per output");
  std::vector<int8_t> output(size_t(layer.output.channels));
  for (int c = 0; c < layer.output.channels; ++c) {
    int32_t sum = 0;
    for (int64_t i = 0; i < plane; ++i) sum += input[size_t(c * plane + i)];
    output[size_t(c)] = output_unit(layer, 0, accumulate(layer.bias[0], sum));
  }
  return output;
}

std::vector<int8_t> add(const QuantizedLayer& layer, const std::vector<int8_t>& a, const std::vector<int8_t>& b) {
  check_output_shape(layer, layer.input);
  check_layer_tables(layer);
  const auto rescale = [&](int8_t v, int k) {
    return multiply_by_quantized_multiplier(int32_t(v) * (1 << kAddLeftShift), layer.input_multiplier[k], layer.input_shift[k]);
  };
  std::vector<int8_t> output(a.size());
  for (size_t i = 0; i < a.size(); ++i)
    output[i] = output_unit(layer, 0, accumulate(layer.bias[0], int32_t(uint32_t(rescale(a[i], 0)) + uint32_t(rescale(b[i], 1)))));
  return output;
}

}  // namespace

std::vector<int8_t> run_layer(const QuantizedLayer& layer, const std::vector<int8_t>& input) {
  check_size(layer, "input", input.size(), layer.input.size());
  switch (layer.kind) {
    case LayerKind::conv2d: return conv2d(layer, input);
    case LayerKind::fully_connected: return fully_connected(layer, input);
    case LayerKind::max_pool: return max_pool(layer, input);
    case LayerKind::avg_pool: return avg_pool(layer, input);
    case LayerKind::add: malformed(layer, "an add takes two inputs");
  }
  malformed(layer, "unknown layer kind");
}

std::vector<int8_t> run_layer(const QuantizedLayer& layer, const std::vector<int8_t>& a, const std::vector<int8_t>& b) {
  if (layer.kind != LayerKind::add) malformed(layer, "only an add takes two inputs");
  check_size(layer, "first input", a.size(), layer.input.size());
  check_size(layer, "second input", b.size(), layer.input.size());
  return add(layer, a, b);
}

std::vector<int8_t> run_network_layer(const QuantizedNetwork& network, size_t index, const std::vector<int8_t>& input,
                                      const std::vector<std::vector<int8_t>>& outputs) {
  const QuantizedLayer& layer = network.layers[index];
  const std::vector<int> sources = layer_inputs(layer, index);
  std::vector<const std::vector<int8_t>*> x;
  for (int s : sources) {
    if (s < kNetworkInput || s >= int(index)) malformed(layer, "reads layer " + std::to_string(s) + ", which does not come before it");
    x.push_back(s == kNetworkInput ? &input : &outputs[size_t(s)]);
  }
  if (x.size() != (layer.kind == LayerKind::add ? 2u : 1u))
    malformed(layer, "reads " + std::to_string(x.size()) + " tensors");
  return x.size() == 2 ? run_layer(layer, *x[0], *x[1]) : run_layer(layer, *x[0]);
}

std::vector<std::vector<int8_t>> run_network(const QuantizedNetwork& network, const std::vector<int8_t>& input) {
  std::vector<std::vector<int8_t>> outputs;
  outputs.reserve(network.layers.size());
  for (size_t i = 0; i < network.layers.size(); ++i) outputs.push_back(run_network_layer(network, i, input, outputs));
  return outputs;
}

int top1(const std::vector<int8_t>& logits) {
  return int(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

}  // namespace npufi
