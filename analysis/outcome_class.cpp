#include "analysis/outcome_class.h"

namespace npufi {

const char* to_string(OutcomeClass outcome) {
  switch (outcome) {
    case OutcomeClass::masked: return "masked";
    case OutcomeClass::sdc_benign: return "sdc_benign";
    case OutcomeClass::sdc_critical: return "sdc_critical";
    case OutcomeClass::due_detected: return "due_detected";
    case OutcomeClass::due_hang: return "due_hang";
  }
  return "?";
}

uint64_t count_of(const OutcomeCounts& counts, OutcomeClass outcome) {
  switch (outcome) {
    case OutcomeClass::masked: return counts.masked;
    case OutcomeClass::sdc_benign: return counts.sdc_benign;
    case OutcomeClass::sdc_critical: return counts.sdc_critical;
    case OutcomeClass::due_detected: return counts.due_detected;
    case OutcomeClass::due_hang: return counts.due_hang;
  }
  return 0;
}

const char* to_string(StorageKind storage) { return storage == StorageKind::flop ? "flop" : "sram"; }

const char* to_string(FaultDuration duration) {
  return duration == FaultDuration::transient ? "transient" : "permanent";
}

}  // namespace npufi
