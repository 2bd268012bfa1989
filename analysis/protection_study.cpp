#include "analysis/protection_study.h"

namespace npufi {

ProtectionStudy study_protection(const ProtectionProblem& problem, Asil asil, double confidence, const std::string& item) {
  ProtectionStudy study;
  const AsilTargets targets = asil_targets(asil);
  const std::optional<ProtectionPlan> optimal = optimal_plan(problem, targets);
  study.front = pareto_front(problem);
  study.optimal = optimal.has_value();
  // Without a plan that meets the target, the best reached is the most protected one: the least residual FIT.
  study.chosen = optimal ? *optimal : study.front.back();
  if (!optimal) study.chosen.strategy = "least residual FIT";
  study.compared = {study.chosen, greedy_plan(problem, targets)};
  if (const std::optional<ProtectionPlan> hardened = hardened_plan(problem)) study.compared.push_back(*hardened);
  study.dcls = lockstep_plan(problem);
  study.compared.push_back(study.dcls);
  for (const ProtectionPlan& plan : study.compared)
    study.compared_verdicts.push_back(asil_verdict(item + " " + plan.strategy, plan.metrics, asil, confidence));
  study.before = asil_verdict(item + " unprotected", problem.unprotected.metrics, asil, confidence);
  study.after = asil_verdict(item + " with the " + study.chosen.strategy + " plan", study.chosen.metrics, asil, confidence);
  return study;
}

}  // namespace npufi
