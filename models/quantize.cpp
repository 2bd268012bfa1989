#include "models/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "models/hardening/clip_activation.h"
#include "models/image_tensor.h"
#include "models/model_impl.h"

namespace npufi {
namespace nn = torch::nn;

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

// A layer in fp32 with batch norm folded in: the float twin of one QuantizedLayer.
struct FloatLayer {
  QuantizedLayer layer;  // kind, name, shapes, kernel, stride, padding, activation; no tables yet
  torch::Tensor weight;  // conv [out, in, k, k]; fully connected [out, in]
  torch::Tensor bias;    // [out]
  double clip_threshold = 0;  // T of a clip activation, in real units
};

// The NPU activation that computes a clip mode: smooth (FitAct, ProAct) runs as clip-to-zero at lambda.
Activation npu_activation(ClipMode mode) {
  switch (mode) {
    case ClipMode::relu: return Activation::relu;
    case ClipMode::saturate: return Activation::clip_saturate;
    case ClipMode::clip_to_zero:
    case ClipMode::smooth: break;
  }
  return Activation::clip_to_zero;
}

// Turns the zoo's stages into FloatLayers, checking that every module is one the NPU runs.
class Lowering {
 public:
  explicit Lowering(std::string arch) : arch_(std::move(arch)) {}

  std::vector<FloatLayer> run(nn::Module& network) {
    for (const auto& stage : network.named_children()) {
      stage_ = stage.key();
      auto* chain = stage.value()->as<nn::Sequential>();
      if (!chain) fail(stage_, "is not a chain of layers");
      for (const auto& child : chain->named_children()) add(child.key(), *child.value());
    }
    if (pending_padding_) fail(stage_, "ends with padding");
    return std::move(layers_);
  }

 private:
  void add(const std::string& name, nn::Module& module) {
    const std::string where = stage_ + "." + name;
    auto* conv = module.as<nn::Conv2d>();
    if (pending_padding_ && !conv) fail(where, "follows a padding layer; only a convolution may");
    if (auto* pad = module.as<nn::ZeroPad2d>()) {
      const auto& p = *pad->options.padding();
      if (!std::all_of(p.begin(), p.end(), [&](int64_t v) { return v == p[0]; })) fail(where, "pads unevenly");
      pending_padding_ += int(p[0]);
    } else if (conv) {
      add_conv(where, *conv);
    } else if (auto* bn = module.as<nn::BatchNorm2d>()) {
      fold_batch_norm(where, *bn);
    } else if (auto* activation = module.as<ClipActivationImpl>()) {
      add_activation(where, *activation);
    } else if (auto* pool = module.as<nn::MaxPool2d>()) {
      add_pool(where, *pool);
    } else if (name == "fc") {
      add_dense(where, module);
    } else if (!module.as<nn::Flatten>() && !module.as<nn::Dropout>()) {  // both identities here
      fail(where, "is not a convolution, batch norm, ReLU, max-pool or dense layer");
    }
  }

  // A ReLU or a layer-wise clipped activation, fused into the layer before it.
  void add_activation(const std::string& where, const ClipActivationImpl& activation) {
    FloatLayer* last = last_weighted();
    if (!last || last->layer.activation != Activation::none) fail(where, "is an activation without a layer before it");
    last->layer.activation = npu_activation(activation.mode());
    if (activation.mode() == ClipMode::relu) return;
    const int64_t count = activation.threshold().numel();
    if (count != 1) {
      fail(where, "has " + std::to_string(count) +
                      " neuron-wise thresholds; the NPU's output unit holds one clip threshold per layer "
                      "(harden with --granularity layer)");
    }
    last->clip_threshold = activation.threshold().item<double>();
    if (!std::isfinite(last->clip_threshold) || last->clip_threshold < 0) {
      std::ostringstream text;
      text << "has the threshold " << last->clip_threshold << "; it must be finite and >= 0";
      fail(where, text.str());
    }
  }

  void add_conv(const std::string& where, nn::Conv2dImpl& conv) {
    const auto& o = conv.options;
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    const int64_t k = (*o.kernel_size())[0];
    if (!padding || (**padding)[0] != (**padding)[1] || (*o.kernel_size())[1] != k ||
        (*o.stride())[0] != (*o.stride())[1] || (*o.dilation())[0] != 1 || (*o.dilation())[1] != 1 ||
        o.groups() != 1 || !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode())) {
      fail(where, "is not a square, ungrouped, zero-padded convolution");
    }
    FloatLayer f = new_layer(LayerKind::conv2d);
    f.layer.kernel = int(k);
    f.layer.stride = int((*o.stride())[0]);
    // A ZeroPad2d before the convolution adds zeros as the convolution's own padding does: the same
    // result, int8 zero being real zero.
    f.layer.padding = int((**padding)[0]) + pending_padding_;
    pending_padding_ = 0;
    const auto size = [&](int n) { return (n + 2 * f.layer.padding - f.layer.kernel) / f.layer.stride + 1; };
    f.layer.output = {int(o.out_channels()), size(shape_.height), size(shape_.width)};
    f.weight = conv.weight.detach().clone();
    f.bias = conv.bias.defined() ? conv.bias.detach().clone() : torch::zeros({o.out_channels()});
    push(std::move(f));
  }

  // y = gamma (x - mean) / sqrt(var + eps) + beta, folded into the convolution that produces x.
  void fold_batch_norm(const std::string& where, nn::BatchNorm2dImpl& bn) {
    FloatLayer* conv = last_weighted();
    if (!conv || conv->layer.kind != LayerKind::conv2d || conv->layer.activation != Activation::none ||
        !bn.options.affine() || bn.options.num_features() != conv->layer.output.channels) {
      fail(where, "is a batch norm that does not directly follow a convolution");
    }
    const torch::Tensor gain = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
    conv->weight = conv->weight * gain.view({-1, 1, 1, 1});
    conv->bias = (conv->bias - bn.running_mean) * gain + bn.bias;
  }

  void add_pool(const std::string& where, nn::MaxPool2dImpl& pool) {
    const auto& o = pool.options;
    for (int d = 0; d < 2; ++d) {
      if ((*o.kernel_size())[d] != 2 || (*o.stride())[d] != 2 || (*o.padding())[d] != 0 || (*o.dilation())[d] != 1 ||
          o.ceil_mode()) {
        fail(where, "is not a 2x2 max-pool with stride 2");
      }
    }
    FloatLayer f = new_layer(LayerKind::max_pool);
    f.layer.kernel = 2;
    f.layer.stride = 2;
    f.layer.output = {shape_.channels, shape_.height / 2, shape_.width / 2};
    push(std::move(f));
  }

  // The zoo's dense layer: weight [out, in], bias [out], reading its input flattened in CHW order.
  void add_dense(const std::string& where, nn::Module& dense) {
    const auto params = dense.named_parameters(false);
    const torch::Tensor* weight = params.find("weight");
    const torch::Tensor* bias = params.find("bias");
    if (!weight || !bias || weight->dim() != 2 || weight->size(1) != shape_.size()) {
      fail(where, "is not a dense layer over " + std::to_string(shape_.size()) + " inputs");
    }
    FloatLayer f = new_layer(LayerKind::fully_connected);
    f.layer.output = {int(weight->size(0)), 1, 1};
    f.weight = weight->detach().clone();
    f.bias = bias->detach().clone();
    push(std::move(f));
  }

  FloatLayer new_layer(LayerKind kind) const {
    FloatLayer f;
    f.layer.name = stage_;
    f.layer.kind = kind;
    f.layer.input = shape_;
    return f;
  }

  void push(FloatLayer f) {
    shape_ = f.layer.output;
    layers_.push_back(std::move(f));
  }

  // The last conv or fully connected layer, when nothing came after it.
  FloatLayer* last_weighted() {
    if (layers_.empty() || layers_.back().layer.kind == LayerKind::max_pool) return nullptr;
    return &layers_.back();
  }

  [[noreturn]] void fail(const std::string& where, const std::string& why) const {
    throw ModelError("cannot quantize " + arch_ + ": " + where + " " + why);
  }

  std::string arch_;
  std::string stage_;
  TensorShape shape_{1, 28, 28};
  int pending_padding_ = 0;  // from a ZeroPad2d, for the next convolution
  std::vector<FloatLayer> layers_;
};

torch::Tensor forward(const FloatLayer& f, const torch::Tensor& x) {
  const QuantizedLayer& l = f.layer;
  torch::Tensor y;
  switch (l.kind) {
    case LayerKind::max_pool: return torch::max_pool2d(x, 2, 2);
    case LayerKind::conv2d: y = torch::conv2d(x, f.weight, f.bias, l.stride, l.padding); break;
    case LayerKind::fully_connected:  // a 1x1 convolution, as the zoo computes dense layers
      y = torch::conv2d(x.reshape({x.size(0), -1, 1, 1}), f.weight.view({f.weight.size(0), -1, 1, 1}), f.bias);
      break;
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
    torch::Tensor x = to_input(pixels.slice(0, begin, std::min(begin + kBatch, calibration.count)), calibration.preprocessing);
    for (size_t i = 0; i < layers.size(); ++i) {
      x = forward(layers[i], x);
      max_abs[i] = std::max(max_abs[i], x.abs().max().item<double>());
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

}  // namespace

int8_t clip_threshold_code(double threshold, double output_scale) {
  return int8_t(std::clamp(std::llround(threshold / output_scale), 0LL, 127LL));
}

QuantizedNetwork quantize(Model& model, const ImageSet& calibration) {
  const std::string arch = model.arch();
  const std::vector<std::string> supported = {"lenet5", "alexnet", "vgg11", "vgg16"};
  if (std::find(supported.begin(), supported.end(), arch) == supported.end()) {
    throw ModelError("cannot quantize " + arch + ": quantization supports lenet5, alexnet, vgg11, vgg16");
  }
  if (!calibration.values.empty() || calibration.channels != 1 || !calibration.preprocessing.is_default())
    throw ModelError("the NPU's int8 input takes 8-bit one-channel images as v / 255, not the images of " +
                     calibration.origin + " (" + calibration.preprocessing.text() + ", " +
                     "channels: " + std::to_string(calibration.channels) + ")");
  if (calibration.count < 1 || calibration.rows != 28 || calibration.cols != 28) {
    throw std::invalid_argument("quantize: calibration needs at least one 28x28 image");
  }
  torch::InferenceMode inference;
  const std::vector<FloatLayer> layers = Lowering(arch).run(*model.impl().zoo);
  const std::vector<double> max_abs = calibrate(layers, calibration);

  QuantizedNetwork net;
  net.arch = arch;
  double scale = net.input_scale;
  for (size_t i = 0; i < layers.size(); ++i) {
    QuantizedLayer q = layers[i].layer;
    if (q.kind == LayerKind::max_pool) {
      q.output_scale = scale;  // the largest code of a window is the code of the largest value
    } else if (q.activation == Activation::clip_saturate || q.activation == Activation::clip_to_zero) {
      // A clipped output lies in [0, T] by construction: T is the top of its int8 range.
      const double threshold = layers[i].clip_threshold;
      q.output_scale = threshold > 0 ? threshold / 127 : 1.0;  // 1.0: a layer clipped at 0 is always zero
      q.clip_threshold = clip_threshold_code(threshold, q.output_scale);
      quantize_tables(layers[i], scale, q);
    } else {
      q.output_scale = max_abs[i] > 0 ? max_abs[i] / 127 : 1.0;  // 1.0: a layer that is always zero
      quantize_tables(layers[i], scale, q);
    }
    scale = q.output_scale;
    net.layers.push_back(std::move(q));
  }
  return net;
}

}  // namespace npufi
