#pragma once
// The FMEDA and its verdict as JSON (for `npufi analyze --json` and reports).
#include <nlohmann/json_fwd.hpp>

#include "analysis/asil.h"
#include "analysis/fmeda.h"

namespace npufi {

// {"confidence", "interval_method", "strata": [per stratum and class: AVF, interval, FIT, bound],
//  "fit_totals", "fmeda": [rows], "total", "metrics", "verdict"}; docs/statistics.md lists every field.
nlohmann::json fmeda_json(const Fmeda& fmeda, const Verdict& verdict);

}  // namespace npufi
