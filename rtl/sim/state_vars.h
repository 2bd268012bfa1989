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

extern const StateVar kNpu32StateVars[], kNpu64StateVars[], kNpu128StateVars[], kNpu256StateVars[];
extern const size_t kNpu32StateVarsCount, kNpu64StateVarsCount, kNpu128StateVarsCount, kNpu256StateVarsCount;

}  // namespace npufi
