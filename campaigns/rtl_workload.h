#pragma once
// An RTL campaign's injections: what they are injected into (the reference NPU or a design brought by the
// user, rtl_target.h), how they are planned, and how their results are stored. Shared by `campaign run`
// and `replay`.
#include <cstdint>
#include <memory>
#include <vector>

#include "campaigns/protection_model.h"
#include "campaigns/rtl_target.h"
#include "campaigns/spec.h"
#include "db/store.h"
#include "injector/rtl_fault_plan.h"

namespace npufi {

class RtlWorkload {
 public:
  // Prepares the target (the network quantized, compiled and run fault-free on every image; or the
  // design's build run fault-free on every workload) on `threads` threads, and checks every setting of
  // the spec against the design and the workload. Throws SpecError naming the file, line and key of
  // anything wrong. The database is not touched.
  RtlWorkload(const CampaignSpec& spec, int threads);

  const CampaignSpec& spec() const { return spec_; }
  const RtlTarget& target() const { return *target_; }
  const FaultSites& sites() const { return target_->sites(); }
  // A simulator for one worker thread.
  std::unique_ptr<RtlWorker> worker() const { return target_->worker(); }

  // The campaign's database row, fault-free results and the population its faults are drawn from.
  db::CampaignRow campaign_row() const { return target_->campaign_row(spec_); }
  std::vector<db::GoldenRow> golden_rows() const { return target_->golden_rows(); }
  std::vector<db::PopulationRow> population() const;

  // The index-th injection (sampled or listed): a pure function of the spec and the index.
  PlannedInjection injection(int64_t index) const;
  // Runs it (optimized) and describes the result as stored.
  db::InjectionRow run(RtlWorker& worker, int64_t index) const;
  // Sequential campaigns: the k-th injection into block blocks()[block], stored as injection `index`.
  db::InjectionRow run_in_block(RtlWorker& worker, int64_t index, size_t block, uint64_t k) const;
  const std::vector<std::string>& blocks() const { return planner_->blocks(); }
  // Runs a stored injection again (its fault as stored), writing a VCD waveform from the golden state
  // before the fault to `cycles_after` after it.
  db::InjectionRow replay(RtlWorker& worker, const db::InjectionRow& stored, const std::string& vcd_path,
                          uint64_t cycles_after, RtlTargetRun& result) const;
  // The same, simulated naively (RtlTarget::inject_naive).
  db::InjectionRow replay_naive(RtlWorker& worker, const db::InjectionRow& stored) const;

 private:
  db::InjectionRow describe(int64_t index, const PlannedInjection& p, const RtlTargetRun& result) const;
  // A stored injection's fault and slot; throws std::runtime_error when it does not fit the campaign.
  PlannedInjection stored_injection(const db::InjectionRow& stored) const;

  CampaignSpec spec_;
  std::unique_ptr<RtlTarget> target_;
  std::unique_ptr<RtlFaultPlanner> planner_;  // sampled faults only
  std::vector<PlannedInjection> listed_;      // listed faults only
  ProtectionModel protection_;                // the plan of `protection = "plan.json"`, if any
};

}  // namespace npufi
