#pragma once
// The outcome classes (injector/fault_vocabulary.h) as indices into OutcomeCounts.
#include <cstdint>

#include "analysis/block_outcomes.h"
#include "injector/fault_vocabulary.h"

namespace npufi {

uint64_t count_of(const OutcomeCounts& counts, OutcomeClass outcome);
uint64_t& count_of(OutcomeCounts& counts, OutcomeClass outcome);

}  // namespace npufi
