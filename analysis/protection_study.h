#pragma once
// What `npufi protect` and `npufi report` make of one protection problem: the least-area plan that meets
// the ASIL (or, when none of the catalog does, the plan of least residual FIT), beside it the greedy plan,
// every flop hardened and DCLS, and the Pareto front of added area against residual FIT.
#include <string>
#include <vector>

#include "analysis/asil.h"
#include "analysis/protection_optimizer.h"

namespace npufi {

// The optimum of a 0-1 program sits on the bound it is asked for, so an independent verification campaign
// of the same size passes only about half the time. The plan is therefore chosen for targets raised by a
// margin: SPFM and LFM lower bounds `margin` higher (0.002 = 0.2 points; capped below 1). The verdicts
// still judge the bare ASIL targets. docs/protection.md, "A planning margin".
inline constexpr double kDefaultPlanningMargin = 0.002;
AsilTargets planning_targets(Asil asil, double margin);

struct ProtectionStudy {
  double margin = 0;              // asked for
  AsilTargets planned_for;        // the targets the plan was chosen for
  bool margin_met = false;        // a plan meets the targets with the margin
  bool optimal = false;  // a plan meets the bare targets; `chosen` is the least-area one (with the margin
                         // when one meets it)
  ProtectionPlan chosen;
  std::vector<ProtectionPlan> compared;  // chosen, greedy, hardened flops (when the catalog has them), dcls
  std::vector<Verdict> compared_verdicts;
  ProtectionPlan dcls;
  std::vector<ProtectionPlan> front;  // ascending area
  Verdict before;                     // unprotected
  Verdict after;                      // with `chosen`
};

// `item` names the design in the verdicts ("npu64"). When no plan meets the targets with the margin, the
// least-area plan for the bare targets is chosen (margin_met false).
ProtectionStudy study_protection(const ProtectionProblem& problem, Asil asil, double confidence, const std::string& item,
                                 double margin = kDefaultPlanningMargin);

}  // namespace npufi
