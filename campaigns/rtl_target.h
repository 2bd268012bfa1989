#pragma once
// What an RTL campaign injects into, whatever the design: the reference NPU running a network on test
// images (npu_target.h), or a design brought by the user running its workloads (design_target.h). The
// campaign's planning, outcomes and storage (rtl_workload.h) are the same for both.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/outcome_class.h"
#include "campaigns/spec.h"
#include "db/store.h"
#include "injector/rtl_fault_plan.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/rtl_fault.h"

namespace npufi {

// One worker thread's simulator.
class RtlWorker {
 public:
  virtual ~RtlWorker() = default;
};

// A faulty run as the campaign stores it.
struct RtlTargetRun {
  OutcomeClass outcome = OutcomeClass::masked;
  int first_diff_layer = -1;  // the NPU's first differing layer; -1 for designs (they have no layers)
  uint64_t start_cycle = 0;
  uint64_t simulated_cycles = 0;
  RunEnd end = RunEnd::completed;
  // The same fault's outcome on the campaign's baseline design (the design without its safety mechanisms);
  // none without a baseline, or for a site the baseline does not have.
  std::optional<OutcomeClass> baseline;
};

class RtlTarget {
 public:
  virtual ~RtlTarget() = default;
  virtual const FaultSites& sites() const = 0;
  virtual std::string name() const = 0;           // "npu64", or the design's name
  virtual std::string sites_command() const = 0;  // the command that lists its sites
  virtual int slots() const = 0;                  // test images, or workloads
  virtual uint64_t cycles(int slot) const = 0;    // of the fault-free run
  virtual CycleWindow window(int slot) const = 0; // where injection cycles are drawn
  // The fault-free results (the database's golden rows) and a line describing them.
  virtual std::vector<db::GoldenRow> golden_rows() const = 0;
  virtual std::string golden_summary() const = 0;
  // The campaign's database row: its identity includes the target's inputs by content.
  virtual db::CampaignRow campaign_row(const CampaignSpec& spec) const = 0;
  // When each network layer ran in each slot's fault-free run; none for targets without layers.
  virtual std::vector<db::LayerCyclesRow> layer_cycles() const { return {}; }
  virtual std::unique_ptr<RtlWorker> worker() const = 0;
  // The optimized run of a fault (a VCD waveform when vcd_path is given, to cycles_after after the fault).
  virtual RtlTargetRun inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path = "",
                              uint64_t cycles_after = 0) const = 0;
  // The same fault simulated naively: from reset to the end, no checkpoint, late injection or early stop.
  // The optimized run must end the same way (the tool-confidence check of `npufi report`).
  virtual RtlTargetRun inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const = 0;
  // How many slots' fault-free outputs equal a reference model's bit for bit (the NPU's C++ int8 reference);
  // none for targets without one.
  virtual std::optional<int> reference_matches() const { return std::nullopt; }
};

}  // namespace npufi
