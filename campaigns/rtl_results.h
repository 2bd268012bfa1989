#pragma once
// RTL campaigns' stored injections as the statistics' input (analysis/block_outcomes.h): one entry per
// (unit, storage kind, fault duration), a unit being a block or a register group, pooled over one or more
// campaigns (an SEU campaign and stuck-at campaigns of one NPU, say), with the population from the database.
// Every unit of the campaigns' populations is listed for every fault duration that some campaign injected;
// those that no injection hit have no counts, so the statistics say that their rate is unknown instead of
// silently leaving them out.
#include <cstdint>
#include <vector>

#include "analysis/block_outcomes.h"
#include "analysis/measured_coverage.h"
#include "db/store.h"
#include "rtl/sim/fault_sites.h"

namespace npufi {

// True when the campaign is an RTL campaign (it has a population).
bool is_rtl_campaign(db::Store& store, int64_t campaign_id);

// Per block. Throws std::runtime_error when a campaign is not an RTL campaign.
std::vector<BlockOutcomes> block_outcomes(db::Store& store, const std::vector<int64_t>& campaign_ids);

// Per register group: each state element of `sites` (the design the campaigns ran on) in a block of the
// populations, named by its path ("controller.state"); an injection belongs to the element of its site
// number. Throws std::runtime_error when a campaign is not an RTL campaign.
std::vector<BlockOutcomes> register_outcomes(db::Store& store, const std::vector<int64_t>& campaign_ids,
                                             const FaultSites& sites);

// Per block, the diagnostic coverage measured from the injections that also ran on a baseline design
// (analysis/measured_coverage.h); empty when none did.
std::vector<MeasuredCoverage> measured_coverages(db::Store& store, const std::vector<int64_t>& campaign_ids,
                                                 const SafetyOptions& options);

}  // namespace npufi
