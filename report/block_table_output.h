#pragma once
// Renders an RTL campaign's per-block outcome fractions (with a 95% Wilson interval for sdc_critical) as
// aligned text, CSV or JSON.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/block_outcomes.h"

namespace npufi {

std::string block_table_text(const std::vector<BlockOutcomes>& blocks);
std::string block_table_csv(const std::vector<BlockOutcomes>& blocks);
nlohmann::json block_table_json(const std::vector<BlockOutcomes>& blocks, int64_t campaign_id);

}  // namespace npufi
