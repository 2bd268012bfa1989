#pragma once
// What `npufi protect` and `npufi report` make of one protection problem: the least-area plan that meets
// the ASIL (or, when none of the catalog does, the plan of least residual FIT), beside it the greedy plan,
// every flop hardened and DCLS, and the Pareto front of added area against residual FIT.
#include <string>
#include <vector>

#include "analysis/asil.h"
#include "analysis/protection_optimizer.h"

namespace npufi {

struct ProtectionStudy {
  bool optimal = false;  // a plan meets the targets; `chosen` is the least-area one
  ProtectionPlan chosen;
  std::vector<ProtectionPlan> compared;  // chosen, greedy, hardened flops (when the catalog has them), dcls
  std::vector<Verdict> compared_verdicts;
  ProtectionPlan dcls;
  std::vector<ProtectionPlan> front;  // ascending area
  Verdict before;                     // unprotected
  Verdict after;                      // with `chosen`
};

// `item` names the design in the verdicts ("npu64").
ProtectionStudy study_protection(const ProtectionProblem& problem, Asil asil, double confidence, const std::string& item);

}  // namespace npufi
