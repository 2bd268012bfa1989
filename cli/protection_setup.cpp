#include "cli/protection_setup.h"

#include <algorithm>

#include "campaigns/protected_npu_design.h"
#include "campaigns/rtl_results.h"
#include "campaigns/spec.h"
#include "cli/rtl_target_choice.h"
#include "rtl/sim/area_model.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi::cli {

namespace {

// The blocks with their areas.
std::vector<BlockArea> block_areas(const std::vector<BlockStorage>& inventory, const AreaModel& model) {
  std::vector<BlockArea> out;
  for (const BlockStorage& s : inventory) {
    BlockArea block;
    block.block = s.block;
    block.flop_bits = s.flop_bits;
    block.sram_bits = s.sram_bits;
    block.flop_ge = model.flop_bit * double(s.flop_bits);
    block.sram_ge = model.sram_bit * double(s.sram_bits);
    block.logic_ge = model.logic_area(s);
    out.push_back(block);
  }
  return out;
}

// The register groups (state elements) with their shares of their blocks' areas.
std::vector<BlockArea> register_areas(const FaultSites& sites, const std::vector<BlockArea>& blocks) {
  std::vector<BlockArea> out;
  for (const StateElement& e : sites.elements()) {
    const auto block = std::find_if(blocks.begin(), blocks.end(), [&](const BlockArea& b) { return b.block == e.block; });
    out.push_back(block->part(e.path, e.kind, e.bits()));
  }
  return out;
}

}  // namespace

ProtectionSetup protection_setup(db::Store& store, const RtlCampaignSet& set, const ProtectionInputs& inputs) {
  const RtlTargetDesign target(set.npu ? RtlTargetChoice{npu_config_name(*set.npu), ""} : RtlTargetChoice{"", set.design});
  if (!set.npu && target.build_digest() != set.campaigns.front().model_hash)
    throw SpecError(set.description() + " ran on another build of " + set.design +
                    " (its inputs changed since); its sites may differ, so no plan is made");
  const std::string area_file = target.area_model_path(inputs.area_model);
  if (inputs.rtl_only && !set.npu)
    throw SpecError("--rtl plans with the reference NPU's mechanisms, and " + set.description() +
                    " ran on a design of your own");
  const ProtectionCatalog catalog = load_protection_catalog(inputs.catalog);

  // Register groups that no injection hit count at violating AVF 1 (docs/protection.md, "PlanGranularity").
  SafetyOptions safety;
  safety.fit.confidence = inputs.confidence;
  safety.fit.allow_unmeasured = inputs.granularity == PlanGranularity::register_group;
  const std::vector<BlockArea> areas = block_areas(target.inventory(), load_area_model(area_file));
  const bool blocks = inputs.granularity == PlanGranularity::block;
  return {make_protection_problem(
              blocks ? block_outcomes(store, set.ids) : register_outcomes(store, set.ids, target.sites()),
              load_technology(inputs.tech), inputs.rtl_only ? npu_rtl_catalog(catalog) : catalog,
              blocks ? areas : register_areas(target.sites(), areas), safety),
          {set.ids, set.npu.has_value(), target.name(), inputs.tech, area_file}};
}

}  // namespace npufi::cli
