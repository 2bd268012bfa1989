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

}  // namespace

void LayerChain::fail(const std::string& where, const std::string& why) const {
  throw ModelError("cannot quantize " + what_ + ": " + where + " " + why);
}

void LayerChain::pad(const std::string&, int padding) { pending_padding_ += padding; }

void LayerChain::conv(const std::string& where, const torch::Tensor& weight, const torch::Tensor& bias, int stride,
                      int padding) {
  if (weight.dim() != 4 || weight.size(2) != weight.size(3) || weight.size(1) != shape_.channels)
    fail(where, "is not a square convolution over " + std::to_string(shape_.channels) + " channels");
  FloatLayer f = new_layer(LayerKind::conv2d);
  f.layer.kernel = int(weight.size(2));
  f.layer.stride = stride;
  // A ZeroPad2d before the convolution adds zeros as the convolution's own padding does: the same
  // result, int8 zero being real zero.
  f.layer.padding = padding + pending_padding_;
  pending_padding_ = 0;
  const auto size = [&](int n) { return (n + 2 * f.layer.padding - f.layer.kernel) / f.layer.stride + 1; };
  f.layer.output = {int(weight.size(0)), size(shape_.height), size(shape_.width)};
  if (f.layer.output.height < 1 || f.layer.output.width < 1) fail(where, "has a kernel larger than its padded input");
  f.weight = weight.detach().clone();
  f.bias = bias.defined() ? bias.detach().clone() : torch::zeros({weight.size(0)});
  push(std::move(f));
}

// y = gamma (x - mean) / sqrt(var + eps) + beta, folded into the convolution that produces x.
void LayerChain::batch_norm(const std::string& where, const torch::Tensor& gamma, const torch::Tensor& beta,
                            const torch::Tensor& mean, const torch::Tensor& var, double eps) {
  FloatLayer* conv = last_weighted();
  if (!conv || conv->layer.kind != LayerKind::conv2d || conv->layer.activation != Activation::none ||
      !gamma.defined() || !beta.defined() || gamma.numel() != conv->layer.output.channels) {
    fail(where, "is a batch norm that does not directly follow a convolution");
  }
  const torch::Tensor gain = gamma / torch::sqrt(var + eps);
  conv->weight = conv->weight * gain.view({-1, 1, 1, 1});
  conv->bias = (conv->bias - mean) * gain + beta;
}

void LayerChain::activation(const std::string& where, ClipMode mode, const torch::Tensor& threshold) {
  FloatLayer* last = last_weighted();
  if (!last || last->layer.activation != Activation::none) fail(where, "is an activation without a layer before it");
  last->layer.activation = npu_activation(mode);
  if (mode == ClipMode::relu) return;
  const int64_t count = threshold.numel();
  if (count != 1) {
    fail(where, "has " + std::to_string(count) +
                    " neuron-wise thresholds; the NPU's output unit holds one clip threshold per layer "
                    "(harden with --granularity layer)");
  }
  last->clip_threshold = threshold.item<double>();
  if (!std::isfinite(last->clip_threshold) || last->clip_threshold < 0) {
    std::ostringstream text;
    text << "has the threshold " << last->clip_threshold << "; it must be finite and >= 0";
    fail(where, text.str());
  }
}

void LayerChain::max_pool(const std::string& where, int kernel, int stride) {
  if (kernel != 2 || stride != 2) fail(where, "is not a 2x2 max-pool with stride 2");
  if (shape_.height < 2 || shape_.width < 2) fail(where, "pools a map smaller than 2x2");
  FloatLayer f = new_layer(LayerKind::max_pool);
  f.layer.kernel = 2;
  f.layer.stride = 2;
  f.layer.output = {shape_.channels, shape_.height / 2, shape_.width / 2};
  push(std::move(f));
}

void LayerChain::dense(const std::string& where, const torch::Tensor& weight, const torch::Tensor& bias) {
  if (weight.dim() != 2 || weight.size(1) != shape_.size() || (bias.defined() && bias.numel() != weight.size(0)))
    fail(where, "is not a dense layer over " + std::to_string(shape_.size()) + " inputs");
  FloatLayer f = new_layer(LayerKind::fully_connected);
  f.layer.output = {int(weight.size(0)), 1, 1};
  f.weight = weight.detach().clone();
  f.bias = bias.defined() ? bias.detach().clone() : torch::zeros({weight.size(0)});
  push(std::move(f));
}

std::vector<FloatLayer> LayerChain::finish(const std::string& where) {
  if (pending_padding_) fail(where, "ends with padding");
  if (layers_.empty()) fail(where, "has no layer the NPU runs");
  return std::move(layers_);
}

FloatLayer LayerChain::new_layer(LayerKind kind) const {
  if (pending_padding_ && kind != LayerKind::conv2d) fail(name_, "pads the input of a layer other than a convolution");
  FloatLayer f;
  f.layer.name = name_;
  f.layer.kind = kind;
  f.layer.input = shape_;
  return f;
}

void LayerChain::push(FloatLayer f) {
  shape_ = f.layer.output;
  layers_.push_back(std::move(f));
}

FloatLayer* LayerChain::last_weighted() {
  if (layers_.empty() || layers_.back().layer.kind == LayerKind::max_pool) return nullptr;
  return &layers_.back();
}

}  // namespace npufi
