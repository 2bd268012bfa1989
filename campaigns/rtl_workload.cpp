#include "campaigns/rtl_workload.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "campaigns/campaign_setup.h"
#include "injector/outcome.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"

namespace npufi {

namespace {

QuantizedNetwork quantized_network(const CampaignSpec& spec) {
  try {
    Model model = Model::load(spec.model);
    return quantize(model, load_fashion_mnist(Split::train).slice(0, spec.rtl->calibration));
  } catch (const ModelError& e) {
    throw SpecError(spec.where(0) + ": 'model' " + spec.model + " cannot run on the NPU: " + e.what());
  }
}

MemoryImage compiled_network(const CampaignSpec& spec, const QuantizedNetwork& network) {
  try {
    return compile_network(network, spec.rtl->npu);
  } catch (const CompileError& e) {
    throw SpecError(spec.where(0) + ": 'model' " + spec.model + " does not fit " + npu_config_name(spec.rtl->npu) +
                    ": " + e.what());
  }
}

bool chosen(const RtlSpec& rtl, const std::string& block) {
  return std::any_of(rtl.blocks.begin(), rtl.blocks.end(),
                     [&](const std::string& glob) { return fnmatch(glob.c_str(), block.c_str(), 0) == 0; });
}

}  // namespace

RtlWorkload::RtlWorkload(const CampaignSpec& spec, int threads)
    : spec_(spec), images_(campaign_images(spec)), network_(quantized_network(spec)),
      image_(compiled_network(spec, network_)) {
  const RtlSpec& rtl = *spec_.rtl;
  if (rtl.layer && *rtl.layer >= int(network_.layers.size()))
    throw SpecError(spec_.where(rtl.layer_line) + ": 'layer' " + std::to_string(*rtl.layer) + " is beyond the " +
                    std::to_string(network_.layers.size()) + " layers of the network");

  if (!rtl.protection.empty()) {
    try {
      protection_ = ProtectionModel(read_protection_plan(rtl.protection), sites());
    } catch (const std::exception& e) {
      throw SpecError(spec_.where(rtl.protection_line) + ": 'protection' " + e.what());
    }
  }
  goldens_.resize(size_t(images_.count));
  run_strided(images_.count, threads, [&](int worker, int workers) {
    NpuFaultSimulator simulator(rtl.npu, network_, image_);
    for (int i = worker; i < images_.count; i += workers)
      goldens_[size_t(i)] = simulator.record_golden(quantized_image(images_, i), rtl.checkpoint_interval);
  });

  if (rtl.listed_faults.empty()) {
    RtlPlanSettings settings;
    settings.seed = spec_.seed;
    settings.model = rtl.fault_model;
    settings.width = rtl.fault_model == RtlFaultModel::mbu ? rtl.mbu_bits : 1;
    settings.blocks = rtl.blocks;
    settings.sampling = rtl.sampling;
    settings.images = images_.count;
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
      throw SpecError(where + "site' \"" + f.site + "\" is not a state bit of " + npu_config_name(rtl.npu) +
                      " (npufi sites --config " + npu_config_name(rtl.npu) + " lists them)");
    const int slot = f.image - spec_.first_image;
    if (slot < 0 || slot >= images_.count)
      throw SpecError(where + "image' " + std::to_string(f.image) + " is outside the campaign's images " +
                      std::to_string(spec_.first_image) + ":" + std::to_string(spec_.first_image + images_.count));
    if (f.cycle >= goldens_[size_t(slot)]->cycles())
      throw SpecError(where + "cycle' " + std::to_string(f.cycle) + " is beyond the workload's " +
                      std::to_string(goldens_[size_t(slot)]->cycles()) + " cycles");
    const SiteRef site = sites().locate(*bit);
    const uint32_t width = sites().elements()[site.element].width;
    if (site.bit + f.width > width)
      throw SpecError(where + "bits' " + std::to_string(f.width) + " adjacent bits from " + f.site +
                      " do not fit its " + std::to_string(width) + "-bit word");
    listed_.push_back({slot, RtlFault{f.model, *bit, f.width, f.cycle}});
  }
}

std::unique_ptr<NpuFaultSimulator> RtlWorkload::simulator() const {
  return std::make_unique<NpuFaultSimulator>(spec_.rtl->npu, network_, image_);
}

CycleWindow RtlWorkload::window(int slot) const {
  const NpuGolden& g = golden(slot);
  if (spec_.rtl->layer) return {g.layer_begin(*spec_.rtl->layer), g.layer_end(*spec_.rtl->layer)};
  return {0, g.cycles()};
}

std::vector<db::GoldenRow> RtlWorkload::golden_rows() const {
  int correct = 0;
  for (int i = 0; i < images_.count; ++i) correct += top1(golden(i).output()) == images_.labels[size_t(i)];
  return {{npu_config_name(spec_.rtl->npu), images_.count, correct}};
}

std::vector<db::PopulationRow> RtlWorkload::population() const {
  std::map<std::pair<std::string, std::string>, int64_t> bits;
  for (const StateElement& e : sites().elements())
    if (chosen(*spec_.rtl, e.block)) bits[{e.block, site_kind_name(e.kind)}] += int64_t(e.bits());
  const CycleWindow w = window(0);
  std::vector<db::PopulationRow> rows;
  for (const auto& [key, count] : bits) rows.push_back({key.first, key.second, count, int64_t(w.end - w.begin)});
  return rows;
}

PlannedInjection RtlWorkload::injection(int64_t index) const {
  if (!listed_.empty()) return listed_.at(size_t(index));
  const int slot = int(uint64_t(index) % uint64_t(images_.count));
  return planner_->plan(uint64_t(index), window(slot));
}

db::InjectionRow RtlWorkload::run(NpuFaultSimulator& simulator, int64_t index) const {
  const PlannedInjection p = injection(index);
  return describe(index, p, simulator.inject(golden(p.image), p.fault, InjectionMode::optimized));
}

db::InjectionRow RtlWorkload::run_in_block(NpuFaultSimulator& simulator, int64_t index, size_t block,
                                          uint64_t k) const {
  const int slot = int(k % uint64_t(images_.count));
  const PlannedInjection p = planner_->plan_in_block(block, k, slot, window(slot));
  return describe(index, p, simulator.inject(golden(p.image), p.fault, InjectionMode::optimized));
}

db::InjectionRow RtlWorkload::replay(NpuFaultSimulator& simulator, const db::InjectionRow& stored,
                                     const std::string& vcd_path, uint64_t cycles_after, RtlFaultRun& result) const {
  const auto model = parse_rtl_fault_model(stored.model);
  const int slot = stored.image - spec_.first_image;
  if (!model || slot < 0 || slot >= images_.count)
    throw std::runtime_error("injection " + std::to_string(stored.injection) + " does not fit its campaign");
  const PlannedInjection p{slot, RtlFault{*model, uint64_t(stored.bit), uint32_t(stored.width), uint64_t(stored.cycle)}};
  result = simulator.replay(golden(p.image), p.fault, vcd_path, cycles_after);
  return describe(stored.injection, p, result);
}

db::InjectionRow RtlWorkload::describe(int64_t index, const PlannedInjection& p, const RtlFaultRun& result) const {
  const NpuGolden& g = golden(p.image);
  const StateElement& element = sites().elements()[sites().locate(p.fault.bit).element];
  db::InjectionRow row;
  row.injection = index;
  row.image = spec_.first_image + p.image;
  row.block = element.block;
  row.site = sites().name(p.fault.bit);
  row.storage = site_kind_name(element.kind);
  row.bit = int64_t(p.fault.bit);
  row.width = int(p.fault.width);
  row.model = rtl_fault_model_name(p.fault.model);
  row.cycle = int64_t(p.fault.cycle);
  row.outcome = to_string(protection_.apply(element, is_permanent(p.fault.model), classify(result, g.output()),
                                            spec_.seed, uint64_t(index)));
  row.first_diff_layer = result.first_diff_layer;
  row.simulated_cycles = int64_t(result.simulated_cycles);
  row.ended_by = run_end_name(result.end);
  return row;
}

}  // namespace npufi
