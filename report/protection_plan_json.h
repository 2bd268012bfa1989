#pragma once
// A protection study as JSON: the plan file (`npufi protect --out plan.json`, read back by
// analysis/protection_plan_file.h) and the whole study (`npufi protect --json`, `npufi report`).
// docs/protection.md gives the fields.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/asil.h"
#include "analysis/protection_granularity.h"
#include "analysis/protection_problem.h"
#include "analysis/protection_study.h"

namespace npufi {

// The plan's units (option, area, FIT before and after), totals and metrics, and the verdict; the
// problem's units are blocks or register groups as `granularity` says.
nlohmann::json protection_plan_json(const ProtectionProblem& problem, const ProtectionPlan& plan,
                                    const Verdict& verdict, PlanGranularity granularity);

// Where a study's numbers come from, recorded in the plan file.
struct ProtectionSource {
  std::vector<int64_t> campaigns;
  bool npu = true;     // the reference NPU ("npu": name), else a design brought by the user ("design": name)
  std::string target;  // "npu64", or the design's name
  std::string technology;
  std::string area_model;
};

// The plan file of the study's chosen plan, with its source.
nlohmann::json protection_plan_file_json(const ProtectionProblem& problem, const ProtectionStudy& study,
                                         PlanGranularity granularity, const ProtectionSource& source);

// The plan file plus "compared" (the strategies side by side) and "pareto_front".
nlohmann::json protection_study_json(const ProtectionProblem& problem, const ProtectionStudy& study,
                                     PlanGranularity granularity, const ProtectionSource& source);

// The units with an option other than none, e.g. "controller=hardened-flops dma=duplication"; "(none)".
std::string protected_units(const ProtectionProblem& problem, const ProtectionPlan& plan);

}  // namespace npufi
