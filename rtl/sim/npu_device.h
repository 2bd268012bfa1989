#pragma once
// The reference NPU of one configuration on the path every design takes (docs/your-design.md): its design
// file rtl/npu/npuN.toml, the plugin `npufi design build` makes of it (npufi's own build makes all four),
// and one model of it with its testbench (rtl/npu/npu_testbench.cpp), which serves the memory port. The
// host watches that port, so that the NPU's own tools (the layer-aware fault simulator, the evaluation on
// test images) know every memory access. No Verilator header here.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rtl/compiler/npu_compiler.h"
#include "rtl/design/design_file.h"
#include "rtl/design/design_plugin.h"
#include "rtl/sim/state_access.h"

namespace npufi {

// The design file of a configuration: rtl/npu/npu64.toml ... in the source tree.
std::string npu_design_file(NpuConfig config);
// The design file of a configuration, and its plugin, loaded once per process. Throw DesignFileError or
// DesignBuildError (not built, or stale: "run `npufi design build rtl/npu/npu64.toml`").
const DesignFile& npu_design(NpuConfig config);
std::shared_ptr<const DesignPlugin> npu_plugin(NpuConfig config);

// What the NPU did on the memory port in one cycle.
struct BusAccess {
  enum Kind : uint8_t { none, read, write };
  Kind kind = none;
  uint32_t addr = 0;      // a byte for writes, a 4-byte word for reads
  uint8_t old_value = 0;  // the byte a write replaced
};

class NpuDevice {
 public:
  explicit NpuDevice(NpuConfig config);
  NpuDevice(const NpuDevice&) = delete;
  NpuDevice& operator=(const NpuDevice&) = delete;

  DesignModel& model() { return model_; }
  VarLookup lookup() const;
  // The sites of the configuration, blocks named by its design file.
  StateAccess state_access() const;
  // The top outputs a faulty run's outcome depends on: the memory port, done and error (not the error's
  // code and address, busy or mac_busy, which only reports read).
  static const std::vector<std::string>& outcome_outputs();

  // Gives the testbench the image (a workload file, as `npufi npu workload` writes them) and sizes its
  // external memory for the configuration. The memory then holds the image, zeros and no input.
  void load(const MemoryImage& image);
  // The testbench's external memory (empty before load()).
  std::span<uint8_t> memory() const { return memory_; }

  // The reset sequence; the first tick() starts the command stream.
  void reset() { model_.reset(); }
  // One clock cycle; after_eval() runs after each of its two evaluations (faults, tracing), before the
  // testbench answers the port.
  template <class AfterEval>
  BusAccess tick(AfterEval&& after_eval) {
    BusAccess access;
    bool rising = true;
    auto each = [&] {
      after_eval();
      if (rising) access = observe();
      rising = false;
    };
    model_.step(each);
    return access;
  }
  BusAccess tick() { return tick([] {}); }
  void settle() { model_.settle(); }
  void save(std::vector<uint8_t>& out) { model_.save(out); }
  void restore(const std::vector<uint8_t>& in) { model_.restore(in); }

  // The top's ports.
  bool done() const { return port(done_) != 0; }
  bool error() const { return port(error_) != 0; }
  uint8_t rvalid() const { return uint8_t(port(rvalid_)); }
  uint32_t rdata() const { return uint32_t(port(rdata_)); }
  bool mac_busy() const { return port(mac_busy_) != 0; }
  int err_code() const { return int(port(err_code_)); }
  uint32_t err_pc() const { return uint32_t(port(err_pc_)); }

 private:
  DesignVar top_port(const char* name) const;
  static uint64_t port(const DesignVar& var);
  BusAccess observe() const;

  NpuConfig config_;
  DesignModel model_;
  DesignVar req_, we_, addr_, wdata_, rvalid_, rdata_, done_, error_, mac_busy_, err_code_, err_pc_;
  std::span<uint8_t> memory_;
};

}  // namespace npufi
