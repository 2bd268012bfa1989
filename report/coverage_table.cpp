#include "report/coverage_table.h"

#include <cstdio>

namespace npufi {

std::string coverage_table_text(const std::vector<MeasuredCoverage>& coverage) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %10s %9s %10s %7s %9s  %-19s\n", "block", "violating", "detected",
                "corrected", "missed", "DC", "DC interval");
  out += line;
  for (const MeasuredCoverage& m : coverage) {
    const CoverageCounts& c = m.counts;
    if (c.violating == 0) {
      std::snprintf(line, sizeof line, "%-22s %10d %9s %10s %7s %9s  %-19s\n", m.block.c_str(), 0, "-", "-", "-", "-",
                    "(no violating fault)");
    } else {
      std::snprintf(line, sizeof line, "%-22s %10llu %9llu %10llu %7llu %8.2f%%  [%6.2f%%, %6.2f%%]\n", m.block.c_str(),
                    (unsigned long long)c.violating, (unsigned long long)c.detected, (unsigned long long)c.corrected,
                    (unsigned long long)c.missed(), 100 * m.dc, 100 * m.interval.low, 100 * m.interval.high);
    }
    out += line;
  }
  return out;
}

nlohmann::json coverage_json(const std::vector<MeasuredCoverage>& coverage) {
  nlohmann::json out = nlohmann::json::array();
  for (const MeasuredCoverage& m : coverage)
    out.push_back({{"block", m.block},
                   {"violating_on_baseline", m.counts.violating},
                   {"detected", m.counts.detected},
                   {"corrected", m.counts.corrected},
                   {"missed", m.counts.missed()},
                   {"dc", m.counts.violating ? nlohmann::json(m.dc) : nlohmann::json()},
                   {"dc_interval", {m.interval.low, m.interval.high}}});
  return out;
}

}  // namespace npufi
