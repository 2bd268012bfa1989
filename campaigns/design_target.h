#pragma once
// A design brought by the user as an RTL campaign's target (docs/your-design.md): its plugin, built by
// `npufi design build`, and one recorded golden run per workload file. With a `baseline` design, each
// injection runs on the baseline too, where the site exists there by name: the outcome the fault would have
// had without the design's safety mechanisms (docs/safety-rtl.md, "Measured diagnostic coverage").
#include <memory>
#include <optional>
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

  const FaultSites& sites() const override { return main_.probe->sites(); }
  std::string name() const override { return main_.design.name; }
  std::string sites_command() const override { return "npufi sites --design " + main_.design.path; }
  int slots() const override { return int(main_.goldens.size()); }
  uint64_t cycles(int slot) const override { return main_.goldens[size_t(slot)]->cycles(); }
  CycleWindow window(int slot) const override { return {0, cycles(slot)}; }
  std::vector<db::GoldenRow> golden_rows() const override;
  std::string golden_summary() const override;
  db::CampaignRow campaign_row(const CampaignSpec& spec) const override;
  std::unique_ptr<RtlWorker> worker() const override;
  RtlTargetRun inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                      uint64_t cycles_after) const override;
  RtlTargetRun inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const override;

 private:
  // A built design with its golden runs on the campaign's workloads.
  struct Loaded {
    DesignFile design;
    std::string build_digest;
    std::shared_ptr<const DesignPlugin> plugin;
    std::unique_ptr<DesignFaultSimulator> probe;  // for the sites
    std::vector<std::shared_ptr<const DesignGolden>> goldens;
  };
  Loaded load(const std::string& file, int line, const char* key, int threads) const;
  // The fault on the baseline: the same site by name, cycle, model and width; none when the site is the
  // design's own (a safety mechanism's) or the baseline's run is shorter than the cycle.
  std::optional<RtlFault> baseline_fault(int slot, const RtlFault& fault) const;

  const CampaignSpec& spec_;
  Loaded main_;
  std::optional<Loaded> baseline_;
};

}  // namespace npufi
