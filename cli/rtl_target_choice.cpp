#include "cli/rtl_target_choice.h"

#include "cli/commands.h"
#include "rtl/design/design_build.h"
#include "rtl/design/design_plugin.h"

namespace npufi::cli {

void add_rtl_target_options(CLI::App& command, RtlTargetChoice& choice) {
  CLI::Option* config = add_config_option(command, choice.config);
  command.add_option("--design", choice.design, "A design file (docs/your-design.md), built with `npufi design build`")
      ->check(CLI::ExistingFile)
      ->excludes(config);
}

RtlTargetDesign::RtlTargetDesign(const RtlTargetChoice& choice) : choice_(choice) {
  if (choice.design.empty()) {
    name_ = choice.config;
    option_ = "--config " + choice.config;
    return;
  }
  design_ = load_design_file(choice.design);
  const BuiltDesign built = find_built_design(*design_);
  build_digest_ = built.digest;
  simulator_ = std::make_unique<DesignFaultSimulator>(DesignPlugin::load(built.plugin, built.digest), *design_);
  name_ = design_->name;
  option_ = "--design " + choice.design;
}

const FaultSites& RtlTargetDesign::sites() const {
  return simulator_ ? simulator_->sites() : npu_fault_sites(*parse_npu_config(choice_.config));
}

std::vector<BlockStorage> RtlTargetDesign::inventory() const {
  return simulator_ ? storage_inventory(simulator_->sites()) : npu_inventory(*parse_npu_config(choice_.config));
}

std::string RtlTargetDesign::area_model_path(const std::string& given) const {
  if (!given.empty()) return given;
  if (!design_) return default_area_model_path();
  if (design_->area.empty())
    throw AreaModelError(design_->path + ": the design has no area model; name one with 'area' in the design file "
                         "or give --area-model");
  return design_->area;
}

}  // namespace npufi::cli
