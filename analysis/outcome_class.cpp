#include "analysis/outcome_class.h"

namespace npufi {

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

}  // namespace npufi
