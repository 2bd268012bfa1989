#pragma once
// A design brought by the user as an RTL campaign's target (docs/your-design.md): its plugin, built by
// `npufi design build`, and one recorded golden run per workload file.
#include <memory>
#include <vector>

#include "campaigns/rtl_target.h"
#include "campaigns/spec.h"
#include "rtl/design/design_file.h"
#include "rtl/sim/design_fault_simulator.h"

namespace npufi {

class DesignTarget final : public RtlTarget {
 public:
  // Loads the design's build and records the golden runs on `threads` threads. Throws SpecError naming
  // the campaign file, line and key of anything wrong (a design that is not built, a bad workload).
  DesignTarget(const CampaignSpec& spec, int threads);

  const FaultSites& sites() const override { return probe_->sites(); }
  std::string name() const override { return design_.name; }
  std::string sites_command() const override { return "npufi sites --design " + design_.path; }
  int slots() const override { return int(goldens_.size()); }
  uint64_t cycles(int slot) const override { return goldens_[size_t(slot)]->cycles(); }
  CycleWindow window(int slot) const override { return {0, cycles(slot)}; }
  std::vector<db::GoldenRow> golden_rows() const override;
  std::string golden_summary() const override;
  db::CampaignRow campaign_row(const CampaignSpec& spec) const override;
  std::unique_ptr<RtlWorker> worker() const override;
  RtlTargetRun inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                      uint64_t cycles_after) const override;
  RtlTargetRun inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const override;

 private:
  const CampaignSpec& spec_;
  DesignFile design_;
  std::string build_digest_;
  std::shared_ptr<const DesignPlugin> plugin_;
  std::unique_ptr<DesignFaultSimulator> probe_;  // for the sites
  std::vector<std::shared_ptr<const DesignGolden>> goldens_;
};

}  // namespace npufi
