#include "rtl/sim/npu_device.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "rtl/compiler/npu_workload_file.h"
#include "rtl/design/block_rules.h"
#include "rtl/design/design_build.h"

namespace npufi {

namespace {

struct LoadedNpu {
  DesignFile design;
  std::shared_ptr<const DesignPlugin> plugin;
};

const LoadedNpu& loaded_npu(NpuConfig config) {
  static std::mutex mutex;
  static std::map<NpuConfig, LoadedNpu> loaded;
  const std::lock_guard lock(mutex);
  auto found = loaded.find(config);
  if (found == loaded.end()) {
    LoadedNpu npu;
    npu.design = load_design_file(npu_design_file(config));
    const BuiltDesign built = find_built_design(npu.design);
    npu.plugin = DesignPlugin::load(built.plugin, built.digest);
    found = loaded.emplace(config, std::move(npu)).first;
  }
  return found->second;
}

}  // namespace

std::string npu_design_file(NpuConfig config) {
  return std::string(NPUFI_SOURCE_DIR) + "/rtl/npu/" + npu_config_name(config) + ".toml";
}

const DesignFile& npu_design(NpuConfig config) { return loaded_npu(config).design; }
std::shared_ptr<const DesignPlugin> npu_plugin(NpuConfig config) { return loaded_npu(config).plugin; }

NpuDevice::NpuDevice(NpuConfig config)
    : config_(config), model_(npu_plugin(config)), req_(top_port("mem_req")), we_(top_port("mem_we")),
      addr_(top_port("mem_addr")), wdata_(top_port("mem_wdata")), rvalid_(top_port("mem_rvalid")),
      rdata_(top_port("mem_rdata")), done_(top_port("done")), error_(top_port("error")),
      mac_busy_(top_port("mac_busy")), err_code_(top_port("err_code")), err_pc_(top_port("err_pc")) {}

DesignVar NpuDevice::top_port(const char* name) const {
  DesignVar var;
  if (!model_.find_var("TOP", name, var) || var.width > 64)
    throw std::logic_error(std::string("the NPU plugin has no port ") + name);
  return var;
}

uint64_t NpuDevice::port(const DesignVar& var) {
  uint64_t value = 0;
  for (uint32_t b = 0; b < var.word_bytes && b < 8; ++b) value |= uint64_t(var.data[b]) << (8 * b);
  return var.width < 64 ? value & ((uint64_t(1) << var.width) - 1) : value;
}

VarLookup NpuDevice::lookup() const {
  return [this](const char* scope, const char* name, DesignVar& out) { return model_.find_var(scope, name, out); };
}

StateAccess NpuDevice::state_access() const {
  const DesignApi& api = model_.plugin().api();
  const DesignFile& design = npu_design(config_);
  return StateAccess(lookup(), api.state_vars, api.state_var_count, api.ports, api.port_count,
                     [rules = design.blocks, top = design.top](const std::string& path) {
                       return block_of_instance(rules, top, path);
                     });
}

const std::vector<std::string>& NpuDevice::outcome_outputs() {
  static const std::vector<std::string> outputs{"mem_req", "mem_we", "mem_addr", "mem_wdata", "done", "error"};
  return outputs;
}

void NpuDevice::load(const MemoryImage& image) {
  // The testbench reads workloads from files: one in the temporary folder, removed at once.
  static std::atomic<int> serial{0};
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("npufi-" + std::to_string(getpid()) + "-" + std::to_string(serial++) + ".npuw"))
                               .string();
  write_npu_workload(path, image, std::vector<int8_t>(size_t(image.input.size()), 0), npu_geometry(config_).mem_bytes);
  try {
    model_.load(path);
  } catch (...) {
    std::filesystem::remove(path);
    throw;
  }
  std::filesystem::remove(path);
  const std::vector<DesignModel::Memory> memories = model_.memories();
  if (memories.size() != 1) throw std::logic_error("the NPU testbench must model exactly one memory");
  memory_ = {memories[0].data, memories[0].bytes};
}

BusAccess NpuDevice::observe() const {
  BusAccess access;
  if (!port(req_)) return access;
  access.addr = uint32_t(port(addr_));
  if (port(we_)) {
    access.kind = BusAccess::write;
    if (access.addr < memory_.size()) access.old_value = memory_[access.addr];
  } else {
    access.kind = BusAccess::read;
  }
  return access;
}

}  // namespace npufi
