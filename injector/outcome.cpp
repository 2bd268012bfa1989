#include "injector/outcome.h"

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

}  // namespace npufi
