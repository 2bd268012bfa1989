#include "models/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "models/hardening/clip_activation.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"
#include "models/script_lowering.h"
#include "models/zoo_lowering.h"

namespace npufi {

QuantizedMultiplier quantize_multiplier(double scale) {
  if (!std::isfinite(scale) || scale < 0) {
    throw std::invalid_argument("quantize_multiplier: scale " + std::to_string(scale) + " is not finite and >= 0");
  }
  int exponent = 0;
  const double fraction = std::frexp(scale, &exponent);  // scale = fraction x 2^exponent, fraction in [0.5, 1)
  int64_t q31 = std::llround(std::ldexp(fraction, 31));
  if (q31 == (int64_t(1) << 31)) {  // the fraction rounded up to 1
    q31 /= 2;
    ++exponent;
  }
  // Below 2^-32 every int32 accumulator scales to less than 0.5, which rounds to 0 anyway.
  if (scale == 0 || exponent < -31) return {};
  if (exponent > 31) throw std::invalid_argument("quantize_multiplier: scale " + std::to_string(scale) + " >= 2^31");
  return {int32_t(q31), exponent};
}

namespace {

// Layer i on the batch: x the network input, outputs the earlier layers' outputs.
torch::Tensor forward(const std::vector<FloatLayer>& layers, size_t i, const torch::Tensor& x,
                      const std::vector<torch::Tensor>& outputs) {
  const FloatLayer& f = layers[i];
  const QuantizedLayer& l = f.layer;
  std::vector<torch::Tensor> in;
  for (int s : layer_inputs(layers[i].layer, i)) in.push_back(s == kNetworkInput ? x : outputs[size_t(s)]);
  torch::Tensor y;
  switch (l.kind) {
    case LayerKind::max_pool: return torch::max_pool2d(in[0], 2, 2);
    case LayerKind::conv2d: y = torch::conv2d(in[0], f.weight, f.bias, l.stride, l.padding); break;
    case LayerKind::fully_connected:  // a 1x1 convolution, as the zoo computes dense layers
      y = torch::conv2d(in[0].reshape({in[0].size(0), -1, 1, 1}), f.weight.view({f.weight.size(0), -1, 1, 1}), f.bias);
      break;
    case LayerKind::avg_pool: y = in[0].mean({2, 3}, true); break;
    case LayerKind::add: y = in[0] + in[1]; break;
  }
  if (l.activation == Activation::none) return y;
  if (l.activation == Activation::relu) return y.relu();
  const ClipMode mode = l.activation == Activation::clip_saturate ? ClipMode::saturate : ClipMode::clip_to_zero;
  return clip_forward(y, mode, torch::full({1}, f.clip_threshold), kDefaultSmoothK);
}

// The largest |output| of every layer over the calibration images.
std::vector<double> calibrate(const std::vector<FloatLayer>& layers, const ImageSet& calibration) {
  constexpr int kBatch = 100;
  std::vector<double> max_abs(layers.size(), 0.0);
  const torch::Tensor pixels = pixel_tensor(calibration);
  for (int begin = 0; begin < calibration.count; begin += kBatch) {
    const torch::Tensor x = to_input(pixels.slice(0, begin, std::min(begin + kBatch, calibration.count)), calibration.preprocessing);
    std::vector<torch::Tensor> outputs;
    for (size_t i = 0; i < layers.size(); ++i) {
      outputs.push_back(forward(layers, i, x, outputs));
      max_abs[i] = std::max(max_abs[i], outputs.back().abs().max().item<double>());
    }
  }
  return max_abs;
}

// Per output channel: weights and bias to int8 / int32, and the requantization from accumulator units
// (input_scale x weight scale) to output_scale.
void quantize_tables(const FloatLayer& f, double input_scale, QuantizedLayer& q) {
  const int64_t outputs = q.output.channels;
  const torch::Tensor weight = f.weight.reshape({outputs, -1}).to(torch::kDouble);
  const torch::Tensor max_abs = weight.abs().amax(1);
  const torch::Tensor weight_scale = torch::where(max_abs > 0, max_abs / 127, torch::ones_like(max_abs));
  const torch::Tensor codes = (weight / weight_scale.unsqueeze(1)).round().clamp(-127, 127).to(torch::kInt8).contiguous();
  q.weights.assign(codes.data_ptr<int8_t>(), codes.data_ptr<int8_t>() + codes.numel());

  const torch::Tensor bias = f.bias.to(torch::kDouble).contiguous();
  for (int64_t o = 0; o < outputs; ++o) {
    const double accumulator_scale = input_scale * weight_scale[o].item<double>();
    const double b = std::round(bias[o].item<double>() / accumulator_scale);
    q.bias.push_back(int32_t(std::clamp<double>(b, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())));
    const QuantizedMultiplier m = quantize_multiplier(accumulator_scale / q.output_scale);
    q.multiplier.push_back(m.multiplier);
    q.shift.push_back(m.shift);
  }
}

// avg_pool: the mean's 1 / (H x W) and the rescale to output_scale. add: both inputs to the common scale
// 2 x max(input scales) / 2^20, and from it to output_scale (TFLite's ADD).
void quantize_layer_tables(const std::vector<double>& input_scales, QuantizedLayer& q) {
  q.bias = {0};
  double scale = 0;
  if (q.kind == LayerKind::avg_pool) {
    scale = input_scales[0] / (double(q.input.height) * q.input.width * q.output_scale);
  } else {
    const double twice_max = 2 * std::max(input_scales[0], input_scales[1]);
    for (int k = 0; k < 2; ++k) {
      const QuantizedMultiplier m = quantize_multiplier(input_scales[size_t(k)] / twice_max);
      q.input_multiplier[k] = m.multiplier;
      q.input_shift[k] = m.shift;
    }
    scale = twice_max / (std::ldexp(1.0, kAddLeftShift) * q.output_scale);
  }
  const QuantizedMultiplier m = quantize_multiplier(scale);
  q.multiplier = {m.multiplier};
  q.shift = {m.shift};
}

}  // namespace

int8_t clip_threshold_code(double threshold, double output_scale) {
  return int8_t(std::clamp(std::llround(threshold / output_scale), 0LL, 127LL));
}

QuantizedNetwork quantize(Model& model, const ImageSet& calibration) {
  const std::string arch = model.arch();
  if (calibration.count < 1) throw std::invalid_argument("quantize: calibration needs at least one image");
  model.check_fits(calibration);
  const NetworkShape shape = model.shape();
  torch::InferenceMode inference;
  QuantizedNetwork net;
  net.arch = arch;
  net.input = {shape.channels, shape.height, shape.width};
  net.preprocessing = calibration.preprocessing;
  net.pixel_input = calibration.values.empty() && calibration.preprocessing.is_default();
  if (!net.pixel_input) {
    const double max_abs = to_input(pixel_tensor(calibration), calibration.preprocessing).abs().max().item<double>();
    net.input_scale = max_abs > 0 ? max_abs / 127 : 1.0;
  }
  Model::Impl& impl = model.impl();
  const std::vector<FloatLayer> layers =
      impl.script ? lower_script(impl, net.input) : lower_zoo(arch, *impl.zoo, net.input);
  const std::vector<double> max_abs = calibrate(layers, calibration);

  std::vector<double> scales;  // of every layer's output
  const auto scale_of = [&](int source) { return source == kNetworkInput ? net.input_scale : scales[size_t(source)]; };
  for (size_t i = 0; i < layers.size(); ++i) {
    QuantizedLayer q = layers[i].layer;
    std::vector<double> input_scales;
    for (int s : layer_inputs(layers[i].layer, i)) input_scales.push_back(scale_of(s));
    const bool clipped = q.activation == Activation::clip_saturate || q.activation == Activation::clip_to_zero;
    if (q.kind == LayerKind::max_pool) {
      q.output_scale = input_scales[0];  // the largest code of a window is the code of the largest value
    } else if (clipped) {
      // A clipped output lies in [0, T] by construction: T is the top of its int8 range.
      const double threshold = layers[i].clip_threshold;
      q.output_scale = threshold > 0 ? threshold / 127 : 1.0;  // 1.0: a layer clipped at 0 is always zero
      q.clip_threshold = clip_threshold_code(threshold, q.output_scale);
    } else {
      q.output_scale = max_abs[i] > 0 ? max_abs[i] / 127 : 1.0;  // 1.0: a layer that is always zero
    }
    if (q.kind == LayerKind::conv2d || q.kind == LayerKind::fully_connected) quantize_tables(layers[i], input_scales[0], q);
    if (q.kind == LayerKind::avg_pool || q.kind == LayerKind::add) quantize_layer_tables(input_scales, q);
    scales.push_back(q.output_scale);
    net.layers.push_back(std::move(q));
  }
  return net;
}

}  // namespace npufi
