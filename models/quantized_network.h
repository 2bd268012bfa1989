#pragma once
// An int8 network as the NPU runs it: plain data, no LibTorch. Produced by post-training quantization
// (models/quantize.h), executed by the C++ reference (rtl/reference) and compiled for the NPU (rtl/).
//
// Arithmetic (TFLite's reference kernels, symmetric: every zero point is 0):
//   acc    = bias[o] + sum(weight * input)                       int32, inputs and weights int8
//   scaled = MultiplyByQuantizedMultiplier(acc, multiplier[o], shift[o])
//            = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc << max(shift, 0), multiplier),
//                                  max(-shift, 0))
//   act    = none: scaled; relu: max(scaled, 0); clip_saturate: min(max(scaled, 0), T);
//            clip_to_zero: scaled > T ? 0 : max(scaled, 0)          (T = clip_threshold)
//   output = clamp(act, -128, 127)
// acc and acc << shift wrap to 32 bits (keep the low 32 bits), as 32-bit hardware adders and shifters do.
// Max-pool 2x2 stride 2 takes the largest int8 of each window (odd edges are dropped).
// Global average pool: acc = bias[0] + sum of the channel's H x W int8 values, then the output stage above
//   with multiplier[0], shift[0] (TFLite's MEAN: the multiplier holds input scale / (H x W x output scale)).
// Add (TFLite's ADD, left shift 20): a' = MultiplyByQuantizedMultiplier(a << 20, input_multiplier[0],
//   input_shift[0]), b' likewise with [1]; acc = bias[0] + a' + b'; then the output stage with
//   multiplier[0], shift[0]. The input multipliers bring both inputs to 2 x max(input scales) / 2^20.
// Tensors are CHW; a fully connected layer reads its input flattened in CHW order.
// A layer reads the output of the layer before it, or of the layers named in `inputs` (a residual add
// reads two; a shortcut convolution reads a block's input): the network is a graph in execution order.
#include <cstdint>
#include <string>
#include <vector>

#include "models/dataset.h"

namespace npufi {

enum class LayerKind { conv2d, fully_connected, max_pool, avg_pool, add };
enum class Activation { none, relu, clip_saturate, clip_to_zero };

struct TensorShape {
  int channels = 0;
  int height = 1;
  int width = 1;
  int64_t size() const { return int64_t(channels) * height * width; }
  friend bool operator==(const TensorShape&, const TensorShape&) = default;
};

// The index of the network input among a layer's `inputs`.
inline constexpr int kNetworkInput = -1;
// TFLite's left shift of both inputs of an int8 add, before their rescale.
inline constexpr int kAddLeftShift = 20;

struct QuantizedLayer {
  std::string name;  // the zoo stage it came from, e.g. "conv1"
  LayerKind kind = LayerKind::conv2d;
  std::vector<int> inputs;  // earlier layers (or kNetworkInput) it reads; empty: the layer before it
  TensorShape input;        // add: the shape of both inputs
  TensorShape output;
  int kernel = 1;   // conv: kernel x kernel; max_pool: 2
  int stride = 1;
  int padding = 0;  // zero padding on every side (conv)
  std::vector<int8_t> weights;      // conv: [out][in][k][k]; fully connected: [out][in]
  std::vector<int32_t> bias;        // [out] (avg_pool, add: [1]), in accumulator units
  std::vector<int32_t> multiplier;  // [out] (avg_pool, add: [1]), Q31, in [2^30, 2^31) or 0
  std::vector<int32_t> shift;       // [out] (avg_pool, add: [1]), TFLite convention: > 0 left, < 0 right
  int32_t input_multiplier[2] = {0, 0};  // add: the two inputs' rescale, Q31
  int32_t input_shift[2] = {0, 0};
  Activation activation = Activation::none;
  int8_t clip_threshold = 127;      // T, in output units
  double output_scale = 1.0;        // real value = int8 code x output_scale (informative)
};

// The host turns an image into the NPU's int8 input (rtl/reference/reference_eval.h, quantized_image):
// 8-bit images without preprocessing (v / 255) by quantize_pixel, with input_scale 1/127; any other data
// by its preprocessing x = (v / scale - mean[c]) / std[c] and code = round(x / input_scale) clamped to
// -127..127, input_scale = max |x| over the calibration images / 127 (zero padding stays real zero).
struct QuantizedNetwork {
  std::string arch;
  TensorShape input{1, 28, 28};
  double input_scale = 1.0 / 127.0;
  Preprocessing preprocessing;  // of the calibration images
  bool pixel_input = true;      // 8-bit images without preprocessing: quantize_pixel
  std::vector<QuantizedLayer> layers;
};

// The layers (or kNetworkInput) whose outputs `layer`, the layer at `index`, reads, in order.
inline std::vector<int> layer_inputs(const QuantizedLayer& layer, size_t index) {
  return layer.inputs.empty() ? std::vector<int>{int(index) - 1} : layer.inputs;
}

// The int8 input code of an 8-bit image pixel.
inline int8_t quantize_pixel(uint8_t pixel) { return int8_t((int(pixel) * 127 + 127) / 255); }

}  // namespace npufi
