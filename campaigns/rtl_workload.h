#pragma once
// What an RTL campaign injects into: its network quantized and compiled for the NPU configuration, the
// test images, and one recorded golden run per image. Shared by `campaign run` and `replay`.
#include <cstdint>
#include <memory>
#include <vector>

#include "campaigns/protection_model.h"
#include "campaigns/spec.h"
#include "db/store.h"
#include "injector/rtl_fault_plan.h"
#include "models/dataset.h"
#include "models/quantized_network.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {

class RtlWorkload {
 public:
  // Loads and quantizes the model, compiles it, records the golden runs on `threads` threads, and checks
  // every setting of the spec against the design and the workload. Throws SpecError naming the file, line
  // and key of anything wrong. The database is not touched.
  RtlWorkload(const CampaignSpec& spec, int threads);

  const CampaignSpec& spec() const { return spec_; }
  const ImageSet& images() const { return images_; }
  const FaultSites& sites() const { return npu_fault_sites(spec_.rtl->npu); }
  const NpuGolden& golden(int slot) const { return *goldens_[size_t(slot)]; }
  // A simulator for one worker thread.
  std::unique_ptr<NpuFaultSimulator> simulator() const;

  // The campaign's fault-free results and the population its faults are drawn from.
  std::vector<db::GoldenRow> golden_rows() const;
  std::vector<db::PopulationRow> population() const;

  // The index-th injection (sampled or listed): a pure function of the spec and the index.
  PlannedInjection injection(int64_t index) const;
  // Runs it (optimized) and describes the result as stored.
  db::InjectionRow run(NpuFaultSimulator& simulator, int64_t index) const;
  // Sequential campaigns: the k-th injection into block blocks()[block], stored as injection `index`.
  db::InjectionRow run_in_block(NpuFaultSimulator& simulator, int64_t index, size_t block, uint64_t k) const;
  const std::vector<std::string>& blocks() const { return planner_->blocks(); }
  // Runs a stored injection again (its fault as stored), writing a VCD waveform from the golden state
  // before the fault to `cycles_after` after it.
  db::InjectionRow replay(NpuFaultSimulator& simulator, const db::InjectionRow& stored, const std::string& vcd_path,
                          uint64_t cycles_after, RtlFaultRun& result) const;

 private:
  CycleWindow window(int slot) const;
  db::InjectionRow describe(int64_t index, const PlannedInjection& p, const RtlFaultRun& result) const;

  CampaignSpec spec_;
  ImageSet images_;
  QuantizedNetwork network_;
  MemoryImage image_;
  std::vector<std::shared_ptr<const NpuGolden>> goldens_;
  std::unique_ptr<RtlFaultPlanner> planner_;  // sampled faults only
  std::vector<PlannedInjection> listed_;      // listed faults only
  ProtectionModel protection_;                // the plan of `protection = "plan.json"`, if any
};

}  // namespace npufi
