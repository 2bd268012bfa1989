#pragma once
// Fault injection into a design brought by the user (docs/your-design.md): its plugin, made by
// `npufi design build`, runs a workload with the design's testbench.
//
// A golden (fault-free) run of each workload is recorded once: the design's whole state (the Verilated
// model and the testbench's memories) every few dozen cycles, and which memory words it reads and writes.
// A fault then runs either
//   - naive: from reset to done or the watchdog, or
//   - optimized: from the last golden state at or before the injection cycle (for a memory upset, before
//     the word's next read), stopping as soon as the outcome is decided: when the state equals the golden
//     state of the same cycle (converged: the rest is the golden run), or when it repeats (stalled: a hang).
// Both ways give the same result. No Verilator header here.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rtl/design/design_file.h"
#include "rtl/design/design_plugin.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_simulator.h"
#include "rtl/sim/rtl_fault.h"

namespace npufi {

struct DesignFaultRun {
  RunStatus status = RunStatus::done;  // done, error (the design's error signal) or timeout (watchdog)
  std::vector<uint8_t> output;         // the testbench's outputs when done
  uint64_t start_cycle = 0;            // the cycle the simulation started from (0, or a checkpoint)
  uint64_t simulated_cycles = 0;
  RunEnd end = RunEnd::completed;
};

// A recorded golden run of one workload; shared read-only between simulators (threads).
class DesignGolden {
 public:
  struct Data;
  explicit DesignGolden(std::unique_ptr<Data> data);
  ~DesignGolden();
  const std::string& workload() const;
  uint64_t cycles() const;                     // from reset released to done
  const std::vector<uint8_t>& output() const;
  std::optional<int> top1() const;             // nullopt: the testbench has no decoder
  size_t checkpoint_bytes() const;
  const Data& data() const { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

class DesignFaultSimulator {
 public:
  // The blocks follow the design file's rules.
  DesignFaultSimulator(std::shared_ptr<const DesignPlugin> plugin, const DesignFile& design);
  ~DesignFaultSimulator();
  DesignFaultSimulator(const DesignFaultSimulator&) = delete;
  DesignFaultSimulator& operator=(const DesignFaultSimulator&) = delete;

  const FaultSites& sites() const;

  // Runs the workload fault-free and records it; golden states are saved every `checkpoint_interval`
  // cycles. Throws std::runtime_error naming the workload when the testbench refuses it, or the run does
  // not finish within `max_cycles` or ends with the design's error signal.
  std::shared_ptr<const DesignGolden> record_golden(const std::string& workload, uint32_t checkpoint_interval = 64,
                                                    uint64_t max_cycles = 10'000'000);

  // Throws std::invalid_argument for a site, width or cycle outside the design or the run.
  DesignFaultRun inject(const DesignGolden& golden, const RtlFault& fault, InjectionMode mode);

  // As inject(optimized), and writes a VCD waveform from the last golden state before the fault to
  // `cycles_after` cycles after it.
  DesignFaultRun replay(const DesignGolden& golden, const RtlFault& fault, const std::string& vcd_path,
                        uint64_t cycles_after);

  // The class the testbench decodes the outputs to; nullopt without a decoder.
  std::optional<int> classify(const std::vector<uint8_t>& outputs) const;

  struct Engine;

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace npufi
