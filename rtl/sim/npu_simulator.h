#pragma once
// Runs a compiled network on the Verilated reference NPU (rtl/npu), the plugin of its design file
// (rtl/sim/npu_device.h). No Verilator header here.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rtl/compiler/npu_compiler.h"

namespace npufi {

enum class RunStatus { done, error, timeout };
std::string run_status_name(RunStatus status);

struct RunResult {
  RunStatus status = RunStatus::timeout;
  std::vector<int8_t> output;    // the last layer's output (CHW); empty unless status is done
  uint64_t cycles = 0;           // from start to done/error, or max_cycles on timeout
  uint64_t mac_busy_cycles = 0;  // cycles in which the MAC array computed
  int error_code = 0;            // NpuError, when status is error
  uint32_t error_pc = 0;         // address of the command that failed
  std::string message;           // one line, empty when done
};

// Fills in the status and message of a run that stopped after r.cycles cycles.
RunResult finish_run(RunResult r, bool done, bool error, int err_code, uint32_t err_pc, uint64_t max_cycles);

class NpuSimulator {
 public:
  explicit NpuSimulator(NpuConfig config);
  ~NpuSimulator();
  NpuSimulator(const NpuSimulator&) = delete;
  NpuSimulator& operator=(const NpuSimulator&) = delete;

  NpuConfig config() const { return config_; }
  // Resets the NPU, loads the image and the input (CHW int8 at image.input_addr) into external memory,
  // and runs until done, error or max_cycles (the watchdog).
  RunResult run(const MemoryImage& image, const std::vector<int8_t>& input, uint64_t max_cycles);
  // External memory after the last run (e.g. to read intermediate layers' outputs).
  std::span<const uint8_t> memory() const;

 private:
  struct Impl;
  NpuConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace npufi
