#pragma once
// The network-level outcome of one injected fault (docs/rtl-faults.md, "Outcomes").
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/outcome_class.h"
#include "rtl/sim/design_fault_simulator.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {

// masked: output bit-identical and no error flag; sdc_benign: output differs, top-1 unchanged;
// sdc_critical: top-1 changed; due_detected: the NPU's error flag; due_hang: the watchdog.
OutcomeClass classify(const RtlFaultRun& run, const std::vector<int8_t>& golden_output);

// The same for a design brought by the user: top-1 is what its testbench decodes; without a decoder every
// output difference is an sdc_critical.
OutcomeClass classify(const DesignFaultRun& run, const DesignGolden& golden, const DesignFaultSimulator& simulator);

// The class of a network's float logits: the first largest, a NaN counting as larger than any number (as
// LibTorch's argmax).
int top1(const float* logits, int classes);
// The same for one image's float logits against the fault-free ones (a tensor target: no error signal).
OutcomeClass classify(const float* logits, const float* golden_logits, int classes);

}  // namespace npufi
