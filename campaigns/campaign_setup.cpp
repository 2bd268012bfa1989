#include "campaigns/campaign_setup.h"

#include <algorithm>
#include <stdexcept>

#include "campaigns/identity.h"
#include "git_revision.h"
#include "models/data_source.h"

namespace npufi {

ImageSet campaign_images(const CampaignSpec& spec) {
  const ImageSet all = load_images(data_source_or_default(spec.data), spec.split == "train" ? Split::train : Split::test);
  const int count = spec.image_count.value_or(all.count - spec.first_image);
  if (spec.first_image + count > all.count || count <= 0) {
    throw SpecError(spec.file + ": 'images' " + std::to_string(spec.first_image) + ":" +
                    std::to_string(spec.first_image + count) + " is outside the " + std::to_string(all.count) +
                    " images of the " + spec.split + " split");
  }
  return all.slice(spec.first_image, spec.first_image + count);
}

db::CampaignRow campaign_row(const CampaignSpec& spec, const ImageSet& images) {
  return campaign_row(spec, spec.model, file_digest(spec.model), hex_digest(images.content_hash()));
}

db::CampaignRow campaign_row(const CampaignSpec& spec, const std::string& model_path, const std::string& model_hash,
                             const std::string& dataset_hash, const std::string& more_identity) {
  db::CampaignRow row;
  row.name = spec.name;
  row.spec = spec.text;
  row.seed = spec.seed;
  row.tool_version = NPUFI_VERSION;
  row.git_revision = NPUFI_GIT_REVISION;
  row.model_path = model_path;
  row.model_hash = model_hash;
  row.dataset_hash = dataset_hash;
  // A protection plan is part of the campaign's identity by its content.
  if (spec.rtl && !spec.rtl->protection.empty()) row.protection_digest = file_digest(spec.rtl->protection);
  const std::string plan = row.protection_digest.empty() ? "" : ";protection=" + row.protection_digest;
  row.key = campaign_key(spec.canonical() + plan + more_identity, row.model_hash, row.dataset_hash);
  row.total_trials = spec.trial_count();
  row.status = "running";
  return row;
}

Shard shard_of(const db::CampaignRow& row) { return {row.shard_index, row.shard_count}; }

bool already_complete(const std::optional<db::CampaignRow>& existing, const db::CampaignRow& row) {
  return existing && existing->status == "done" && shard_of(*existing) == shard_of(row);
}

int64_t start_campaign(db::Store& store, const db::CampaignRow& row, const std::vector<db::GoldenRow>& golden,
                       const std::vector<db::PopulationRow>& population, const db::HardeningRow* hardening,
                       const std::vector<db::LayerCyclesRow>& layers) {
  const std::optional<db::CampaignRow> existing = store.find_campaign_by_key(row.key);
  const Shard wanted = shard_of(row);
  if (existing && shard_of(*existing) != wanted && !wanted.whole()) {
    const Shard held = shard_of(*existing);
    throw SpecError(store.path() + " holds " + (held.whole() ? "all" : "shard " + held.text()) + " of campaign " +
                    std::to_string(existing->id) + " (" + existing->name + "); shard " + wanted.text() +
                    " goes into a database of its own");
  }
  if (hardening) store.insert_hardening(*hardening);
  if (!existing) return store.create_campaign(row, golden, population, layers);
  const std::vector<db::GoldenRow> stored = store.golden(existing->id);
  for (const db::GoldenRow& g : golden) {
    const auto it = std::find_if(stored.begin(), stored.end(), [&](const db::GoldenRow& r) { return r.format == g.format; });
    if (it == stored.end() || it->correct != g.correct || it->images != g.images)
      throw std::runtime_error("the fault-free " + g.format + " result differs from the one stored in " + store.path() +
                               "; the campaign cannot be resumed on this build");
  }
  if (shard_of(*existing) != wanted) store.set_shard(existing->id, wanted.index, wanted.count);
  store.set_status(existing->id, "running");
  return existing->id;
}

void mark_interrupted(db::Store& store, int64_t campaign_id) {
  try {
    store.set_status(campaign_id, "interrupted");
  } catch (const db::DbError&) {
    // The first error is the one to report.
  }
}

}  // namespace npufi
