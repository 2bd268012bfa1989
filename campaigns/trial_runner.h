#pragma once
// Runs trials on one worker's private copies of the model, one per number format.
#include <cstdint>
#include <vector>

#include "campaigns/fault_planner.h"
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

}  // namespace npufi
