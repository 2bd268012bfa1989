#pragma once
// Which design a command looks at: the reference NPU in one configuration (--config npuN) or a design
// brought by the user (--design FILE, built by `npufi design build`), with its sites, storage and area model.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "rtl/design/design_file.h"
#include "rtl/sim/area_model.h"
#include "rtl/sim/design_fault_simulator.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi::cli {

struct RtlTargetChoice {
  std::string config = "npu64";
  std::string design;  // a design file; empty for the reference NPU
};

// --config npuN or --design FILE (they exclude each other).
void add_rtl_target_options(CLI::App& command, RtlTargetChoice& choice);

class RtlTargetDesign {
 public:
  // Loads the design's build when one is chosen. Throws DesignFileError / DesignBuildError.
  explicit RtlTargetDesign(const RtlTargetChoice& choice);

  const std::string& name() const { return name_; }     // "npu64", or the design's name
  const std::string& option() const { return option_; } // "--config npu64", "--design gemm.toml"
  bool is_npu() const { return !simulator_; }
  // The digest of the design's build; empty for the reference NPU.
  const std::string& build_digest() const { return build_digest_; }
  const FaultSites& sites() const;
  // Storage per block, with the MACs of the reference NPU.
  std::vector<BlockStorage> inventory() const;
  // The area model: `given` if not empty, else the NPU's (rtl/area-model.toml) or the design file's `area`.
  // Throws AreaModelError when a design has none.
  std::string area_model_path(const std::string& given) const;

 private:
  RtlTargetChoice choice_;
  std::string name_, option_, build_digest_;
  std::optional<DesignFile> design_;
  std::unique_ptr<DesignFaultSimulator> simulator_;
};

}  // namespace npufi::cli
