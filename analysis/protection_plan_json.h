#pragma once
// A protection plan as JSON (`npufi protect --json`, `--out plan.json`), and read back: its granularity and
// one entry per unit (block or register group) with the option chosen and everything a fault simulation
// needs to model it (kind, rate factors, action, coverage), so a campaign can verify the plan by injection.
// docs/protection.md gives the fields.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/asil.h"
#include "analysis/protection_granularity.h"
#include "analysis/protection_problem.h"

namespace npufi {

struct ProtectionPlanError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The plan's units (option, area, FIT before and after), totals and metrics, and the verdict; the
// problem's units are blocks or register groups as `granularity` says.
nlohmann::json protection_plan_json(const ProtectionProblem& problem, const ProtectionPlan& plan,
                                    const Verdict& verdict, PlanGranularity granularity);

// One unit of a plan file as a simulation needs it.
struct PlannedProtection {
  std::string unit;         // a block ("controller") or a register group ("controller.state")
  ProtectionOption option;  // name, kind, rate factors, action, coverage, dc_latent (no area, no line)
};

struct ProtectionPlanFile {
  PlanGranularity granularity = PlanGranularity::block;
  std::vector<PlannedProtection> units;
};

// Reads the granularity and "units" of a plan file written by protection_plan_json. Throws
// ProtectionPlanError naming the file and the field at fault.
ProtectionPlanFile read_protection_plan(const std::string& path);
ProtectionPlanFile parse_protection_plan(const std::string& text, const std::string& path);

}  // namespace npufi
