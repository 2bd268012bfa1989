#pragma once
// Private: a network lowered to the NPU's operations, in fp32, layer by layer. The zoo walker and the
// TorchScript walker (models/zoo_lowering.h, models/script_lowering.h) both build one, so the NPU's rules
// (square convolutions, batch norm folded into the convolution before it, activations fused into the layer
// before them, 2x2 max-pools, global average pools, adds of two tensors, dense layers over a flattened
// input) are checked in one place. Layers read the tensors the walker names, so residual networks lower
// to a graph. Included by models/*.cpp only.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "models/hardening/clip_activation.h"
#include "models/quantized_network.h"

namespace npufi {

// A layer in fp32 with batch norm folded in: the float twin of one QuantizedLayer.
struct FloatLayer {
  QuantizedLayer layer;  // kind, name, inputs, shapes, kernel, stride, padding, activation; no tables yet
  torch::Tensor weight;  // conv [out, in, k, k]; fully connected [out, in]; undefined otherwise
  torch::Tensor bias;    // [out]
  double clip_threshold = 0;  // T of a clip activation, in real units
};

// A tensor of the image while lowering: the network input or a layer's output, as it stands after
// `version` fusions into that layer (a value from before a fusion no longer exists on the NPU).
struct ChainTensor {
  int layer = kNetworkInput;
  int version = 0;
};

class LayerChain {
 public:
  // `what` names the model in messages ("lenet5", "torchscript model net.pt").
  LayerChain(std::string what, TensorShape input) : what_(std::move(what)), input_shape_(input) {}

  ChainTensor input() const { return {}; }
  TensorShape shape(ChainTensor x) const;

  // The name the following layers carry (a zoo stage, a TorchScript module path).
  void set_name(std::string name) { name_ = std::move(name); }
  // Zero padding for the next convolution, which must come next.
  void pad(const std::string& where, int padding);
  // bias may be undefined (no bias).
  ChainTensor conv(const std::string& where, ChainTensor x, const torch::Tensor& weight, const torch::Tensor& bias,
                   int stride, int padding);
  ChainTensor batch_norm(const std::string& where, ChainTensor x, const torch::Tensor& gamma, const torch::Tensor& beta,
                         const torch::Tensor& mean, const torch::Tensor& var, double eps);
  // ReLU or a clipped activation with one threshold (or one per neuron, which the NPU refuses).
  ChainTensor activation(const std::string& where, ChainTensor x, ClipMode mode, const torch::Tensor& threshold = {});
  ChainTensor max_pool(const std::string& where, ChainTensor x, int kernel, int stride);
  // The mean of every channel: C x H x W -> C x 1 x 1.
  ChainTensor avg_pool(const std::string& where, ChainTensor x);
  ChainTensor add(const std::string& where, ChainTensor a, ChainTensor b);
  // A dense layer, weight [out, in], over the input flattened in CHW order.
  ChainTensor dense(const std::string& where, ChainTensor x, const torch::Tensor& weight, const torch::Tensor& bias);

  // The layers; `output` must be the last one's output.
  std::vector<FloatLayer> finish(const std::string& where, ChainTensor output);

  [[noreturn]] void fail(const std::string& where, const std::string& why) const;

 private:
  // Checks that x still exists and counts it as read.
  void read(const std::string& where, ChainTensor x);
  // The layer that produces x, for a fusion: x must exist and not have been read by a later layer.
  FloatLayer& fusion_target(const std::string& where, ChainTensor x, const std::string& what);
  FloatLayer new_layer(LayerKind kind, const std::vector<ChainTensor>& inputs) const;
  ChainTensor push(FloatLayer f);

  std::string what_;
  std::string name_;
  TensorShape input_shape_;
  int pending_padding_ = 0;
  std::vector<FloatLayer> layers_;
  std::vector<int> versions_;  // per layer: the fusions into it so far
  std::vector<bool> read_;     // per layer: a later layer reads its output
};

}  // namespace npufi
