#pragma once
// Private: a zoo network's stages walked module by module into the NPU's layers (models/layer_chain.h).
#include <string>
#include <vector>

#include "models/layer_chain.h"

namespace npufi {

// Throws ModelError naming the stage and module the NPU cannot run.
std::vector<FloatLayer> lower_zoo(const std::string& arch, torch::nn::Module& network, TensorShape input);

}  // namespace npufi
