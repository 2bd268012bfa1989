#include "models/zoo_lowering.h"

#include <algorithm>

namespace npufi {
namespace {
namespace nn = torch::nn;

void add_conv(LayerChain& chain, const std::string& where, nn::Conv2dImpl& conv) {
  const auto& o = conv.options;
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
  if (!padding || (**padding)[0] != (**padding)[1] || (*o.stride())[0] != (*o.stride())[1] ||
      (*o.dilation())[0] != 1 || (*o.dilation())[1] != 1 || o.groups() != 1 ||
      !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode())) {
    chain.fail(where, "is not a square, ungrouped, zero-padded convolution");
  }
  chain.conv(where, conv.weight, conv.bias, int((*o.stride())[0]), int((**padding)[0]));
}

void add_pool(LayerChain& chain, const std::string& where, nn::MaxPool2dImpl& pool) {
  const auto& o = pool.options;
  for (int d = 0; d < 2; ++d)
    if ((*o.kernel_size())[d] != (*o.kernel_size())[0] || (*o.stride())[d] != (*o.stride())[0] ||
        (*o.padding())[d] != 0 || (*o.dilation())[d] != 1 || o.ceil_mode())
      chain.fail(where, "is not a 2x2 max-pool with stride 2");
  chain.max_pool(where, int((*o.kernel_size())[0]), int((*o.stride())[0]));
}

// The zoo's dense layer: weight [out, in], bias [out].
void add_dense(LayerChain& chain, const std::string& where, nn::Module& dense) {
  const auto params = dense.named_parameters(false);
  const torch::Tensor* weight = params.find("weight");
  const torch::Tensor* bias = params.find("bias");
  if (!weight || !bias) chain.fail(where, "is not a dense layer");
  chain.dense(where, *weight, *bias);
}

void add(LayerChain& chain, const std::string& where, const std::string& name, nn::Module& module) {
  if (auto* pad = module.as<nn::ZeroPad2d>()) {
    const auto& p = *pad->options.padding();
    if (!std::all_of(p.begin(), p.end(), [&](int64_t v) { return v == p[0]; })) chain.fail(where, "pads unevenly");
    chain.pad(where, int(p[0]));
  } else if (auto* conv = module.as<nn::Conv2d>()) {
    add_conv(chain, where, *conv);
  } else if (auto* bn = module.as<nn::BatchNorm2d>()) {
    if (!bn->options.affine()) chain.fail(where, "is a batch norm without weight and bias");
    chain.batch_norm(where, bn->weight, bn->bias, bn->running_mean, bn->running_var, bn->options.eps());
  } else if (auto* activation = module.as<ClipActivationImpl>()) {
    chain.activation(where, activation->mode(), activation->threshold());
  } else if (auto* pool = module.as<nn::MaxPool2d>()) {
    add_pool(chain, where, *pool);
  } else if (name == "fc") {
    add_dense(chain, where, module);
  } else if (!module.as<nn::Flatten>() && !module.as<nn::Dropout>()) {  // both identities here
    chain.fail(where, "is not a convolution, batch norm, ReLU, max-pool or dense layer");
  }
}

}  // namespace

std::vector<FloatLayer> lower_zoo(const std::string& arch, nn::Module& network, TensorShape input) {
  LayerChain chain(arch, input);
  std::string stage;
  for (const auto& child : network.named_children()) {
    stage = child.key();
    chain.set_name(stage);
    auto* layers = child.value()->as<nn::Sequential>();
    if (!layers) chain.fail(stage, "is not a chain of layers");
    for (const auto& layer : layers->named_children()) add(chain, stage + "." + layer.key(), layer.key(), *layer.value());
  }
  return chain.finish(stage);
}

}  // namespace npufi
