#pragma once
// The five network-level outcome classes of an injection, as an enum for indexing OutcomeCounts.
#include <array>
#include <cstdint>

#include "analysis/block_outcomes.h"

namespace npufi {

enum class OutcomeClass { masked, sdc_benign, sdc_critical, due_detected, due_hang };

inline constexpr std::array<OutcomeClass, 5> kOutcomeClasses = {
    OutcomeClass::masked, OutcomeClass::sdc_benign, OutcomeClass::sdc_critical, OutcomeClass::due_detected,
    OutcomeClass::due_hang};

const char* to_string(OutcomeClass outcome);          // "masked", "sdc_critical", ...
uint64_t count_of(const OutcomeCounts& counts, OutcomeClass outcome);
uint64_t& count_of(OutcomeCounts& counts, OutcomeClass outcome);

const char* to_string(StorageKind storage);           // "flop", "sram"
const char* to_string(FaultDuration duration);        // "transient", "permanent"

}  // namespace npufi
