#include "rtl/sim/npu_inventory.h"

#include <map>
#include <mutex>

#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_device.h"
#include "rtl/sim/state_access.h"

namespace npufi {

const FaultSites& npu_fault_sites(NpuConfig config) {
  static std::mutex mutex;
  static std::map<NpuConfig, FaultSites> sites;
  const std::lock_guard lock(mutex);
  auto found = sites.find(config);
  if (found == sites.end()) {
    const NpuDevice device(config);
    found = sites.emplace(config, device.state_access().sites()).first;
  }
  return found->second;
}

std::vector<BlockStorage> storage_inventory(const FaultSites& sites) {
  std::map<std::string, BlockStorage> blocks;
  for (const StateElement& element : sites.elements()) {
    BlockStorage& block = blocks[element.block];
    (element.kind == StorageKind::sram ? block.sram_bits : block.flop_bits) += element.bits();
  }
  std::vector<BlockStorage> out;
  for (auto& [name, block] : blocks) {
    block.block = name;
    out.push_back(block);
  }
  return out;
}

std::vector<BlockStorage> npu_inventory(NpuConfig config) {
  std::vector<BlockStorage> out = storage_inventory(npu_fault_sites(config));
  for (BlockStorage& block : out)
    if (block.block == "mac_array") block.macs = uint64_t(npu_geometry(config).macs);
  return out;
}

}  // namespace npufi
