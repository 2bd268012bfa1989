// The diagnostic coverage measured from pairs of outcomes (protected design, baseline design).
#include <gtest/gtest.h>

#include "analysis/measured_coverage.h"

namespace npufi {
namespace {

using O = OutcomeClass;

TEST(MeasuredCoverage, CountsOnlyFaultsThatViolateOnTheBaseline) {
  const SafetyOptions options;  // sdc_critical and due_hang violate; sdc_benign does not
  CoverageCounts c;
  count_coverage(c, O::due_detected, O::sdc_critical, options);  // detected
  count_coverage(c, O::masked, O::sdc_critical, options);        // corrected
  count_coverage(c, O::sdc_benign, O::due_hang, options);        // corrected: no longer violating
  count_coverage(c, O::sdc_critical, O::sdc_critical, options);  // missed
  count_coverage(c, O::due_hang, O::sdc_critical, options);      // missed: still violating
  count_coverage(c, O::due_detected, O::masked, options);        // not violating on the baseline: not counted
  count_coverage(c, O::sdc_critical, O::sdc_benign, options);    // neither
  EXPECT_EQ(c.violating, 5u);
  EXPECT_EQ(c.detected, 1u);
  EXPECT_EQ(c.corrected, 2u);
  EXPECT_EQ(c.missed(), 2u);

  SafetyOptions strict;
  strict.sdc_benign_relevant = true;
  strict.due_hang_relevant = false;
  CoverageCounts s;
  count_coverage(s, O::masked, O::sdc_benign, strict);      // corrected
  count_coverage(s, O::sdc_benign, O::sdc_critical, strict);  // missed: benign now violates
  count_coverage(s, O::masked, O::due_hang, strict);        // a hang is safe here: not counted
  EXPECT_EQ(s.violating, 2u);
  EXPECT_EQ(s.corrected, 1u);
  EXPECT_EQ(s.missed(), 1u);
}

TEST(MeasuredCoverage, IsTheCoveredShareWithAnExactInterval) {
  const MeasuredCoverage m = measured_coverage("ifm_buffer", {20, 5, 14, }, 0.95);
  EXPECT_DOUBLE_EQ(m.dc, 19.0 / 20.0);
  // Clopper-Pearson for 19 of 20 at 95 %: [0.7513, 0.9987] (tables of the exact binomial interval).
  EXPECT_NEAR(m.interval.low, 0.7513, 1e-4);
  EXPECT_NEAR(m.interval.high, 0.9987, 1e-4);
  const MeasuredCoverage none = measured_coverage("status", {}, 0.95);
  EXPECT_EQ(none.dc, 0);
  EXPECT_EQ(none.interval.low, 0);
  EXPECT_EQ(none.interval.high, 1);
}

}  // namespace
}  // namespace npufi
