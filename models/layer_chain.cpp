#include "models/layer_chain.h"

#include <cmath>
#include <sstream>

#include "models/model.h"

namespace npufi {
namespace {

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

const char* const kStale = "uses a value from before the batch norm or activation that the NPU fuses into its layer";

}  // namespace

void LayerChain::fail(const std::string& where, const std::string& why) const {
  throw ModelError("cannot quantize " + what_ + ": " + where + " " + why);
}

TensorShape LayerChain::shape(ChainTensor x) const {
  return x.layer == kNetworkInput ? input_shape_ : layers_[size_t(x.layer)].layer.output;
}

void LayerChain::pad(const std::string&, int padding) { pending_padding_ += padding; }

ChainTensor LayerChain::conv(const std::string& where, ChainTensor x, const torch::Tensor& weight,
                             const torch::Tensor& bias, int stride, int padding) {
  const TensorShape in = shape(x);
  if (weight.dim() != 4 || weight.size(2) != weight.size(3) || weight.size(1) != in.channels)
    fail(where, "is not a square convolution over " + std::to_string(in.channels) + " channels");
  read(where, x);
  FloatLayer f = new_layer(LayerKind::conv2d, {x});
  f.layer.kernel = int(weight.size(2));
  f.layer.stride = stride;
  // A ZeroPad2d before the convolution adds zeros as the convolution's own padding does: the same
  // result, int8 zero being real zero.
  f.layer.padding = padding + pending_padding_;
  pending_padding_ = 0;
  const auto size = [&](int n) { return (n + 2 * f.layer.padding - f.layer.kernel) / f.layer.stride + 1; };
  f.layer.output = {int(weight.size(0)), size(in.height), size(in.width)};
  if (f.layer.output.height < 1 || f.layer.output.width < 1) fail(where, "has a kernel larger than its padded input");
  f.weight = weight.detach().clone();
  f.bias = bias.defined() ? bias.detach().clone() : torch::zeros({weight.size(0)});
  return push(std::move(f));
}

// y = gamma (x - mean) / sqrt(var + eps) + beta, folded into the convolution that produces x.
ChainTensor LayerChain::batch_norm(const std::string& where, ChainTensor x, const torch::Tensor& gamma,
                                   const torch::Tensor& beta, const torch::Tensor& mean, const torch::Tensor& var,
                                   double eps) {
  FloatLayer& conv = fusion_target(where, x, "a batch norm");
  if (conv.layer.kind != LayerKind::conv2d || conv.layer.activation != Activation::none || !gamma.defined() ||
      !beta.defined() || gamma.numel() != conv.layer.output.channels) {
    fail(where, "is a batch norm that does not directly follow a convolution");
  }
  const torch::Tensor gain = gamma / torch::sqrt(var + eps);
  conv.weight = conv.weight * gain.view({-1, 1, 1, 1});
  conv.bias = (conv.bias - mean) * gain + beta;
  return {x.layer, ++versions_[size_t(x.layer)]};
}

ChainTensor LayerChain::activation(const std::string& where, ChainTensor x, ClipMode mode,
                                   const torch::Tensor& threshold) {
  FloatLayer& last = fusion_target(where, x, "an activation");
  if (last.layer.kind == LayerKind::max_pool || last.layer.activation != Activation::none)
    fail(where, "is an activation without a layer before it");
  last.layer.activation = npu_activation(mode);
  if (mode != ClipMode::relu) {
    const int64_t count = threshold.numel();
    if (count != 1) {
      fail(where, "has " + std::to_string(count) +
                      " neuron-wise thresholds; the NPU's output unit holds one clip threshold per layer "
                      "(harden with --granularity layer)");
    }
    last.clip_threshold = threshold.item<double>();
    if (!std::isfinite(last.clip_threshold) || last.clip_threshold < 0) {
      std::ostringstream text;
      text << "has the threshold " << last.clip_threshold << "; it must be finite and >= 0";
      fail(where, text.str());
    }
  }
  return {x.layer, ++versions_[size_t(x.layer)]};
}

ChainTensor LayerChain::max_pool(const std::string& where, ChainTensor x, int kernel, int stride) {
  const TensorShape in = shape(x);
  if (kernel != 2 || stride != 2) fail(where, "is not a 2x2 max-pool with stride 2");
  if (in.height < 2 || in.width < 2) fail(where, "pools a map smaller than 2x2");
  read(where, x);
  FloatLayer f = new_layer(LayerKind::max_pool, {x});
  f.layer.kernel = 2;
  f.layer.stride = 2;
  f.layer.output = {in.channels, in.height / 2, in.width / 2};
  return push(std::move(f));
}

ChainTensor LayerChain::avg_pool(const std::string& where, ChainTensor x) {
  read(where, x);
  FloatLayer f = new_layer(LayerKind::avg_pool, {x});
  f.layer.output = {shape(x).channels, 1, 1};
  return push(std::move(f));
}

ChainTensor LayerChain::add(const std::string& where, ChainTensor a, ChainTensor b) {
  if (!(shape(a) == shape(b))) fail(where, "adds tensors of different shapes");
  read(where, a);
  read(where, b);
  FloatLayer f = new_layer(LayerKind::add, {a, b});
  f.layer.output = shape(a);
  return push(std::move(f));
}

ChainTensor LayerChain::dense(const std::string& where, ChainTensor x, const torch::Tensor& weight,
                              const torch::Tensor& bias) {
  const int64_t inputs = shape(x).size();
  if (weight.dim() != 2 || weight.size(1) != inputs || (bias.defined() && bias.numel() != weight.size(0)))
    fail(where, "is not a dense layer over " + std::to_string(inputs) + " inputs");
  read(where, x);
  FloatLayer f = new_layer(LayerKind::fully_connected, {x});
  f.layer.output = {int(weight.size(0)), 1, 1};
  f.weight = weight.detach().clone();
  f.bias = bias.defined() ? bias.detach().clone() : torch::zeros({weight.size(0)});
  return push(std::move(f));
}

std::vector<FloatLayer> LayerChain::finish(const std::string& where, ChainTensor output) {
  if (pending_padding_) fail(where, "ends with padding");
  if (layers_.empty()) fail(where, "has no layer the NPU runs");
  if (output.layer != int(layers_.size()) - 1 || output.version != versions_.back())
    fail(where, "does not return its last layer's output");
  return std::move(layers_);
}

void LayerChain::read(const std::string& where, ChainTensor x) {
  if (x.layer == kNetworkInput) return;
  if (x.version != versions_[size_t(x.layer)]) fail(where, kStale);
  read_[size_t(x.layer)] = true;
}

FloatLayer& LayerChain::fusion_target(const std::string& where, ChainTensor x, const std::string& what) {
  if (x.layer == kNetworkInput) fail(where, "is " + what + " without a layer before it");
  if (x.version != versions_[size_t(x.layer)])
    fail(where, kStale);
  if (read_[size_t(x.layer)]) fail(where, "is " + what + " of a tensor that another layer also reads without it");
  return layers_[size_t(x.layer)];
}

FloatLayer LayerChain::new_layer(LayerKind kind, const std::vector<ChainTensor>& inputs) const {
  if (pending_padding_ && kind != LayerKind::conv2d) fail(name_, "pads the input of a layer other than a convolution");
  FloatLayer f;
  f.layer.name = name_;
  f.layer.kind = kind;
  f.layer.input = shape(inputs[0]);
  const int index = int(layers_.size());
  if (inputs.size() > 1 || inputs[0].layer != index - 1)
    for (const ChainTensor& x : inputs) f.layer.inputs.push_back(x.layer);
  return f;
}

ChainTensor LayerChain::push(FloatLayer f) {
  layers_.push_back(std::move(f));
  versions_.push_back(0);
  read_.push_back(false);
  return {int(layers_.size()) - 1, 0};
}

}  // namespace npufi
