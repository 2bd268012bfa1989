#pragma once
// Renders the accuracy-vs-BER table as aligned text, CSV or JSON.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "campaigns/results_table.h"

namespace npufi {

std::string ber_table_text(const std::vector<BerRow>& rows);
std::string ber_table_csv(const std::vector<BerRow>& rows);
nlohmann::json ber_table_json(const std::vector<BerRow>& rows, int64_t campaign_id);

}  // namespace npufi
