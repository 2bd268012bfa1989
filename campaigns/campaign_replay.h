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

 private:
  bool design_ = false;
  std::unique_ptr<RtlWorkload> workload_;
  std::unique_ptr<RtlWorker> worker_;
};

}  // namespace npufi
