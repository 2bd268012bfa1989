#pragma once
// A protection plan file (`npufi protect --out plan.json`, written by report/protection_plan_json.h) read
// back: its granularity and one entry per unit (block or register group) with the option chosen and
// everything a fault simulation needs to model it (kind, rate factors, action, coverage), so a campaign can
// verify the plan by injection. docs/protection.md gives the fields.
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/protection_granularity.h"
#include "analysis/protection_problem.h"

namespace npufi {

struct ProtectionPlanError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a plan file says it is: "format" and "version" (2: "granularity", "units"; 1 had "blocks" only).
inline constexpr const char* kProtectionPlanFormat = "npufi-protection-plan";
inline constexpr int kProtectionPlanVersion = 2;

// One unit of a plan file as a simulation needs it.
struct PlannedProtection {
  std::string unit;         // a block ("controller") or a register group ("controller.state")
  ProtectionOption option;  // name, kind, rate factors, action, coverage, dc_latent (no area, no line)
};

struct ProtectionPlanFile {
  std::string npu;  // the NPU configuration it was planned for ("npu64"); empty for a plan of a user design
  PlanGranularity granularity = PlanGranularity::block;
  std::vector<PlannedProtection> units;
};

// Reads the granularity and "units" of a plan file written by protection_plan_json (report/). Throws
// ProtectionPlanError naming the file and the field at fault.
ProtectionPlanFile read_protection_plan(const std::string& path);
ProtectionPlanFile parse_protection_plan(const std::string& text, const std::string& path);

}  // namespace npufi
