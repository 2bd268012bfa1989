#pragma once
// Private: a TorchScript module's forward cut into stages, so that a fault in stage k reuses the
// activations before k, as for the zoo. Included by models/*.cpp only.
//
// The forward graph is inlined, then cut where exactly one tensor is live: before each node that reads a
// tensor attribute (a parameter or buffer), once the stage so far has read one. So every stage holds at
// least one weighted layer, and a residual block, whose shortcut keeps two tensors live, stays whole.
#include <torch/script.h>

#include <memory>
#include <string>
#include <vector>

namespace npufi {

struct ScriptStage {
  // The top-level module of the first parameter or buffer it reads ("layer1"), made unique with ".2",
  // ".3"; "forward" for a stage that reads none.
  std::string name;
  std::shared_ptr<torch::jit::GraphFunction> function;  // (self, x) -> the stage's output
  std::vector<std::string> attributes;                  // the attribute paths it reads, "layer1.conv1.weight"
  bool in_place = false;  // it has an in-place operation, so it runs on a copy of its input
};

// The stages of `module`'s forward; empty when forward takes more than one input or returns no tensor
// (the module then runs whole, as one stage).
std::vector<ScriptStage> script_stages(const torch::jit::Module& module);

torch::Tensor run_stage(const ScriptStage& stage, const torch::jit::Module& module, const torch::Tensor& x);

// The first stage that reads the parameter `name` (or a module holding it); 0 when none does.
int stage_reading(const std::vector<ScriptStage>& stages, const std::string& name);

}  // namespace npufi
