#pragma once
// One campaign's results table, as `npufi export` gives it: per format and BER for a weight campaign
// (report/ber_table_output.h) or an activation campaign (report/outcome_table_output.h), per block for an
// RTL campaign (report/block_table_output.h).
#include <cstdint>
#include <string>
#include <vector>

#include "db/store.h"

namespace npufi {

enum class TableFormat { text, csv, json };

// Throws std::runtime_error when the campaign is not in the database or has no results yet.
std::string campaign_table(db::Store& store, int64_t campaign_id, TableFormat format);

// Every stored injection of an RTL campaign as CSV (RFC 4180), one row each, the columns of db::InjectionRow.
std::string injections_csv(const std::vector<db::InjectionRow>& injections);

}  // namespace npufi
