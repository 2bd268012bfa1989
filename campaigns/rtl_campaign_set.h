#pragma once
// Several RTL campaigns analysed as one (npufi analyze, npufi protect with --campaign 1,2,3): typically an
// SEU campaign and stuck-at-0 and stuck-at-1 campaigns of one NPU configuration and model, whose outcomes
// campaigns/rtl_results.h pools per stratum (docs/protection.md, "Permanent faults").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/store.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi {

struct RtlCampaignSet {
  std::vector<int64_t> ids;
  std::vector<db::CampaignRow> campaigns;  // in the order of ids
  std::string target;          // what they ran on: "npu64", or a design's name
  std::optional<NpuConfig> npu;  // the reference NPU's configuration; none for a design brought by the user
  std::string design;            // that design's file, as the campaigns ran it
  // "campaign 1 (npu32-seu)", or "campaigns 1 (npu32-seu), 2 (npu32-sa0)".
  std::string description() const;
};

// Checks that `ids` is not empty, names RTL campaigns of the database, none twice, all on one NPU
// configuration or design, one model or design build (by its digest) and one protection plan (or none). Throws SpecError, one line
// naming the campaigns at fault.
RtlCampaignSet rtl_campaign_set(db::Store& store, const std::vector<int64_t>& ids);

}  // namespace npufi
