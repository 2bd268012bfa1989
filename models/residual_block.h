#pragma once
// Private: the zoo's residual block (CIFAR ResNet basic block), shared by the zoo (models/zoo.cpp) and
// its lowering to the NPU (models/zoo_lowering.cpp): two 3x3 conv + batch norm, with an identity shortcut
// or a 1x1 conv + batch norm projection when the shape changes, added before the last ReLU.
#include <torch/torch.h>

#include "models/hardening/clip_activation.h"

namespace npufi {

class BasicBlockImpl : public torch::nn::Module {
 public:
  BasicBlockImpl(int in, int out, int stride);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d conv1;
  torch::nn::BatchNorm2d bn1;
  ClipActivation relu1;
  torch::nn::Conv2d conv2;
  torch::nn::BatchNorm2d bn2;
  ClipActivation relu2;
  torch::nn::Sequential shortcut{nullptr};  // {conv, bn}, or none: the identity
};
TORCH_MODULE(BasicBlock);

}  // namespace npufi
