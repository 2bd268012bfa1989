#pragma once
// The FMEDA as text: one row per block and a total row, as CSV (RFC 4180) or a Markdown table.
#include <string>

#include "analysis/fmeda.h"

namespace npufi {

std::string fmeda_csv(const Fmeda& fmeda);
std::string fmeda_markdown(const Fmeda& fmeda);

}  // namespace npufi
