#include "injector/outcome.h"

#include "rtl/reference/int8_reference.h"

namespace npufi {

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::masked: return "masked";
    case Outcome::sdc_benign: return "sdc_benign";
    case Outcome::sdc_critical: return "sdc_critical";
    case Outcome::due_detected: return "due_detected";
    case Outcome::due_hang: return "due_hang";
  }
  return "unknown";
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (Outcome outcome : kAllOutcomes)
    if (name == outcome_name(outcome)) return outcome;
  return std::nullopt;
}

Outcome classify(const RtlFaultRun& run, const std::vector<int8_t>& golden_output) {
  if (run.status == RunStatus::timeout) return Outcome::due_hang;
  if (run.status == RunStatus::error) return Outcome::due_detected;
  if (run.output == golden_output) return Outcome::masked;
  return top1(run.output) == top1(golden_output) ? Outcome::sdc_benign : Outcome::sdc_critical;
}

}  // namespace npufi
