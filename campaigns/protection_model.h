#pragma once
// The simulation-level model of a protection plan (docs/protection.md, "Verification by injection"): the
// NPU RTL is not changed; each injected fault's outcome is passed through the option that protects its
// block:
//   - a rate factor f < 1 (hardened cells): the fault happens with probability f, otherwise the cell
//     resists it (masked); so the block's share of effective faults falls by f;
//   - detect with coverage c: a fault that would change the output or hang is detected (due_detected)
//     with probability c;
//   - correct with coverage c: such a fault is corrected (masked) with probability c.
// The draws are a pure function of (seed, injection), like the faults themselves.
#include <cstdint>
#include <map>
#include <string>

#include "analysis/outcome_class.h"
#include "analysis/protection_plan_json.h"

namespace npufi {

class ProtectionModel {
 public:
  ProtectionModel() = default;  // no plan: every outcome stays as simulated
  explicit ProtectionModel(const std::vector<PlannedProtection>& plan);

  bool empty() const { return options_.empty(); }
  // The option protecting `block`, or nullptr.
  const ProtectionOption* option(const std::string& block) const;
  // The outcome of a fault in `block` under the plan.
  OutcomeClass apply(const std::string& block, bool permanent, OutcomeClass simulated, uint64_t seed,
                     uint64_t injection) const;

 private:
  std::map<std::string, ProtectionOption> options_;
};

}  // namespace npufi
