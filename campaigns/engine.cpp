#include "campaigns/engine.h"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "campaigns/activation_trial_runner.h"
#include "campaigns/campaign_setup.h"
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

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  const std::optional<db::CampaignRow> existing = store.find_campaign_by_key(row.key);

  CampaignRun run;
  run.total = row.total_trials;
  if (existing && existing->status == "done") {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }

  set_compute_threads(1);  // a trial's arithmetic never depends on the thread count
  flush_subnormals_to_zero();
  run.campaign_id = start_campaign(store, row, trials.golden(log), {}, hardening);

  const std::vector<int64_t> completed = store.completed_trials(run.campaign_id);
  run.done_before = int64_t(completed.size());
  const std::vector<int64_t> pending = pending_trials(completed, run.total, options.max_trials);
  log << "campaign " << run.campaign_id << ": " << run.done_before << " of " << run.total
      << " trials stored, running " << pending.size() << " with " << options.threads << " worker thread(s)\n";

  ProgressBar progress(spec.name, run.total, run.done_before);
  run_phase(store, run, [&] {
    run.ran = run_trials<db::TrialRow>(
        pending, options.threads, options.stop, progress, run.done_before,
        [&] {
          set_compute_threads(1);
          flush_subnormals_to_zero();
          return trials.make_worker();
        },
        [&](const std::vector<db::TrialRow>& batch) { store.insert_trials(run.campaign_id, batch); });
  });
  return run;
}

CampaignRun run_on_model(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log, const db::HardeningRow* hardening) {
  if (spec.rtl) return run_rtl_campaign(spec, db_path, options, log, hardening);
  return run_tensor_campaign(spec, db_path, options, log, hardening);
}

}  // namespace

CampaignRun run_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log) {
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
