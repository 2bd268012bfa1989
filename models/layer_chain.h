#pragma once
// Private: a network lowered to the NPU's operations, in fp32, layer by layer. The zoo walker and the
// TorchScript walker (models/zoo_lowering.h, models/script_lowering.h) both build one, so the NPU's rules
// (square convolutions, batch norm folded into the convolution before it, activations fused into the layer
// before them, 2x2 max-pools, dense layers over a flattened input) are checked in one place.
// Included by models/*.cpp only.
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "models/hardening/clip_activation.h"
#include "models/quantized_network.h"

namespace npufi {

// A layer in fp32 with batch norm folded in: the float twin of one QuantizedLayer.
struct FloatLayer {
  QuantizedLayer layer;  // kind, name, shapes, kernel, stride, padding, activation; no tables yet
  torch::Tensor weight;  // conv [out, in, k, k]; fully connected [out, in]
  torch::Tensor bias;    // [out]
  double clip_threshold = 0;  // T of a clip activation, in real units
};

class LayerChain {
 public:
  // `what` names the model in messages ("lenet5", "torchscript model net.pt").
  LayerChain(std::string what, TensorShape input) : what_(std::move(what)), shape_(input) {}

  // The name the following layers carry (a zoo stage, a TorchScript module path).
  void set_name(std::string name) { name_ = std::move(name); }
  // Zero padding for the next convolution, which must come next.
  void pad(const std::string& where, int padding);
  // bias may be undefined (no bias).
  void conv(const std::string& where, const torch::Tensor& weight, const torch::Tensor& bias, int stride, int padding);
  void batch_norm(const std::string& where, const torch::Tensor& gamma, const torch::Tensor& beta,
                  const torch::Tensor& mean, const torch::Tensor& var, double eps);
  // ReLU or a clipped activation with one threshold (or one per neuron, which the NPU refuses).
  void activation(const std::string& where, ClipMode mode, const torch::Tensor& threshold = {});
  void max_pool(const std::string& where, int kernel, int stride);
  // A dense layer, weight [out, in], over the input flattened in CHW order.
  void dense(const std::string& where, const torch::Tensor& weight, const torch::Tensor& bias);

  TensorShape shape() const { return shape_; }
  std::vector<FloatLayer> finish(const std::string& where);

  [[noreturn]] void fail(const std::string& where, const std::string& why) const;

 private:
  FloatLayer new_layer(LayerKind kind) const;
  void push(FloatLayer f);
  // The last conv or fully connected layer, when nothing came after it.
  FloatLayer* last_weighted();

  std::string what_;
  std::string name_;
  TensorShape shape_;
  int pending_padding_ = 0;
  std::vector<FloatLayer> layers_;
};

}  // namespace npufi
