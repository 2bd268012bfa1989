#pragma once
// Diagnostic coverage measured by injection (docs/safety-rtl.md, "Measured diagnostic coverage"): each fault
// of a campaign on a design with safety mechanisms also ran on its baseline, the design without them. Of
// the faults that violate the safety goal on the baseline, the share that the protected design detects
// (due_detected) or corrects (it does not violate there, nor raise an error) is the mechanism's
// single-point DC, measured, with its interval.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/fmeda.h"
#include "analysis/interval.h"
#include "analysis/outcome_class.h"

namespace npufi {

struct CoverageCounts {
  uint64_t violating = 0;  // injections that violate on the baseline
  uint64_t detected = 0;   // ... that the protected design detects
  uint64_t corrected = 0;  // ... that it neither detects nor lets violate
  uint64_t missed() const { return violating - detected - corrected; }
};

struct MeasuredCoverage {
  std::string block;  // of the protected design
  CoverageCounts counts;
  double dc = 0;       // (detected + corrected) / violating; 0 with no violating fault
  Interval interval;   // Clopper-Pearson at the confidence; [0, 1] with no violating fault
};

// Counts one injection: its outcome on the protected design and on the baseline.
void count_coverage(CoverageCounts& counts, OutcomeClass protected_outcome, OutcomeClass baseline_outcome,
                    const SafetyOptions& options);

MeasuredCoverage measured_coverage(const std::string& block, const CoverageCounts& counts, double confidence);

}  // namespace npufi
