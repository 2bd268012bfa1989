#include "campaigns/engine.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "campaigns/activation_trial_runner.h"
#include "campaigns/campaign_setup.h"
#include "campaigns/cluster/worker_rank.h"
#include "campaigns/harden_job.h"
#include "campaigns/rtl_engine.h"
#include "campaigns/progress_bar.h"
#include "campaigns/trial_loop.h"
#include "campaigns/trial_runner.h"
#include "db/store.h"
#include "models/dataset.h"

namespace npufi {

namespace {

// A campaign on the model's tensors: weights, or activations (target = "activations").
CampaignRun run_tensor_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                                std::ostream& log, const db::HardeningRow* hardening) {
  // Everything that can be wrong with the input is found before the database is opened.
  Model model = Model::load(spec.model);
  const ImageSet images = campaign_images(spec);
  try {
    model.check_fits(images);
  } catch (const ModelError& e) {
    throw SpecError(spec.where(0) + ": 'model' " + spec.model + ": " + e.what());
  }
  TensorTrials trials = spec.activations ? activation_trials(spec, model, images, options.cache_budget_bytes)
                                         : weight_trials(spec, model, images, options.cache_budget_bytes);

  db::CampaignRow row = campaign_row(spec, images);
  row.activation_layers = trials.activation_layers;
  row.shard_index = options.shard.index;
  row.shard_count = options.shard.count;
  const auto make_worker = [&] {
    set_compute_threads(1);
    flush_subnormals_to_zero();
    return trials.make_worker();
  };
  set_compute_threads(1);  // a trial's arithmetic never depends on the thread count
  flush_subnormals_to_zero();
  if (options.computes_only()) {
    trials.golden(log);
    say_hello(*options.cluster, row.key);
    serve_tasks<int64_t, db::TrialRow>(*options.cluster, options.threads, options.stop, make_worker);
    return {};
  }

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  const std::optional<db::CampaignRow> existing = store.find_campaign_by_key(row.key);

  CampaignRun run;
  run.total = options.shard.size(row.total_trials);
  if (already_complete(existing, row)) {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }

  run.campaign_id = start_campaign(store, row, trials.golden(log), {}, hardening);
  if (options.coordinator) options.coordinator->expect(row.key);

  const std::vector<int64_t> completed = store.completed_trials(run.campaign_id);
  run.done_before = options.shard.count_in(completed);
  const std::vector<int64_t> pending = pending_trials(completed, row.total_trials, options.max_trials, options.shard);
  log << "campaign " << run.campaign_id << describe_slice(options) << ": " << run.done_before << " of " << run.total
      << " trials stored, running " << pending.size() << describe_workers(options) << "\n";

  ProgressBar progress(spec.name, run.total, run.done_before);
  run_phase(store, run, [&] {
    run.ran = run_trials<db::TrialRow>(
        pending, options.threads, options.stop, progress, run.done_before, make_worker,
        [&](const std::vector<db::TrialRow>& batch) { store.insert_trials(run.campaign_id, batch); },
        options.coordinator);
  });
  return run;
}

CampaignRun run_on_model(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log, const db::HardeningRow* hardening) {
  if (spec.rtl) return run_rtl_campaign(spec, db_path, options, log, hardening);
  return run_tensor_campaign(spec, db_path, options, log, hardening);
}

}  // namespace

bool EngineOptions::computes_only() const { return cluster && cluster->rank() != 0; }

std::string describe_slice(const EngineOptions& options) {
  return options.shard.whole() ? "" : " shard " + options.shard.text();
}

std::string describe_workers(const EngineOptions& options) {
  const std::string threads = " with " + std::to_string(options.threads) + " worker thread(s)";
  if (!options.cluster) return threads;
  return " on " + std::to_string(options.cluster->size()) + " ranks" + threads + " each";
}

CampaignRun run_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log) {
  if (!options.shard.whole() && spec.rtl && spec.rtl->target_margin)
    throw SpecError("--shard does not apply to a sequential campaign ('target_margin'): each round is planned "
                    "from the results of all rounds before it; run it on one machine or with MPI (docs/cluster.md)");
  if (spec.harden && (!options.shard.whole() || options.cluster))
    throw SpecError(std::string(options.cluster ? "several ranks" : "--shard") +
                    " cannot run a campaign with [harden]: make the hardened model first (npufi harden, or this "
                    "campaign on one process), then run a campaign on it (docs/cluster.md)");
  if (!spec.harden) return run_on_model(spec, db_path, options, log, nullptr);
  // [harden]: the campaign runs on the hardened model, made now unless the database holds the same
  // hardening of the same model file and its output file is unchanged.
  HardenJob job = harden_job(spec);
  job.threads = options.threads;
  campaign_images(spec);  // a bad image range is found before the hardening runs
  CampaignSpec hardened_spec = spec;
  hardened_spec.model = job.out;
  if (std::filesystem::exists(db_path)) {
    db::Store store = db::Store::open(db_path, db::Store::Mode::read_only);
    if (const auto recorded = recorded_hardening(store, job)) {
      log << "reusing hardening " << recorded->id << " (" << recorded->method << "): " << job.out << "\n";
      return run_on_model(hardened_spec, db_path, options, log, nullptr);
    }
  }
  log << "hardening " << job.model << " with " << job.method << " into " << job.out << "\n";
  const HardenedModel hardened = run_harden_job(job, [&](const std::string& line) { log << line << "\n"; });
  log << hardening_summary(hardened);
  return run_on_model(hardened_spec, db_path, options, log, &hardened.row);
}

}  // namespace npufi
