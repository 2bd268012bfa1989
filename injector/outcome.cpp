#include "injector/outcome.h"

#include <cmath>
#include <cstring>

#include "rtl/reference/int8_reference.h"

namespace npufi {

OutcomeClass classify(const RtlFaultRun& run, const std::vector<int8_t>& golden_output) {
  if (run.status == RunStatus::timeout) return OutcomeClass::due_hang;
  if (run.status == RunStatus::error) return OutcomeClass::due_detected;
  if (run.output == golden_output) return OutcomeClass::masked;
  return top1(run.output) == top1(golden_output) ? OutcomeClass::sdc_benign : OutcomeClass::sdc_critical;
}

OutcomeClass classify(const DesignFaultRun& run, const DesignGolden& golden, const DesignFaultSimulator& simulator) {
  if (run.status == RunStatus::timeout) return OutcomeClass::due_hang;
  if (run.status == RunStatus::error) return OutcomeClass::due_detected;
  if (run.output == golden.output()) return OutcomeClass::masked;
  if (!golden.top1()) return OutcomeClass::sdc_critical;
  return simulator.classify(run.output) == golden.top1() ? OutcomeClass::sdc_benign : OutcomeClass::sdc_critical;
}

int top1(const float* logits, int classes) {
  int best = 0;
  for (int c = 1; c < classes && !std::isnan(logits[best]); ++c)
    if (std::isnan(logits[c]) || logits[c] > logits[best]) best = c;
  return best;
}

OutcomeClass classify(const float* logits, const float* golden_logits, int classes) {
  if (std::memcmp(logits, golden_logits, sizeof(float) * size_t(classes)) == 0) return OutcomeClass::masked;
  return top1(logits, classes) == top1(golden_logits, classes) ? OutcomeClass::sdc_benign : OutcomeClass::sdc_critical;
}

}  // namespace npufi
