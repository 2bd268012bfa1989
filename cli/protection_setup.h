#pragma once
// The protection problem of RTL campaigns, as `npufi protect` and `npufi report` pose it: the measured
// outcomes per block or register group, the technology, the catalog, and the areas of the design the
// campaigns ran on (docs/protection.md).
#include <string>

#include "analysis/protection_granularity.h"
#include "analysis/protection_problem.h"
#include "campaigns/rtl_campaign_set.h"
#include "db/store.h"
#include "report/protection_plan_json.h"

namespace npufi::cli {

struct ProtectionInputs {
  PlanGranularity granularity = PlanGranularity::block;
  std::string tech;
  std::string catalog;
  std::string area_model;  // empty: rtl/area-model.toml for the NPU, the design file's `area` for a design
  double confidence = 0.95;
  bool rtl_only = false;  // the NPU: plan only with the mechanisms its RTL has (docs/safety-rtl.md)
};

struct ProtectionSetup {
  ProtectionProblem problem;
  ProtectionSource source;  // campaigns, target, technology and area model files
};

// Throws SpecError when a design brought by the user changed since the campaigns ran, or for `rtl_only` on
// campaigns of a design brought by the user.
ProtectionSetup protection_setup(db::Store& store, const RtlCampaignSet& set, const ProtectionInputs& inputs);

}  // namespace npufi::cli
