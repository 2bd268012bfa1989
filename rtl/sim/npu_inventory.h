#pragma once
// A design's storage per block, counted from the Verilated model and the design's clocked processes
// (docs/npu.md gives the rule). No Verilator header here.
#include <cstdint>
#include <string>
#include <vector>

#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/fault_sites.h"

namespace npufi {

struct BlockStorage {
  std::string block;       // the instance under the top without its "u_" prefix, e.g. "weight_buffer"
  uint64_t flop_bits = 0;  // bits held in flip-flops
  uint64_t sram_bits = 0;  // bits held in memory macros
  uint64_t macs = 0;       // multipliers (the mac_array block only)
};

// One entry per block of `sites` that holds state, sorted by block name; no MACs.
std::vector<BlockStorage> storage_inventory(const FaultSites& sites);

// The reference NPU's: one entry per block that holds state, sorted by block name, with its MACs.
std::vector<BlockStorage> npu_inventory(NpuConfig config);

}  // namespace npufi
