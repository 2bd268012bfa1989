#pragma once
// The network-level outcome of one injected fault (docs/rtl-faults.md, "Outcomes").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {

enum class Outcome { masked, sdc_benign, sdc_critical, due_detected, due_hang };
inline constexpr Outcome kAllOutcomes[] = {Outcome::masked, Outcome::sdc_benign, Outcome::sdc_critical,
                                           Outcome::due_detected, Outcome::due_hang};
std::string outcome_name(Outcome outcome);  // "masked", "sdc_benign", ...
std::optional<Outcome> parse_outcome(std::string_view name);

// masked: output bit-identical and no error flag; sdc_benign: output differs, top-1 unchanged;
// sdc_critical: top-1 changed; due_detected: the NPU's error flag; due_hang: the watchdog.
Outcome classify(const RtlFaultRun& run, const std::vector<int8_t>& golden_output);

}  // namespace npufi
