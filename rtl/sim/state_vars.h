#pragma once
// The NPU's state variables per configuration, generated at build time from the design by
// npufi_state_scan (rtl/sim/state_scan.cpp). Private to rtl/sim.
#include <cstddef>

namespace npufi {

struct StateVar {
  const char* scope;  // instance path, e.g. "npu.u_controller"
  const char* name;   // variable in that instance
  bool has_constant;  // some clocked assignment writes it a constant (a reset or clear value)
};

// One read of an array state variable: the index as a postfix program over the scope's variables:
//   v:NAME (its value), c:N (a constant), sel:LSB:WIDTH (bits of the top), cat:W (top is the low W bits,
//   the one below it the high bits). An empty program: a read whose words cannot be known.
struct MemoryRead {
  const char* scope;
  const char* name;
  const char* index;
};

extern const StateVar kNpu32StateVars[], kNpu64StateVars[], kNpu128StateVars[], kNpu256StateVars[];
extern const size_t kNpu32StateVarsCount, kNpu64StateVarsCount, kNpu128StateVarsCount, kNpu256StateVarsCount;
extern const MemoryRead kNpu32StateVarsReads[], kNpu64StateVarsReads[], kNpu128StateVarsReads[], kNpu256StateVarsReads[];
extern const size_t kNpu32StateVarsReadsCount, kNpu64StateVarsReadsCount, kNpu128StateVarsReadsCount,
    kNpu256StateVarsReadsCount;

}  // namespace npufi
