#include "campaigns/design_target.h"

#include <filesystem>
#include <mutex>

#include "analysis/digest.h"
#include "campaigns/campaign_setup.h"
#include "injector/outcome.h"
#include "rtl/design/design_build.h"
#include "rtl/reference/strided_threads.h"

namespace npufi {

namespace {

struct DesignWorker final : RtlWorker {
  DesignWorker(std::shared_ptr<const DesignPlugin> plugin, const DesignFile& design) : simulator(std::move(plugin), design) {}
  DesignFaultSimulator simulator;
};

DesignFile design_file(const CampaignSpec& spec) {
  try {
    return load_design_file(spec.rtl->design);
  } catch (const DesignFileError& e) {
    throw SpecError(spec.where(spec.rtl->design_line) + ": 'design' " + e.what());
  }
}

}  // namespace

DesignTarget::DesignTarget(const CampaignSpec& spec, int threads) : spec_(spec), design_(design_file(spec)) {
  const RtlSpec& rtl = *spec_.rtl;
  try {
    const BuiltDesign built = find_built_design(design_);
    build_digest_ = built.digest;
    plugin_ = DesignPlugin::load(built.plugin, built.digest);
  } catch (const DesignBuildError& e) {
    throw SpecError(spec_.where(rtl.design_line) + ": 'design' " + e.what());
  }
  probe_ = std::make_unique<DesignFaultSimulator>(plugin_, design_);
  for (const std::string& w : rtl.workloads)
    if (!std::filesystem::is_regular_file(w))
      throw SpecError(spec_.where(rtl.workloads_line) + ": 'workloads' " + w + " does not exist");

  goldens_.resize(rtl.workloads.size());
  std::mutex mutex;
  std::string failure;
  run_strided(int(rtl.workloads.size()), threads, [&](int worker, int workers) {
    DesignFaultSimulator simulator(plugin_, design_);
    for (size_t i = size_t(worker); i < goldens_.size(); i += size_t(workers)) {
      try {
        goldens_[i] = simulator.record_golden(rtl.workloads[i], rtl.checkpoint_interval);
      } catch (const std::runtime_error& e) {
        const std::lock_guard lock(mutex);
        if (failure.empty()) failure = e.what();
      }
    }
  });
  if (!failure.empty()) throw SpecError(spec_.where(rtl.workloads_line) + ": 'workloads' " + failure);
}

std::vector<db::GoldenRow> DesignTarget::golden_rows() const {
  // A design has no labels: "correct" counts the workloads whose outputs the testbench decodes to a class.
  int decoded = 0;
  for (const auto& g : goldens_) decoded += g->top1().has_value();
  return {{design_.name, int(goldens_.size()), decoded}};
}

std::string DesignTarget::golden_summary() const {
  const bool decoder = goldens_[0]->top1().has_value();
  return "golden " + design_.name + ": " + std::to_string(goldens_.size()) + " workload(s), " +
         std::to_string(goldens_[0]->cycles()) + " cycles for the first, " + std::to_string(sites().total_bits()) +
         " state bits; " +
         (decoder ? "top-1 decoded by the testbench" : "no decoder: every output difference is an sdc_critical");
}

db::CampaignRow DesignTarget::campaign_row(const CampaignSpec& spec) const {
  std::string workloads;
  for (const std::string& w : spec.rtl->workloads) workloads += file_digest(w) + ";";
  db::CampaignRow row = npufi::campaign_row(spec, design_.path, build_digest_, hex_digest(fnv1a(workloads)));
  row.rtl_target = design_.name;
  row.design_top = design_.top;
  row.workloads = spec.rtl->workloads;
  return row;
}

std::unique_ptr<RtlWorker> DesignTarget::worker() const { return std::make_unique<DesignWorker>(plugin_, design_); }

RtlTargetRun DesignTarget::inject(RtlWorker& worker, int slot, const RtlFault& fault, const std::string& vcd_path,
                                  uint64_t cycles_after) const {
  DesignFaultSimulator& simulator = static_cast<DesignWorker&>(worker).simulator;
  const DesignGolden& g = *goldens_[size_t(slot)];
  const DesignFaultRun run = vcd_path.empty() ? simulator.inject(g, fault, InjectionMode::optimized)
                                              : simulator.replay(g, fault, vcd_path, cycles_after);
  return {classify(run, g, simulator), -1, run.start_cycle, run.simulated_cycles, run.end};
}

RtlTargetRun DesignTarget::inject_naive(RtlWorker& worker, int slot, const RtlFault& fault) const {
  DesignFaultSimulator& simulator = static_cast<DesignWorker&>(worker).simulator;
  const DesignGolden& g = *goldens_[size_t(slot)];
  const DesignFaultRun run = simulator.inject(g, fault, InjectionMode::naive);
  return {classify(run, g, simulator), -1, run.start_cycle, run.simulated_cycles, run.end};
}

}  // namespace npufi
