#pragma once
// Calls a generic function with the Verilated model class and the state table of one NPU configuration:
//   with_npu_model(config, [&]<class V>(const NpuStateTables& tables) { ... });
// Private to rtl/sim: it includes the Verilated models.
#include <cstddef>
#include <stdexcept>

#include "Vnpu128.h"
#include "Vnpu256.h"
#include "Vnpu32.h"
#include "Vnpu64.h"
#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/state_vars.h"

namespace npufi {

struct NpuStateTables {
  const StateVar* vars;
  size_t var_count;
  const MemoryPort* ports;
  size_t port_count;
};

template <class F>
decltype(auto) with_npu_model(NpuConfig config, F&& f) {
  switch (config) {
    case NpuConfig::npu32: return f.template operator()<Vnpu32>(NpuStateTables{kNpu32StateVars, kNpu32StateVarsCount, kNpu32StateVarsPorts, kNpu32StateVarsPortsCount});
    case NpuConfig::npu64: return f.template operator()<Vnpu64>(NpuStateTables{kNpu64StateVars, kNpu64StateVarsCount, kNpu64StateVarsPorts, kNpu64StateVarsPortsCount});
    case NpuConfig::npu128: return f.template operator()<Vnpu128>(NpuStateTables{kNpu128StateVars, kNpu128StateVarsCount, kNpu128StateVarsPorts, kNpu128StateVarsPortsCount});
    case NpuConfig::npu256: return f.template operator()<Vnpu256>(NpuStateTables{kNpu256StateVars, kNpu256StateVarsCount, kNpu256StateVarsPorts, kNpu256StateVarsPortsCount});
  }
  throw std::invalid_argument("unknown NPU configuration");
}

}  // namespace npufi
