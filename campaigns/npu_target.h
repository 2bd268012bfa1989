#pragma once
// The reference NPU as an RTL campaign's target: the campaign's network quantized and compiled for the
// NPU configuration, its test images, and one recorded golden run per image.
#include <memory>
#include <vector>

#include "campaigns/rtl_target.h"
#include "campaigns/spec.h"
#include "models/dataset.h"
#include "models/quantized_network.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {

class NpuTarget final : public RtlTarget {
 public:
  // Loads and quantizes the model, compiles it and records the golden runs on `threads` threads. Throws
  // SpecError naming the file, line and key of anything wrong.
  NpuTarget(const CampaignSpec& spec, int threads);

  const FaultSites& sites() const override { return npu_fault_sites(spec_.rtl->npu); }
  std::string name() const override { return npu_config_name(spec_.rtl->npu); }
  std::string sites_command() const override { return "npufi sites --config " + name(); }
  int slots() const override { return images_.count; }
  uint64_t cycles(int slot) const override { return goldens_[size_t(slot)]->cycles(); }
  CycleWindow window(int slot) const override;
  std::vector<db::GoldenRow> golden_rows() const override;
  std::string golden_summary() const override;
  db::CampaignRow campaign_row(const CampaignSpec& spec) const override;
  std::vector<db::LayerCyclesRow> layer_cycles() const override;
  std::unique_ptr<RtlWorker> worker() const override;
  RtlTargetRun inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                      uint64_t cycles_after) const override;
  RtlTargetRun inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const override;
  std::optional<int> reference_matches() const override;

  const ImageSet& images() const { return images_; }
  int layers() const { return int(network_.layers.size()); }

 private:
  const CampaignSpec& spec_;
  ImageSet images_;
  QuantizedNetwork network_;
  MemoryImage image_;
  std::vector<std::shared_ptr<const NpuGolden>> goldens_;
};

}  // namespace npufi
