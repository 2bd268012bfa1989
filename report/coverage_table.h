#pragma once
// The diagnostic coverage measured by injection, per block (analysis/measured_coverage.h), as `npufi
// analyze` prints it: a text table and JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/measured_coverage.h"

namespace npufi {

std::string coverage_table_text(const std::vector<MeasuredCoverage>& coverage);
nlohmann::json coverage_json(const std::vector<MeasuredCoverage>& coverage);

}  // namespace npufi
