#include "campaigns/rtl_engine.h"

#include <memory>

#include <algorithm>
#include <map>
#include <set>

#include "campaigns/campaign_setup.h"
#include "campaigns/sequential_schedule.h"
#include "injector/outcome.h"
#include "campaigns/rtl_workload.h"
#include "campaigns/trial_loop.h"

namespace npufi {

namespace {

// Runs `pending` injections on the workers and stores them; returns how many were stored.
template <class Inject>
int64_t run_injections(const RtlWorkload& workload, db::Store& store, const EngineOptions& options,
                       ProgressBar& progress, const CampaignRun& run, const std::vector<int64_t>& pending,
                       Inject&& inject) {
  return run_trials<db::InjectionRow>(
      pending, options.threads, options.stop, progress, run.done_before + run.ran,
      [&] {
        return [&, worker = std::shared_ptr<RtlWorker>(workload.worker())](int64_t index) {
          return inject(*worker, index);
        };
      },
      [&](const std::vector<db::InjectionRow>& batch) { store.insert_injections(run.campaign_id, batch); });
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
    std::map<int64_t, ScheduledInjection> pending_round;
    std::vector<int64_t> pending;
    size_t missing = 0;
    for (const ScheduledInjection& s : round) {
      if (stored.count(s.index)) continue;
      ++missing;
      if (budget_left < 0 || int64_t(pending.size()) < budget_left) {
        pending.push_back(s.index);
        pending_round[s.index] = s;
      }
    }
    const int64_t ran = run_injections(workload, store, options, progress, run, pending,
                                       [&](RtlWorker& worker, int64_t index) {
                                         const ScheduledInjection& s = pending_round.at(index);
                                         return workload.run_in_block(worker, index, s.block, s.k);
                                       });
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
  const db::CampaignRow row = workload.campaign_row();
  const std::vector<db::GoldenRow> golden = workload.golden_rows();
  log << workload.target().golden_summary() << "\n";

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  CampaignRun run;
  run.total = row.total_trials;
  if (const auto existing = store.find_campaign_by_key(row.key); existing && existing->status == "done") {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }
  run.campaign_id = start_campaign(store, row, golden, workload.population(), hardening, workload.target().layer_cycles());

  const std::vector<int64_t> completed = store.completed_injections(run.campaign_id);
  run.done_before = int64_t(completed.size());
  log << "campaign " << run.campaign_id << ": " << run.done_before << " of " << run.total
      << " injections stored, running with " << options.threads << " worker thread(s)\n";

  ProgressBar progress(spec.name, run.total, run.done_before);
  run_phase(store, run, [&] {
    if (spec.rtl->target_margin) {
      run_rounds(workload, store, options, progress, run);
    } else {
      const std::vector<int64_t> pending = pending_trials(completed, run.total, options.max_trials);
      run.ran = run_injections(workload, store, options, progress, run, pending,
                               [&](RtlWorker& worker, int64_t index) { return workload.run(worker, index); });
    }
  });
  return run;
}

}  // namespace npufi
