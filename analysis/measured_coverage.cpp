#include "analysis/measured_coverage.h"

#include "analysis/proportion_interval.h"

namespace npufi {

void count_coverage(CoverageCounts& counts, OutcomeClass protected_outcome, OutcomeClass baseline_outcome,
                    const SafetyOptions& options) {
  if (!violates(baseline_outcome, options)) return;
  ++counts.violating;
  if (protected_outcome == OutcomeClass::due_detected) ++counts.detected;
  else if (!violates(protected_outcome, options)) ++counts.corrected;
}

MeasuredCoverage measured_coverage(const std::string& block, const CoverageCounts& counts, double confidence) {
  MeasuredCoverage m{block, counts, 0, {0, 1}};
  const uint64_t covered = counts.detected + counts.corrected;
  if (counts.violating > 0) {
    m.dc = double(covered) / double(counts.violating);
    m.interval = proportion_interval(covered, counts.violating, confidence);
  }
  return m;
}

}  // namespace npufi
