#pragma once
// A model parameter as plain memory: what the weight-fault injector works on.
#include <cstdint>
#include <string>
#include <vector>

namespace npufi {

struct Parameter {
  std::string name;            // e.g. "conv1.conv.weight"
  float* data = nullptr;       // contiguous fp32 storage owned by the model
  std::vector<int64_t> shape;  // dim 0 is the output channel for weights
  int64_t numel = 0;
  int stage = 0;               // the model stage (see Model) that reads this parameter
};

}  // namespace npufi
