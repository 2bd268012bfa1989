#pragma once
// The state tables of the designs compiled into npufi (the reference NPU per configuration), generated at
// build time from the design by npufi_state_scan (rtl/design/state_scan.h). Private to rtl/sim.
#include <cstddef>

#include "npufi/design_abi.h"

extern const npufi::StateVar kNpu32StateVars[], kNpu64StateVars[], kNpu128StateVars[], kNpu256StateVars[];
extern const size_t kNpu32StateVarsCount, kNpu64StateVarsCount, kNpu128StateVarsCount, kNpu256StateVarsCount;
extern const npufi::MemoryPort kNpu32StateVarsPorts[], kNpu64StateVarsPorts[], kNpu128StateVarsPorts[],
    kNpu256StateVarsPorts[];
extern const size_t kNpu32StateVarsPortsCount, kNpu64StateVarsPortsCount, kNpu128StateVarsPortsCount,
    kNpu256StateVarsPortsCount;
