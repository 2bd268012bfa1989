#pragma once
// Plans for a ProtectionProblem: the least-area plan that meets ASIL targets (exact, a 0-1 program), a
// greedy heuristic, the uniform plans (every flop hardened, DCLS), and the Pareto front of added area
// against residual FIT. Targets are judged on the bounds: SPFM and LFM lower bounds, PMHF upper bound.
#include <optional>
#include <vector>

#include "analysis/asil.h"
#include "analysis/protection_problem.h"

namespace npufi {

// Whether the metrics' bounds meet the targets (SPFM, LFM >= target; PMHF < target).
bool meets_targets(const SafetyMetrics& metrics, const AsilTargets& targets);

// The plan of least added area whose bounds meet the targets; nullopt when no plan of the catalog does.
// SPFM and LFM are ratios, but with every block's rates fixed by its option they are linear constraints:
//   SPFM >= t  <=>  sum(SPF + RF) <= (1 - t) sum(lambda)
//   LFM  >= t  <=>  sum(latent) <= (1 - t) (sum(lambda) - sum(SPF + RF))
//   PMHF <  P  <=>  sum(SPF + RF) < P
// over the rows at the upper bounds; docs/protection.md gives the model.
// When the solver stops at its node limit before proving the optimum, the plan it found meets the targets
// and is named kUnprovenOptimum instead of "optimal".
inline constexpr const char* kUnprovenOptimum = "least area found (not proven)";
std::optional<ProtectionPlan> optimal_plan(const ProtectionProblem& problem, const AsilTargets& targets);

// Starts from the cheapest option everywhere and upgrades, one block at a time, the block whose upgrade
// closes the most of the remaining gap to the targets per GE added, until the targets are met or no
// upgrade helps. Returns the plan it stopped at (it may miss the targets).
ProtectionPlan greedy_plan(const ProtectionProblem& problem, const AsilTargets& targets);

// Every block that has flip-flops gets the catalog's first hardened option that applies to it; every other
// block its cheapest option. nullopt when the catalog has no hardened option.
std::optional<ProtectionPlan> hardened_plan(const ProtectionProblem& problem);

// The catalog's lockstep option on the whole NPU.
ProtectionPlan lockstep_plan(const ProtectionProblem& problem);

// The plans no other plan beats in both added area and residual FIT (PMHF upper bound), from the cheapest
// to the most protected: each is the least area for its residual FIT and the least residual FIT for its
// area.
std::vector<ProtectionPlan> pareto_front(const ProtectionProblem& problem);

}  // namespace npufi
