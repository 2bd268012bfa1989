#pragma once
// Finds a variable of a Verilated model (public in its Verilator configuration, or built with
// --public-flat-rw) by instance path and name.
#include <cstring>

#include "npufi/design_abi.h"
#include "verilated.h"
#include "verilated_syms.h"

namespace npufi {

inline bool find_verilated_var(const VerilatedContext& context, const char* scope, const char* name, DesignVar& out) {
  const VerilatedScopeNameMap& scopes = *const_cast<VerilatedContext&>(context).scopeNameMap();
  const auto found = scopes.find(scope);
  const VerilatedVar* var = found == scopes.end() ? nullptr : found->second->varFind(name);
  if (!var) return false;
  out.data = static_cast<uint8_t*>(var->datap());
  out.width = var->dims() > var->udims() ? uint32_t(var->packed().elements()) : 1;
  out.word_bytes = uint32_t(var->entSize());
  out.words = 1;
  for (int d = 1; d <= var->udims(); ++d) out.words *= uint64_t(var->elements(d));
  out.unpacked_dims = uint32_t(var->udims());
  return true;
}

}  // namespace npufi
