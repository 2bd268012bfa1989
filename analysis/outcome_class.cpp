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

namespace {

// The counter of `outcome` in `counts`, const or not.
template <class Counts>
auto& counter(Counts& counts, OutcomeClass outcome) {
  switch (outcome) {
    case OutcomeClass::masked: return counts.masked;
    case OutcomeClass::sdc_benign: return counts.sdc_benign;
    case OutcomeClass::sdc_critical: return counts.sdc_critical;
    case OutcomeClass::due_detected: return counts.due_detected;
    case OutcomeClass::due_hang: break;
  }
  return counts.due_hang;
}

}  // namespace

uint64_t count_of(const OutcomeCounts& counts, OutcomeClass outcome) { return counter(counts, outcome); }
uint64_t& count_of(OutcomeCounts& counts, OutcomeClass outcome) { return counter(counts, outcome); }

const char* to_string(StorageKind storage) { return storage == StorageKind::flop ? "flop" : "sram"; }

const char* to_string(FaultDuration duration) {
  return duration == FaultDuration::transient ? "transient" : "permanent";
}

}  // namespace npufi
