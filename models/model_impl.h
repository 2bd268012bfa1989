#pragma once
// Private: what a Model holds. Included by models/*.cpp only.
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/model.h"
#include "models/script_stages.h"
#include "models/zoo.h"

namespace npufi {

struct Model::Impl {
  std::string arch;                          // zoo name, or "torchscript"
  std::shared_ptr<Network> zoo;              // set for zoo networks
  std::optional<torch::jit::Module> script;  // set for TorchScript modules (set_script)
  std::vector<ScriptStage> script_stages;    // its forward cut into stages; empty: it runs whole
  NetworkShape shape;                        // what it takes (Model::shape)

  // Holds a TorchScript module and cuts its forward into stages.
  void set_script(torch::jit::Module module);
  int stage_count() const { return zoo ? zoo->stage_count() : std::max(1, int(script_stages.size())); }
  // Runs stages [first_stage, stage_count()) on x; x is the input of stage first_stage.
  torch::Tensor forward(const torch::Tensor& x, int first_stage = 0);
  torch::Tensor forward_stage(const torch::Tensor& x, int stage);
  void set_training(bool training);
  // Parameters in named_parameters order (fp32, contiguous, CPU).
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;
};

}  // namespace npufi
