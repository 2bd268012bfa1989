#pragma once
// Renders an activation campaign's table as aligned text, CSV or JSON: per (format, BER), the accuracy
// and the fractions of images masked, sdc_benign and sdc_critical, each with a 95% Wilson interval.
#include <cstdint>
#include <string>
#include <vector>

#include "campaigns/results_table.h"

namespace npufi {

// Rows without outcomes (weight trials) are left out.
std::string outcome_table_text(const std::vector<BerRow>& rows);
std::string outcome_table_csv(const std::vector<BerRow>& rows);
std::string outcome_table_json(const std::vector<BerRow>& rows, int64_t campaign_id);

}  // namespace npufi
