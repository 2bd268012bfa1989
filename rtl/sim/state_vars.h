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

// One read or write port of an array state variable. Its word index is a postfix program over the
// scope's variables:
//   v:NAME (its value), c:N (a constant), sel:LSB:WIDTH (bits of the top), cat:W (top is the low W bits,
//   the one below it the high bits),
// and, in a write's enable program, also the operators and, or, xor, not:W (bitwise, W bits wide), logand,
// logor, lognot, eq, neq. An empty index program: a port whose words cannot be known.
// A write port writes whole words at the clock edge when its enable program is non-zero.
struct MemoryPort {
  const char* scope;
  const char* name;
  bool write;
  const char* index;
  const char* enable;  // write ports only
};
extern const StateVar kNpu32StateVars[], kNpu64StateVars[], kNpu128StateVars[], kNpu256StateVars[];
extern const size_t kNpu32StateVarsCount, kNpu64StateVarsCount, kNpu128StateVarsCount, kNpu256StateVarsCount;
extern const MemoryPort kNpu32StateVarsPorts[], kNpu64StateVarsPorts[], kNpu128StateVarsPorts[], kNpu256StateVarsPorts[];
extern const size_t kNpu32StateVarsPortsCount, kNpu64StateVarsPortsCount, kNpu128StateVarsPortsCount,
    kNpu256StateVarsPortsCount;

}  // namespace npufi
