#pragma once
// The reference NPU with the safety mechanisms of a protection plan, as RTL (docs/safety-rtl.md): a design
// file that builds rtl/npu with the parameters that switch the plan's mechanisms on (npu.sv), or the
// dual-core lockstep top (npu_lockstep.sv), and block rules that give the mechanisms' own state blocks of
// their own. Nothing in rtl/npu is edited per plan.
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/protection_catalog.h"
#include "analysis/protection_plan_file.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi {

struct ProtectedNpuError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ProtectedNpuDesign {
  std::string toml;                 // the design file
  std::vector<std::string> built;   // what the RTL has, one line per unit: "ifm_buffer: SECDED (IFM_PROTECTION = 2)"
  std::vector<std::string> notes;   // what stays a model: hardened flops (a rate factor, no RTL)
};

// The design of `plan` (per block) on `config`. Throws ProtectedNpuError naming the plan's unit and option
// the RTL has no mechanism for, or a register-level plan.
ProtectedNpuDesign protected_npu_design(const ProtectionPlanFile& plan, NpuConfig config, const std::string& name);
// The catalog limited to what the RTL has: each parity, ECC, duplication and triplication option applies
// only to the blocks that have that mechanism in rtl/npu (and that it named, if it named any); an option
// left with no block is dropped. Plans made with it can be built.
ProtectionCatalog npu_rtl_catalog(const ProtectionCatalog& catalog);
// Dual-core lockstep of the whole NPU.
ProtectedNpuDesign lockstep_npu_design(NpuConfig config, const std::string& name);

}  // namespace npufi
