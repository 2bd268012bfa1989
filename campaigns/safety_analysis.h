#pragma once
// The ISO 26262 analysis of RTL campaigns, as `npufi analyze` and `npufi report` make it: the campaigns
// pooled (campaigns/rtl_campaign_set.h), their outcomes per block, the FMEDA and the verdict.
#include <cstdint>
#include <vector>

#include "analysis/asil.h"
#include "analysis/fmeda.h"
#include "analysis/measured_coverage.h"
#include "campaigns/rtl_campaign_set.h"
#include "db/store.h"

namespace npufi {

struct SafetyAnalysis {
  RtlCampaignSet set;
  std::vector<BlockOutcomes> outcomes;
  Fmeda fmeda;
  Verdict verdict;  // of set.target
  std::vector<MeasuredCoverage> coverage;  // per block, from injections that ran on a baseline too
};

// Throws SpecError for campaigns that cannot be pooled (rtl_campaign_set).
SafetyAnalysis analyze_safety(db::Store& store, const std::vector<int64_t>& campaign_ids, const Technology& technology,
                              const SafetyOptions& options, Asil asil);

}  // namespace npufi
