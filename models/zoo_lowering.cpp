#include "models/zoo_lowering.h"

#include <algorithm>

#include "models/residual_block.h"

namespace npufi {
namespace {
namespace nn = torch::nn;

ChainTensor add_conv(LayerChain& chain, const std::string& where, ChainTensor x, nn::Conv2dImpl& conv) {
  const auto& o = conv.options;
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
  if (!padding || (**padding)[0] != (**padding)[1] || (*o.stride())[0] != (*o.stride())[1] ||
      (*o.dilation())[0] != 1 || (*o.dilation())[1] != 1 || o.groups() != 1 ||
      !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode())) {
    chain.fail(where, "is not a square, ungrouped, zero-padded convolution");
  }
  return chain.conv(where, x, conv.weight, conv.bias, int((*o.stride())[0]), int((**padding)[0]));
}

ChainTensor add_pool(LayerChain& chain, const std::string& where, ChainTensor x, nn::MaxPool2dImpl& pool) {
  const auto& o = pool.options;
  for (int d = 0; d < 2; ++d)
    if ((*o.kernel_size())[d] != (*o.kernel_size())[0] || (*o.stride())[d] != (*o.stride())[0] ||
        (*o.padding())[d] != 0 || (*o.dilation())[d] != 1 || o.ceil_mode())
      chain.fail(where, "is not a 2x2 max-pool with stride 2");
  return chain.max_pool(where, x, int((*o.kernel_size())[0]), int((*o.stride())[0]));
}

// The zoo's dense layer: weight [out, in], bias [out].
ChainTensor add_dense(LayerChain& chain, const std::string& where, ChainTensor x, nn::Module& dense) {
  const auto params = dense.named_parameters(false);
  const torch::Tensor* weight = params.find("weight");
  const torch::Tensor* bias = params.find("bias");
  if (!weight || !bias) chain.fail(where, "is not a dense layer");
  return chain.dense(where, x, *weight, *bias);
}

ChainTensor add_batch_norm(LayerChain& chain, const std::string& where, ChainTensor x, nn::BatchNorm2dImpl& bn) {
  if (!bn.options.affine()) chain.fail(where, "is a batch norm without weight and bias");
  return chain.batch_norm(where, x, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.options.eps());
}

ChainTensor add_layer(LayerChain& chain, const std::string& where, const std::string& name, ChainTensor x,
                      nn::Module& module) {
  if (auto* pad = module.as<nn::ZeroPad2d>()) {
    const auto& p = *pad->options.padding();
    if (!std::all_of(p.begin(), p.end(), [&](int64_t v) { return v == p[0]; })) chain.fail(where, "pads unevenly");
    chain.pad(where, int(p[0]));
    return x;
  }
  if (auto* conv = module.as<nn::Conv2d>()) return add_conv(chain, where, x, *conv);
  if (auto* bn = module.as<nn::BatchNorm2d>()) return add_batch_norm(chain, where, x, *bn);
  if (auto* activation = module.as<ClipActivationImpl>())
    return chain.activation(where, x, activation->mode(), activation->threshold());
  if (auto* pool = module.as<nn::MaxPool2d>()) return add_pool(chain, where, x, *pool);
  if (auto* pool = module.as<nn::AdaptiveAvgPool2d>()) {
    const auto& size = pool->options.output_size();
    if (!(*size)[0] || !(*size)[1] || *(*size)[0] != 1 || *(*size)[1] != 1)
      chain.fail(where, "is an average pool to another size than 1x1");
    return chain.avg_pool(where, x);
  }
  if (name == "fc") return add_dense(chain, where, x, module);
  if (!module.as<nn::Flatten>() && !module.as<nn::Dropout>())  // both identities here
    chain.fail(where, "is not a convolution, batch norm, ReLU, max-pool, average pool or dense layer");
  return x;
}

ChainTensor add_sequence(LayerChain& chain, const std::string& where, ChainTensor x, nn::SequentialImpl& layers) {
  for (const auto& layer : layers.named_children())
    x = add_layer(chain, where + "." + layer.key(), layer.key(), x, *layer.value());
  return x;
}

// relu2(bn2(conv2(relu1(bn1(conv1(x))))) + shortcut(x))
ChainTensor add_block(LayerChain& chain, const std::string& where, ChainTensor x, BasicBlockImpl& block) {
  ChainTensor out = add_conv(chain, where + ".conv1", x, *block.conv1);
  out = add_batch_norm(chain, where + ".bn1", out, *block.bn1);
  out = chain.activation(where + ".relu1", out, block.relu1->mode(), block.relu1->threshold());
  out = add_conv(chain, where + ".conv2", out, *block.conv2);
  out = add_batch_norm(chain, where + ".bn2", out, *block.bn2);
  const ChainTensor shortcut = block.shortcut ? add_sequence(chain, where + ".shortcut", x, *block.shortcut) : x;
  out = chain.add(where, out, shortcut);
  return chain.activation(where + ".relu2", out, block.relu2->mode(), block.relu2->threshold());
}

}  // namespace

std::vector<FloatLayer> lower_zoo(const std::string& arch, nn::Module& network, TensorShape input) {
  LayerChain chain(arch, input);
  ChainTensor x = chain.input();
  std::string stage;
  for (const auto& child : network.named_children()) {
    stage = child.key();
    chain.set_name(stage);
    if (auto* layers = child.value()->as<nn::Sequential>()) {
      x = add_sequence(chain, stage, x, *layers);
    } else if (auto* block = child.value()->as<BasicBlockImpl>()) {
      x = add_block(chain, stage, x, *block);
    } else {
      chain.fail(stage, "is not a chain of layers or a residual block");
    }
  }
  return chain.finish(stage, x);
}

}  // namespace npufi
