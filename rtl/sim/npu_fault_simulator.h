#pragma once
// Fault injection into the Verilated NPU (the plugin of its design file, rtl/sim/npu_device.h) while it
// runs a compiled network (docs/rtl-faults.md).
//
// A golden (fault-free) run of one input is recorded once: saved model states every few hundred cycles,
// every memory access, and every layer's output. A fault then runs either
//   - naive: from reset to completion or the watchdog, or
//   - optimized: from the last golden state at or before the injection cycle, stopping as soon as the
//     outcome is decided: when the NPU's state equals the golden state of the same cycle and the memory
//     differences can no longer reach it (converged), or when only a finished layer's output differs, in
//     which case the bit-exact C++ reference computes the rest of the network (reference).
// Both ways give the same result; the optimized one is much faster (bench/rtl_injection.cpp).
// No Verilator header here.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/quantized_network.h"
#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_simulator.h"
#include "rtl/sim/rtl_fault.h"

namespace npufi {

struct RtlFaultRun {
  RunStatus status = RunStatus::done;  // done, error (the NPU's error flag) or timeout (watchdog)
  std::vector<int8_t> output;          // the logits when done
  int first_diff_layer = -1;           // the first layer whose output differs from the golden run, or -1
  uint64_t start_cycle = 0;            // the cycle the RTL simulation started from (0, or a checkpoint)
  uint64_t simulated_cycles = 0;       // RTL cycles simulated for this fault
  RunEnd end = RunEnd::completed;
};

// A recorded golden run of one input; shared read-only between simulators (threads).
class NpuGolden {
 public:
  struct Data;
  explicit NpuGolden(std::unique_ptr<Data> data);
  ~NpuGolden();
  uint64_t cycles() const;                                   // from start to done
  const std::vector<int8_t>& output() const;                 // the logits
  int layers() const;
  uint64_t layer_end(int layer) const;                       // the cycle of the layer's last output write
  uint64_t layer_begin(int layer) const;                     // the cycle after the previous layer's end
  size_t checkpoint_bytes() const;                           // memory held by the saved golden states
  const Data& data() const { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

class NpuFaultSimulator {
 public:
  // `network` and `image` (compiled for `config`) must outlive the simulator.
  NpuFaultSimulator(NpuConfig config, const QuantizedNetwork& network, const MemoryImage& image);
  ~NpuFaultSimulator();
  NpuFaultSimulator(const NpuFaultSimulator&) = delete;
  NpuFaultSimulator& operator=(const NpuFaultSimulator&) = delete;

  const FaultSites& sites() const;

  // Whether optimized runs use dead state, register-file word tracing and settled stuck-at values
  // (docs/rtl-faults.md, "Speed"; on by default, off only to measure what they save).
  void use_observability(bool on);

  // Runs the input fault-free and records it; golden states are saved every `checkpoint_interval` cycles.
  // Throws std::runtime_error when the golden run does not complete.
  std::shared_ptr<const NpuGolden> record_golden(const std::vector<int8_t>& input, uint32_t checkpoint_interval = 64);

  // Throws std::invalid_argument for a site, width or cycle outside the design or the run.
  RtlFaultRun inject(const NpuGolden& golden, const RtlFault& fault, InjectionMode mode);

  // As inject(optimized), and writes a VCD waveform of the simulated cycles from the last golden state
  // before the fault to `cycles_after` cycles after it.
  RtlFaultRun replay(const NpuGolden& golden, const RtlFault& fault, const std::string& vcd_path,
                     uint64_t cycles_after);

  struct Engine;

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace npufi
