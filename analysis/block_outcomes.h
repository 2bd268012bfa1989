#pragma once
// What a fault campaign measured for one group of state bits: the population and how the injections into
// it ended. RTL campaigns give one entry per (block, storage kind, fault duration); the statistics, FIT
// and ISO 26262 code read only this, so they work without a simulator.
#include <cstdint>
#include <string>

#include "injector/fault_vocabulary.h"

namespace npufi {

// Network-level outcome counts (docs/rtl-faults.md gives the definitions).
struct OutcomeCounts {
  uint64_t masked = 0;        // output bit-identical, no error flag
  uint64_t sdc_benign = 0;    // int8 output differs, top-1 unchanged
  uint64_t sdc_critical = 0;  // top-1 class changed
  uint64_t due_detected = 0;  // the NPU raised its error flag (or a safety mechanism fired)
  uint64_t due_hang = 0;      // no completion within 2x the golden cycle count
  uint64_t total() const { return masked + sdc_benign + sdc_critical + due_detected + due_hang; }
};


struct BlockOutcomes {
  std::string block;  // the instance under the top, e.g. "controller", "weight_buffer"
  StorageKind storage = StorageKind::flop;
  FaultDuration duration = FaultDuration::transient;
  uint64_t bits = 0;     // state bits of this storage kind in the block: the sampled population
  uint64_t cycles = 0;   // cycles of the workload over which injection times were drawn
  OutcomeCounts counts;  // injections that hit these bits
};

}  // namespace npufi
