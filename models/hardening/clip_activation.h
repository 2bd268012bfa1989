#pragma once
// Private: the clippable activation module of the zoo networks, and the model-level plumbing that
// models/model.cpp uses to save, load and clone clipped zoo networks. Included by models/*.cpp only.
#include <torch/script.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "models/hardening/clip.h"
#include "models/model_impl.h"

namespace npufi {

// y = clip(x, mode, threshold, k) for the formulas of clip.h; relu ignores threshold and k.
torch::Tensor clip_forward(const torch::Tensor& x, ClipMode mode, const torch::Tensor& threshold, double k);

// A ReLU until clip() gives it a mode and a threshold parameter ("threshold"). While profiling it records
// the largest output per activation element in peak().
class ClipActivationImpl : public torch::nn::Module {
 public:
  torch::Tensor forward(const torch::Tensor& x);

  ClipMode mode() const { return mode_; }
  double k() const { return k_; }
  const torch::Tensor& threshold() const { return threshold_; }  // undefined while relu
  // Registers (or replaces) the threshold parameter; relu unregisters nothing but ignores it.
  void clip(ClipMode mode, torch::Tensor threshold, double k);

  void set_profiling(bool on) {
    profiling_ = on;
    peak_ = torch::Tensor();
  }
  const torch::Tensor& peak() const { return peak_; }

 private:
  ClipMode mode_ = ClipMode::relu;
  double k_ = kDefaultSmoothK;
  torch::Tensor threshold_;
  bool profiling_ = false;
  torch::Tensor peak_;
};
TORCH_MODULE(ClipActivation);

// One activation layer of a model: a zoo module, or a TorchScript submodule made by make_clippable.
struct ClipSite {
  std::string name;
  ClipActivationImpl* zoo = nullptr;
  std::optional<torch::jit::Module> script;

  ClipMode mode() const;
  double k() const;
  torch::Tensor threshold() const;  // the parameter itself (train it in place); empty while relu
  void clip(ClipMode mode, torch::Tensor threshold, double k);
  void set_profiling(bool on);
  torch::Tensor peak() const;
  ClipLayer layer() const;
};

// The model's activation layers in forward order.
std::vector<ClipSite> clip_sites(Model::Impl& impl);

// One line per clipped layer of a zoo network ("conv1.relu saturate 20 1"): name, mode, k, threshold
// shape. Empty when no layer is clipped. Stored in model files next to the tensors.
std::string clip_description(torch::nn::Module& network);
// Clips the layers named in a description with zero thresholds of the described shapes (a load then
// fills them in). Throws ModelError naming `source` for a description that does not fit the model.
void apply_clip_description(Model::Impl& impl, const std::string& description, const std::string& source);

}  // namespace npufi
