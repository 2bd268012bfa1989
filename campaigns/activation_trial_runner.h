#pragma once
// Activation campaigns (docs/activation-faults.md): faults in the output tensors of a model's layers.
// Every image of a trial is classified against the fault-free logits: masked (bit-identical), sdc_benign
// (top-1 unchanged) or sdc_critical (top-1 changed).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "campaigns/activation_planner.h"
#include "campaigns/tensor_trials.h"
#include "models/evaluator.h"
#include "models/model.h"

namespace npufi {

// The fault-free model on the campaign's images: the evaluator with its prefix cache, and the logits.
struct ActivationGolden {
  Evaluator evaluator;
  Logits logits;
  std::vector<int> top1;  // per image
  std::vector<uint8_t> labels;
  int correct = 0;
};

ActivationGolden run_activation_golden(const CampaignSpec& spec, Model& model, const ImageSet& images,
                                       std::size_t cache_budget_bytes);

class ActivationTrialRunner {
 public:
  ActivationTrialRunner(const Model& model, const ActivationGolden& golden);

  // Injects the trial's faults into the layer outputs of the images they hit and classifies each image.
  db::TrialRow run(int64_t trial, const CampaignSpec& spec, const ActivationPlanner& planner);

 private:
  const ActivationGolden& golden_;
  Model model_;  // the worker's own copy; its weights are never changed
};

// The engine's view of an activation campaign. Checks the spec against the model's layers (SpecError).
TensorTrials activation_trials(const CampaignSpec& spec, Model& model, const ImageSet& images,
                               std::size_t cache_budget_bytes);

}  // namespace npufi
