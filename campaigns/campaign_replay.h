#pragma once
// A stored RTL campaign set up again to re-run its stored injections (`npufi replay`, and the tool-confidence
// check of `npufi report`): its spec, design and model as it ran them, checked against their digests.
#include <memory>
#include <string>

#include "campaigns/rtl_workload.h"
#include "db/store.h"

namespace npufi {

class CampaignReplay {
 public:
  // `model`: the network file when it moved since the campaign ran (empty: where it ran). Throws SpecError
  // when the model, the design or its workloads differ from the campaign's (their digests).
  CampaignReplay(const db::CampaignRow& campaign, const std::string& model, int threads);

  bool is_design() const { return design_; }

  // Runs the stored injection again, writing a VCD waveform to `vcd` (none when empty) up to `cycles_after`.
  db::InjectionRow replay(const db::InjectionRow& stored, const std::string& vcd, uint64_t cycles_after,
                          RtlTargetRun& result);
  // The same, simulated from reset to the end without any of the optimizations.
  db::InjectionRow replay_naive(const db::InjectionRow& stored);

  // Images (or workloads) of the campaign, and how many of their fault-free outputs equal the C++ int8
  // reference's bit for bit (none for a design brought by the user).
  int slots() const { return workload_->target().slots(); }
  std::optional<int> reference_matches() const { return workload_->target().reference_matches(); }

 private:
  bool design_ = false;
  std::unique_ptr<RtlWorkload> workload_;
  std::unique_ptr<RtlWorker> worker_;
};

}  // namespace npufi
