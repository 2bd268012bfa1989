#include "analysis/protection_study.h"

#include <algorithm>

namespace npufi {

AsilTargets planning_targets(Asil asil, double margin) {
  AsilTargets targets = asil_targets(asil);
  // A lower bound of 1 is out of reach of any finite campaign; stay halfway between the target and 1.
  auto raise = [&](std::optional<double>& target) {
    if (target) target = std::min(*target + margin, (*target + 1) / 2);
  };
  raise(targets.spfm);
  raise(targets.lfm);
  return targets;
}

ProtectionStudy study_protection(const ProtectionProblem& problem, Asil asil, double confidence, const std::string& item,
                                 double margin) {
  ProtectionStudy study;
  study.margin = margin;
  study.planned_for = planning_targets(asil, margin);
  std::optional<ProtectionPlan> optimal = optimal_plan(problem, study.planned_for);
  study.margin_met = optimal.has_value();
  if (!optimal) {
    study.planned_for = asil_targets(asil);
    optimal = optimal_plan(problem, study.planned_for);
  }
  const AsilTargets& targets = study.planned_for;
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
