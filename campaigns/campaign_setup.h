#pragma once
// Steps every campaign run shares, whatever its fault target.
#include <chrono>
#include <cstdint>

#include "campaigns/engine.h"
#include "campaigns/shard.h"
#include "campaigns/spec.h"
#include "db/store.h"
#include "models/dataset.h"

namespace npufi {

// The spec's images; throws SpecError when the range is outside the split.
ImageSet campaign_images(const CampaignSpec& spec);

// The campaign's row: identity (spec, model and images), provenance, trial count, status "running".
db::CampaignRow campaign_row(const CampaignSpec& spec, const ImageSet& images);

// The same for a campaign whose inputs are named by digests: `model_path` and `model_hash` (a design file
// and its build's digest), `dataset_hash` (its workloads').
// `more_identity` names further inputs by digest (a baseline design's build).
db::CampaignRow campaign_row(const CampaignSpec& spec, const std::string& model_path, const std::string& model_hash,
                             const std::string& dataset_hash, const std::string& more_identity = "");

// `row`'s campaign as `existing` holds it (same key) needs no run: it is done, and holds the same shard.
bool already_complete(const std::optional<db::CampaignRow>& existing, const db::CampaignRow& row);

// The slice `row` asks for (its shard_index and shard_count).
Shard shard_of(const db::CampaignRow& row);

// Records `hardening` (the [harden] run that made the campaign's model), if any. Then creates the campaign
// with its fault-free results (and an RTL campaign's population and layer cycles), or, when it exists
// (same key), checks that this build computes the same fault-free results and marks it running again.
// A database holds one shard of a campaign, or all of it: a run without --shard on a shard's database
// completes the whole campaign there; another shard than the one it holds is refused (SpecError), before
// anything is written. Returns its id.
int64_t start_campaign(db::Store& store, const db::CampaignRow& row, const std::vector<db::GoldenRow>& golden,
                       const std::vector<db::PopulationRow>& population, const db::HardeningRow* hardening,
                       const std::vector<db::LayerCyclesRow>& layers = {});

// Records that a run stopped early, without hiding the error that stopped it.
void mark_interrupted(db::Store& store, int64_t campaign_id);

// Runs the trial phase, timing it: the campaign ends "done" when complete, else "interrupted" (also when
// the phase throws; the error is rethrown).
template <class Phase>
void run_phase(db::Store& store, CampaignRun& run, Phase&& phase) {
  const auto start = std::chrono::steady_clock::now();
  try {
    phase();
  } catch (...) {
    mark_interrupted(store, run.campaign_id);
    throw;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  store.set_status(run.campaign_id, run.complete() ? "done" : "interrupted");
}

}  // namespace npufi
