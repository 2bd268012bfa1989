#pragma once
// An RTL campaign's stored injections as the statistics' input (analysis/block_outcomes.h): one entry per
// (block, storage kind, fault duration) that was injected, with its population from the database.
#include <cstdint>
#include <vector>

#include "analysis/block_outcomes.h"
#include "db/store.h"

namespace npufi {

// True when the campaign is an RTL campaign (it has a population).
bool is_rtl_campaign(db::Store& store, int64_t campaign_id);

// Throws std::runtime_error when the campaign is not an RTL campaign.
std::vector<BlockOutcomes> block_outcomes(db::Store& store, int64_t campaign_id);

}  // namespace npufi
