#include "campaigns/rtl_engine.h"

#include <chrono>
#include <memory>

#include "campaigns/campaign_setup.h"
#include "campaigns/rtl_workload.h"
#include "campaigns/trial_loop.h"

namespace npufi {

CampaignRun run_rtl_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                             std::ostream& log) {
  // Everything that can be wrong with the input is found before the database is opened.
  const RtlWorkload workload(spec, options.threads);
  const db::CampaignRow row = campaign_row(spec, workload.images());
  const std::vector<db::GoldenRow> golden = workload.golden_rows();
  log << "golden " << golden[0].format << ": " << golden[0].correct << " of " << golden[0].images
      << " images correct, " << workload.golden(0).cycles() << " cycles per inference, "
      << workload.sites().total_bits() << " state bits\n";

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  CampaignRun run;
  run.total = row.total_trials;
  if (const auto existing = store.find_campaign_by_key(row.key); existing && existing->status == "done") {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }
  run.campaign_id = start_campaign(store, row, golden, workload.population());

  const std::vector<int64_t> completed = store.completed_injections(run.campaign_id);
  run.done_before = int64_t(completed.size());
  const std::vector<int64_t> pending = pending_trials(completed, run.total, options.max_trials);
  log << "campaign " << run.campaign_id << ": " << run.done_before << " of " << run.total
      << " injections stored, running " << pending.size() << " with " << options.threads << " worker thread(s)\n";

  const auto start = std::chrono::steady_clock::now();
  ProgressBar progress(spec.name, run.total, run.done_before);
  try {
    run.ran = run_trials<db::InjectionRow>(
        pending, options.threads, options.stop, progress, run.done_before,
        [&] {
          return [&, simulator = std::shared_ptr<NpuFaultSimulator>(workload.simulator())](int64_t index) {
            return workload.run(*simulator, index);
          };
        },
        [&](const std::vector<db::InjectionRow>& batch) { store.insert_injections(run.campaign_id, batch); });
  } catch (...) {
    mark_interrupted(store, run.campaign_id);
    throw;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  store.set_status(run.campaign_id, run.complete() ? "done" : "interrupted");
  return run;
}

}  // namespace npufi
