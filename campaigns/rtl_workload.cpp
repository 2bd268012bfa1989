#include "campaigns/rtl_workload.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "campaigns/design_target.h"
#include "campaigns/npu_target.h"
#include "injector/outcome.h"

namespace npufi {

namespace {

bool chosen(const RtlSpec& rtl, const std::string& block) {
  return std::any_of(rtl.blocks.begin(), rtl.blocks.end(),
                     [&](const std::string& glob) { return fnmatch(glob.c_str(), block.c_str(), 0) == 0; });
}

}  // namespace

RtlWorkload::RtlWorkload(const CampaignSpec& spec, int threads) : spec_(spec) {
  const RtlSpec& rtl = *spec_.rtl;
  if (rtl.design.empty()) target_ = std::make_unique<NpuTarget>(spec_, threads);
  else target_ = std::make_unique<DesignTarget>(spec_, threads);

  if (!rtl.protection.empty()) {
    try {
      protection_ = ProtectionModel(read_protection_plan(rtl.protection), sites());
    } catch (const std::exception& e) {
      throw SpecError(spec_.where(rtl.protection_line) + ": 'protection' " + e.what());
    }
  }
  if (rtl.listed_faults.empty()) {
    RtlPlanSettings settings;
    settings.seed = spec_.seed;
    settings.model = rtl.fault_model;
    settings.width = rtl.fault_model == RtlFaultModel::mbu ? rtl.mbu_bits : 1;
    settings.blocks = rtl.blocks;
    settings.sampling = rtl.sampling;
    settings.images = target_->slots();
    try {
      planner_ = std::make_unique<RtlFaultPlanner>(sites(), settings);
    } catch (const std::invalid_argument& e) {
      throw SpecError(spec_.where(rtl.blocks_line) + ": 'blocks' " + e.what());
    }
    return;
  }
  for (const ListedRtlFault& f : rtl.listed_faults) {
    const std::string where = spec_.where(f.line) + ": 'fault.";
    const std::optional<uint64_t> bit = sites().find(f.site);
    if (!bit)
      throw SpecError(where + "site' \"" + f.site + "\" is not a state bit of " + target_->name() + " (" +
                      target_->sites_command() + " lists them)");
    const int slot = f.image - spec_.first_image;
    if (slot < 0 || slot >= target_->slots())
      throw SpecError(where + "image' " + std::to_string(f.image) + " is outside the campaign's " +
                      (rtl.design.empty() ? "images " + std::to_string(spec_.first_image) + ":" +
                                                std::to_string(spec_.first_image + target_->slots())
                                          : std::to_string(target_->slots()) + " workloads"));
    if (f.cycle >= target_->cycles(slot))
      throw SpecError(where + "cycle' " + std::to_string(f.cycle) + " is beyond the workload's " +
                      std::to_string(target_->cycles(slot)) + " cycles");
    const SiteRef site = sites().locate(*bit);
    const uint32_t width = sites().elements()[site.element].width;
    if (site.bit + f.width > width)
      throw SpecError(where + "bits' " + std::to_string(f.width) + " adjacent bits from " + f.site +
                      " do not fit its " + std::to_string(width) + "-bit word");
    listed_.push_back({slot, RtlFault{f.model, *bit, f.width, f.cycle}});
  }
}

std::vector<db::PopulationRow> RtlWorkload::population() const {
  std::map<std::pair<std::string, std::string>, int64_t> bits;
  for (const StateElement& e : sites().elements())
    if (chosen(*spec_.rtl, e.block)) bits[{e.block, to_string(e.kind)}] += int64_t(e.bits());
  const CycleWindow w = target_->window(0);
  std::vector<db::PopulationRow> rows;
  for (const auto& [key, count] : bits) rows.push_back({key.first, key.second, count, int64_t(w.end - w.begin)});
  return rows;
}

PlannedInjection RtlWorkload::injection(int64_t index) const {
  if (!listed_.empty()) return listed_.at(size_t(index));
  const int slot = int(uint64_t(index) % uint64_t(target_->slots()));
  return planner_->plan(uint64_t(index), target_->window(slot));
}

db::InjectionRow RtlWorkload::run(RtlWorker& worker, int64_t index) const {
  const PlannedInjection p = injection(index);
  return describe(index, p, target_->inject(worker, p.image, p.fault));
}

db::InjectionRow RtlWorkload::run_in_block(RtlWorker& worker, int64_t index, size_t block, uint64_t k) const {
  const int slot = int(k % uint64_t(target_->slots()));
  const PlannedInjection p = planner_->plan_in_block(block, k, slot, target_->window(slot));
  return describe(index, p, target_->inject(worker, p.image, p.fault));
}

PlannedInjection RtlWorkload::stored_injection(const db::InjectionRow& stored) const {
  const auto model = parse_rtl_fault_model(stored.model);
  const int slot = stored.image - spec_.first_image;
  if (!model || slot < 0 || slot >= target_->slots())
    throw std::runtime_error("injection " + std::to_string(stored.injection) + " does not fit its campaign");
  return {slot, RtlFault{*model, uint64_t(stored.bit), uint32_t(stored.width), uint64_t(stored.cycle)}};
}

db::InjectionRow RtlWorkload::replay(RtlWorker& worker, const db::InjectionRow& stored, const std::string& vcd_path,
                                     uint64_t cycles_after, RtlTargetRun& result) const {
  const PlannedInjection p = stored_injection(stored);
  result = target_->inject(worker, p.image, p.fault, vcd_path, cycles_after);
  return describe(stored.injection, p, result);
}

db::InjectionRow RtlWorkload::replay_naive(RtlWorker& worker, const db::InjectionRow& stored) const {
  const PlannedInjection p = stored_injection(stored);
  return describe(stored.injection, p, target_->inject_naive(worker, p.image, p.fault));
}

db::InjectionRow RtlWorkload::describe(int64_t index, const PlannedInjection& p, const RtlTargetRun& result) const {
  const StateElement& element = sites().elements()[sites().locate(p.fault.bit).element];
  db::InjectionRow row;
  row.injection = index;
  row.image = spec_.first_image + p.image;
  row.block = element.block;
  row.site = sites().name(p.fault.bit);
  row.storage = to_string(element.kind);
  row.bit = int64_t(p.fault.bit);
  row.width = int(p.fault.width);
  row.model = rtl_fault_model_name(p.fault.model);
  row.cycle = int64_t(p.fault.cycle);
  row.outcome = to_string(protection_.apply(element, is_permanent(p.fault.model), result.outcome, spec_.seed,
                                            uint64_t(index)));
  row.first_diff_layer = result.first_diff_layer;
  row.simulated_cycles = int64_t(result.simulated_cycles);
  row.ended_by = run_end_name(result.end);
  if (result.baseline) row.baseline_outcome = to_string(*result.baseline);
  return row;
}

}  // namespace npufi
