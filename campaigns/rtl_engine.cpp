#include "campaigns/rtl_engine.h"

#include <memory>

#include <algorithm>
#include <set>

#include "campaigns/campaign_setup.h"
#include "campaigns/cluster/worker_rank.h"
#include "campaigns/sequential_schedule.h"
#include "injector/outcome.h"
#include "campaigns/rtl_workload.h"
#include "campaigns/trial_loop.h"

namespace npufi {

namespace {

// An injection planned from its index alone, or a sequential campaign's scheduled one.
db::InjectionRow inject(const RtlWorkload& workload, RtlWorker& worker, int64_t index) {
  return workload.run(worker, index);
}
db::InjectionRow inject(const RtlWorkload& workload, RtlWorker& worker, const ScheduledInjection& s) {
  return workload.run_in_block(worker, s.index, s.block, s.k);
}

// What each worker thread runs: its own simulator.
template <class Task>
auto injection_worker(const RtlWorkload& workload) {
  return [&workload] {
    return [&workload, worker = std::shared_ptr<RtlWorker>(workload.worker())](const Task& task) {
      return inject(workload, *worker, task);
    };
  };
}

// Runs `pending` injections on the workers (and the other ranks') and stores them; returns how many were
// stored.
template <class Task>
int64_t run_injections(const RtlWorkload& workload, db::Store& store, const EngineOptions& options,
                       ProgressBar& progress, const CampaignRun& run, const std::vector<Task>& pending) {
  return run_trials<db::InjectionRow>(
      pending, options.threads, options.stop, progress, run.done_before + run.ran, injection_worker<Task>(workload),
      [&](const std::vector<db::InjectionRow>& batch) { store.insert_injections(run.campaign_id, batch); },
      options.coordinator);
}

// Sequential sampling: rounds of injections into the blocks whose interval is still too wide. Every round
// is planned from the stored results of the rounds before it, so an interrupted campaign resumes with the
// same rounds.
void run_rounds(const RtlWorkload& workload, db::Store& store, const EngineOptions& options, ProgressBar& progress,
                CampaignRun& run) {
  const RtlSpec& rtl = *workload.spec().rtl;
  SequentialSettings settings;
  settings.margin = *rtl.target_margin;
  settings.confidence = rtl.confidence;
  settings.outcome = *parse_outcome(rtl.margin_outcome);
  settings.round_size = rtl.round_size;
  settings.budget = rtl.injections;
  const std::vector<std::string>& blocks = workload.blocks();
  SequentialSchedule schedule(settings, blocks.size());
  std::vector<BlockTally> tallies(blocks.size());
  int64_t budget_left = options.max_trials;
  while (true) {
    const std::vector<ScheduledInjection> round = schedule.next_round(tallies);
    if (round.empty()) break;
    std::set<int64_t> stored;
    for (const int64_t index : store.completed_injections(run.campaign_id)) stored.insert(index);
    std::vector<ScheduledInjection> pending;
    size_t missing = 0;
    for (const ScheduledInjection& s : round) {
      if (stored.count(s.index)) continue;
      ++missing;
      if (budget_left < 0 || int64_t(pending.size()) < budget_left) pending.push_back(s);
    }
    const int64_t ran = run_injections(workload, store, options, progress, run, pending);
    run.ran += ran;
    if (budget_left >= 0) budget_left -= ran;
    if (size_t(ran) < missing) return;  // stopped within the round: resume later
    for (const db::InjectionRow& r : store.injections(run.campaign_id)) {
      if (r.injection < round.front().index || r.injection > round.back().index) continue;
      BlockTally& t = tallies[size_t(std::find(blocks.begin(), blocks.end(), r.block) - blocks.begin())];
      ++t.trials;
      t.events += r.outcome == rtl.margin_outcome;
    }
  }
  run.total = schedule.planned();
  run.stop_reason = schedule.stop_reason();
}

}  // namespace

CampaignRun run_rtl_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                             std::ostream& log, const db::HardeningRow* hardening) {
  // Everything that can be wrong with the input is found before the database is opened.
  const RtlWorkload workload(spec, options.threads);
  db::CampaignRow row = workload.campaign_row();
  row.shard_index = options.shard.index;
  row.shard_count = options.shard.count;
  const std::vector<db::GoldenRow> golden = workload.golden_rows();
  log << workload.target().golden_summary() << "\n";
  if (options.computes_only()) {
    say_hello(*options.cluster, row.key);
    if (spec.rtl->target_margin) {
      serve_tasks<ScheduledInjection, db::InjectionRow>(*options.cluster, options.threads, options.stop,
                                                        injection_worker<ScheduledInjection>(workload));
    } else {
      serve_tasks<int64_t, db::InjectionRow>(*options.cluster, options.threads, options.stop,
                                             injection_worker<int64_t>(workload));
    }
    return {};
  }

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  CampaignRun run;
  run.total = options.shard.size(row.total_trials);
  if (const auto existing = store.find_campaign_by_key(row.key); already_complete(existing, row)) {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }
  run.campaign_id = start_campaign(store, row, golden, workload.population(), hardening, workload.target().layer_cycles());
  if (options.coordinator) options.coordinator->expect(row.key);

  const std::vector<int64_t> completed = store.completed_injections(run.campaign_id);
  run.done_before = options.shard.count_in(completed);
  log << "campaign " << run.campaign_id << describe_slice(options) << ": " << run.done_before << " of " << run.total
      << " injections stored, running" << describe_workers(options) << "\n";

  ProgressBar progress(spec.name, run.total, run.done_before);
  run_phase(store, run, [&] {
    if (spec.rtl->target_margin) {
      run_rounds(workload, store, options, progress, run);
    } else {
      const std::vector<int64_t> pending = pending_trials(completed, row.total_trials, options.max_trials, options.shard);
      run.ran = run_injections(workload, store, options, progress, run, pending);
    }
  });
  return run;
}

}  // namespace npufi
