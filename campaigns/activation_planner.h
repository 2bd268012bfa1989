#pragma once
// Which activation faults each trial of an activation campaign injects: a pure function of (spec, model,
// images, trial index). A bit flip hits one image's output of a layer, so a trial's bits are drawn over
// every image's outputs of the selected layers; a stuck-at bit is drawn over one image's outputs and hits
// every image.
#include <cstdint>
#include <string>
#include <vector>

#include "campaigns/fault_planner.h"
#include "injector/activation_fault.h"

namespace npufi {

// One layer an activation campaign may hit: a model stage and the elements of one image's output.
struct ActivationLayer {
  std::string name;  // the stage's name, e.g. "conv1"
  int64_t elements = 0;
};

class ActivationPlanner {
 public:
  // layers: every stage of the model, in order. Checks the spec against them (globs, bit positions, listed
  // faults and their images); throws SpecError naming the file, line and value at fault.
  ActivationPlanner(const CampaignSpec& spec, const std::vector<ActivationLayer>& layers, int images);

  TrialKey key(int64_t trial) const { return trial_key(spec_, trial); }
  std::vector<ActivationFault> faults(int64_t trial) const;
  // The stages `targets` selects, ascending.
  const std::vector<uint32_t>& layers() const { return selected_; }
  const std::string& layer_name(int stage) const { return layers_[size_t(stage)].name; }

 private:
  const CampaignSpec& spec_;
  std::vector<Parameter> layers_;  // the stages as named tensors of one image's elements
  std::vector<uint32_t> selected_;
  std::vector<BitPopulation> populations_;  // per format
  std::vector<ActivationFault> listed_;
};

}  // namespace npufi
