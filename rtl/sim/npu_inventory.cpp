#include "rtl/sim/npu_inventory.h"

#include <map>
#include <stdexcept>

#include "Vnpu128.h"
#include "Vnpu256.h"
#include "Vnpu32.h"
#include "Vnpu64.h"
#include "rtl/sim/state_vars.h"
#include "verilated.h"
#include "verilated_syms.h"

namespace npufi {

namespace {

// Bits of one variable as the model stores it: packed width x every unpacked dimension.
uint64_t variable_bits(const VerilatedVar& var) {
  uint64_t bits = var.dims() > var.udims() ? uint64_t(var.packed().elements()) : 1;
  for (int d = 1; d <= var.udims(); ++d) bits *= uint64_t(var.elements(d));
  return bits;
}

// "npu.u_weight_buffer.mem" belongs to block "weight_buffer": the instance under the top, less "u_".
std::string block_of(const std::string& scope) {
  const size_t dot = scope.find('.');
  if (dot == std::string::npos) return "";
  std::string instance = scope.substr(dot + 1, scope.find('.', dot + 1) - dot - 1);
  return instance.rfind("u_", 0) == 0 ? instance.substr(2) : instance;
}

template <class V>
std::vector<BlockStorage> count(NpuConfig config, const StateVar* vars, size_t var_count) {
  VerilatedContext context;
  const V model{&context, ""};
  const VerilatedScopeNameMap& scopes = *context.scopeNameMap();
  std::map<std::string, BlockStorage> blocks;
  for (size_t i = 0; i < var_count; ++i) {
    const StateVar& state = vars[i];
    const auto scope = scopes.find(state.scope);
    const VerilatedVar* var = scope == scopes.end() ? nullptr : scope->second->varFind(state.name);
    if (!var)
      throw std::logic_error(std::string("state variable ") + state.scope + "." + state.name +
                             " is not in the Verilated model");
    BlockStorage& block = blocks[block_of(state.scope)];
    // A memory has an unpacked dimension and no reset or clear value.
    (var->udims() > 0 && !state.has_constant ? block.sram_bits : block.flop_bits) += variable_bits(*var);
  }
  std::vector<BlockStorage> out;
  for (auto& [name, block] : blocks) {
    block.block = name;
    if (name == "mac_array") block.macs = uint64_t(npu_geometry(config).macs);
    out.push_back(block);
  }
  return out;
}

}  // namespace

std::vector<BlockStorage> npu_inventory(NpuConfig config) {
  switch (config) {
    case NpuConfig::npu32: return count<Vnpu32>(config, kNpu32StateVars, kNpu32StateVarsCount);
    case NpuConfig::npu64: return count<Vnpu64>(config, kNpu64StateVars, kNpu64StateVarsCount);
    case NpuConfig::npu128: return count<Vnpu128>(config, kNpu128StateVars, kNpu128StateVarsCount);
    case NpuConfig::npu256: return count<Vnpu256>(config, kNpu256StateVars, kNpu256StateVarsCount);
  }
  throw std::invalid_argument("unknown NPU configuration");
}

}  // namespace npufi
