#include "campaigns/design_target.h"

#include <filesystem>
#include <mutex>

#include "analysis/digest.h"
#include "campaigns/campaign_setup.h"
#include "injector/outcome.h"
#include "rtl/design/design_build.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/state_access.h"

namespace npufi {

namespace {

struct DesignWorker final : RtlWorker {
  DesignWorker(std::shared_ptr<const DesignPlugin> plugin, const DesignFile& design) : simulator(std::move(plugin), design) {}
  DesignFaultSimulator simulator;
  std::optional<DesignFaultSimulator> baseline;
};

DesignFile design_file(const CampaignSpec& spec, const std::string& file, int line, const char* key) {
  try {
    return load_design_file(file);
  } catch (const DesignFileError& e) {
    throw SpecError(spec.where(line) + ": '" + key + "' " + e.what());
  }
}

}  // namespace

DesignTarget::Loaded DesignTarget::load(const std::string& file, int line, const char* key, int threads) const {
  const RtlSpec& rtl = *spec_.rtl;
  Loaded d;
  d.design = design_file(spec_, file, line, key);
  try {
    const BuiltDesign built = find_built_design(d.design);
    d.build_digest = built.digest;
    d.plugin = DesignPlugin::load(built.plugin, built.digest);
  } catch (const DesignBuildError& e) {
    throw SpecError(spec_.where(line) + ": '" + key + "' " + e.what());
  }
  d.probe = std::make_unique<DesignFaultSimulator>(d.plugin, d.design);
  d.goldens.resize(rtl.workloads.size());
  std::mutex mutex;
  std::string failure;
  run_strided(int(rtl.workloads.size()), threads, [&](int worker, int workers) {
    DesignFaultSimulator simulator(d.plugin, d.design);
    for (size_t i = size_t(worker); i < d.goldens.size(); i += size_t(workers)) {
      try {
        d.goldens[i] = simulator.record_golden(rtl.workloads[i], rtl.checkpoint_interval);
      } catch (const std::runtime_error& e) {
        const std::lock_guard lock(mutex);
        if (failure.empty()) failure = e.what();
      }
    }
  });
  if (!failure.empty()) throw SpecError(spec_.where(rtl.workloads_line) + ": 'workloads' " + failure);
  return d;
}

DesignTarget::DesignTarget(const CampaignSpec& spec, int threads) : spec_(spec) {
  const RtlSpec& rtl = *spec_.rtl;
  for (const std::string& w : rtl.workloads)
    if (!std::filesystem::is_regular_file(w))
      throw SpecError(spec_.where(rtl.workloads_line) + ": 'workloads' " + w + " does not exist");
  main_ = load(rtl.design, rtl.design_line, "design", threads);
  if (!rtl.baseline.empty()) baseline_ = load(rtl.baseline, rtl.baseline_line, "baseline", threads);
}

std::vector<db::GoldenRow> DesignTarget::golden_rows() const {
  // A design has no labels: "correct" counts the workloads whose outputs the testbench decodes to a class.
  int decoded = 0;
  for (const auto& g : main_.goldens) decoded += g->top1().has_value();
  return {{main_.design.name, int(main_.goldens.size()), decoded}};
}

std::string DesignTarget::golden_summary() const {
  const bool decoder = main_.goldens[0]->top1().has_value();
  return "golden " + main_.design.name + ": " + std::to_string(main_.goldens.size()) + " workload(s), " +
         std::to_string(main_.goldens[0]->cycles()) + " cycles for the first, " + std::to_string(sites().total_bits()) +
         " state bits; " +
         (decoder ? "top-1 decoded by the testbench" : "no decoder: every output difference is an sdc_critical");
}

db::CampaignRow DesignTarget::campaign_row(const CampaignSpec& spec) const {
  std::string workloads;
  for (const std::string& w : spec.rtl->workloads) workloads += file_digest(w) + ";";
  // A baseline is part of the identity by its build.
  const std::string baseline =
      baseline_ ? ";baseline=" + baseline_->build_digest + ";instance=" + spec.rtl->baseline_instance : "";
  db::CampaignRow row =
      npufi::campaign_row(spec, main_.design.path, main_.build_digest, hex_digest(fnv1a(workloads)), baseline);
  row.rtl_target = main_.design.name;
  row.design_top = main_.design.top;
  row.workloads = spec.rtl->workloads;
  return row;
}

std::unique_ptr<RtlWorker> DesignTarget::worker() const {
  auto worker = std::make_unique<DesignWorker>(main_.plugin, main_.design);
  if (baseline_) worker->baseline.emplace(baseline_->plugin, baseline_->design);
  return worker;
}

std::optional<RtlFault> DesignTarget::baseline_fault(int slot, const RtlFault& fault) const {
  const std::string& instance = spec_.rtl->baseline_instance;
  const std::string site = sites().name(fault.bit);
  const std::optional<std::string> there =
      instance.empty() ? std::optional(site) : site_in_instance(site, instance, baseline_->design.top);
  const std::optional<uint64_t> bit = there ? baseline_->probe->sites().find(*there) : std::nullopt;
  if (!bit || fault.cycle >= baseline_->goldens[size_t(slot)]->cycles()) return std::nullopt;
  RtlFault on_baseline = fault;
  on_baseline.bit = *bit;
  return on_baseline;
}

RtlTargetRun DesignTarget::inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                                  uint64_t cycles_after) const {
  DesignFaultSimulator& simulator = static_cast<DesignWorker&>(worker).simulator;
  const DesignGolden& g = *main_.goldens[size_t(slot)];
  const DesignFaultRun run = vcd_path.empty() ? simulator.inject(g, fault, InjectionMode::optimized)
                                              : simulator.replay(g, fault, vcd_path, cycles_after);
  RtlTargetRun result{classify(run, g, simulator), -1, run.start_cycle, run.simulated_cycles, run.end, std::nullopt};
  if (baseline_ && vcd_path.empty())
    if (const std::optional<RtlFault> on_baseline = baseline_fault(slot, fault)) {
      DesignFaultSimulator& baseline = *static_cast<DesignWorker&>(worker).baseline;
      const DesignGolden& bg = *baseline_->goldens[size_t(slot)];
      result.baseline = classify(baseline.inject(bg, *on_baseline, InjectionMode::optimized), bg, baseline);
    }
  return result;
}

RtlTargetRun DesignTarget::inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const {
  DesignFaultSimulator& simulator = static_cast<DesignWorker&>(worker).simulator;
  const DesignGolden& g = *main_.goldens[size_t(slot)];
  const DesignFaultRun run = simulator.inject(g, fault, InjectionMode::naive);
  return {classify(run, g, simulator), -1, run.start_cycle, run.simulated_cycles, run.end, std::nullopt};
}

}  // namespace npufi
