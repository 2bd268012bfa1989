#pragma once
// Private: a TorchScript module's forward walked node by node into the NPU's layers
// (models/layer_chain.h). Submodule calls are followed into their methods; values that do not depend on
// the image (attributes, shapes, `if self.training`) are computed as they are met; what flows from the
// image must be a chain of operations the NPU runs:
//   conv2d (square kernel, zero padding, no groups or dilation), batch_norm (folded into the conv before
//   it), relu and the clipped activations of `npufi harden`, max_pool2d 2x2 stride 2, flatten / view /
//   reshape to [N, -1], linear (or addmm), dropout in eval mode.
// Anything else, or a tensor used twice (a residual add, a branch), is refused in one line naming the
// operation, the module it is in and its source text.
#include <string>
#include <vector>

#include "models/layer_chain.h"
#include "models/model_impl.h"

namespace npufi {

std::vector<FloatLayer> lower_script(Model::Impl& impl, TensorShape input);

}  // namespace npufi
