#pragma once
// Runs trials on one worker's private copies of the model, one per number format.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "campaigns/fault_planner.h"
#include "campaigns/tensor_trials.h"
#include "db/store.h"
#include "injector/weight_memory.h"
#include "models/evaluator.h"
#include "models/model.h"

namespace npufi {

// What every worker shares for one number format: the images (with the golden activation cache) and
// the fault-free result to compare against.
struct FormatGolden {
  NumberFormat format;
  Evaluator evaluator;
  EvalResult result;
};

// The fault-free model in every format of the spec, evaluated once on `images`, with its activations
// cached for prefix reuse (the budget is shared by the formats).
std::vector<FormatGolden> run_golden(const CampaignSpec& spec, const Model& model, const ImageSet& images,
                                     std::size_t cache_budget_bytes);

// A trial's row before its faults act: its place in the campaign and the fault-free result.
db::TrialRow fault_free_row(int64_t trial, const CampaignSpec& spec, int images, int correct);

class TrialRunner {
 public:
  TrialRunner(const Model& model, const std::vector<FormatGolden>& golden);

  // Injects the trial's faults, evaluates, restores; the row holds the outcome and the faults.
  db::TrialRow run(int64_t trial, const CampaignSpec& spec, const FaultPlanner& planner);

 private:
  const std::vector<FormatGolden>& golden_;
  std::vector<Model> models_;           // per format
  std::vector<WeightMemory> memories_;  // per format, over models_
};

// The engine's view of a weight campaign. Checks the spec against the model's parameters (SpecError).
TensorTrials weight_trials(const CampaignSpec& spec, Model& model, const ImageSet& images,
                           std::size_t cache_budget_bytes);

}  // namespace npufi
