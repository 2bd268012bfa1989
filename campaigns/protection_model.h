#pragma once
// The simulation-level model of a protection plan (docs/protection.md, "Verification by injection"): the
// NPU RTL is not changed; each injected fault's outcome is passed through the option that protects its
// unit, the fault's block or, for a register-level plan, its register group (state element):
//   - a rate factor f < 1 (hardened cells): the fault happens with probability f, otherwise the cell
//     resists it (masked); so the unit's share of effective faults falls by f;
//   - detect with coverage c: a fault that would change the output or hang is detected (due_detected)
//     with probability c;
//   - correct with coverage c: such a fault is corrected (masked) with probability c.
// The draws are a pure function of (seed, injection), like the faults themselves.
#include <cstdint>
#include <map>
#include <string>

#include "analysis/outcome_class.h"
#include "analysis/protection_plan_file.h"
#include "rtl/sim/fault_sites.h"

namespace npufi {

class ProtectionModel {
 public:
  ProtectionModel() = default;  // no plan: every outcome stays as simulated
  // Throws std::invalid_argument naming a unit of the plan that is no block (no register group) of `sites`.
  ProtectionModel(const ProtectionPlanFile& plan, const FaultSites& sites);

  // The outcome of a fault in `element` under the plan.
  OutcomeClass apply(const StateElement& element, bool permanent, OutcomeClass simulated, uint64_t seed,
                     uint64_t injection) const;

 private:
  PlanGranularity granularity_ = PlanGranularity::block;
  std::map<std::string, ProtectionOption> options_;  // by unit
};

}  // namespace npufi
