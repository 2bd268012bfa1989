#pragma once
// Private: the zoo networks as chains of named stages (LibTorch modules).
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/model.h"

namespace npufi {

// An ordered chain of stages. Each stage is a registered top-level submodule, so parameter names start
// with the stage name ("conv1.conv.weight"); forward runs stage after stage.
class Network : public torch::nn::Module {
 public:
  template <typename ModuleHolder>
  void add_stage(const std::string& name, ModuleHolder stage) {
    register_module(name, stage);
    names_.push_back(name);
    forwards_.push_back([stage](const torch::Tensor& x) mutable { return stage->forward(x); });
  }

  // Runs stages [first_stage, stage_count()) on x.
  torch::Tensor forward(torch::Tensor x, int first_stage = 0);
  torch::Tensor forward_stage(const torch::Tensor& x, int stage) { return forwards_[size_t(stage)](x); }
  int stage_count() const { return int(names_.size()); }
  const std::vector<std::string>& stage_names() const { return names_; }
  // The stage that owns a parameter or buffer, from the first component of its name.
  int stage_of(const std::string& parameter_name) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::function<torch::Tensor(const torch::Tensor&)>> forwards_;
};

// A fresh network for `shape` drawn from LibTorch's global generator (seed it first). Throws ModelError
// for an unknown name or images too small for the architecture.
std::shared_ptr<Network> make_network(const std::string& arch, const NetworkShape& shape);

// Learning rate that trains `arch` well with SGD + momentum 0.9, batch 64.
double default_learning_rate(const std::string& arch);

}  // namespace npufi
