#include "db/merge.h"

#include <filesystem>
#include <map>

#include "db/sqlite.h"
#include "db/store.h"

namespace npufi::db {

namespace {

// One shard database as read before anything is written.
struct ShardFile {
  std::string path;
  CampaignRow campaign;
  std::vector<GoldenRow> golden;
  int64_t stored = 0;
};

std::string shard_text(const CampaignRow& c) {
  return std::to_string(c.shard_index) + "/" + std::to_string(c.shard_count);
}

int64_t shard_size(const CampaignRow& c) {
  const int64_t n = c.shard_count, k = c.shard_index - 1;
  return c.total_trials / n + (c.total_trials % n > k ? 1 : 0);
}

ShardFile read_shard(const std::string& path) {
  Store store = Store::open(path, Store::Mode::read_only);
  const std::vector<CampaignRow> campaigns = store.campaigns();
  if (campaigns.size() != 1)
    throw DbError(path + " holds " + std::to_string(campaigns.size()) +
                  " campaigns; a shard's database holds one (campaign run --shard K/N --db shard-K.db)");
  ShardFile shard{path, campaigns.front(), store.golden(campaigns.front().id), 0};
  shard.stored = int64_t(store.completed_trials(shard.campaign.id).size() +
                         store.completed_injections(shard.campaign.id).size());
  return shard;
}

// Checks `shard` against the first shard and the shards seen so far.
void check_fits(const ShardFile& shard, const ShardFile& first, std::map<int, std::string>& seen) {
  const CampaignRow& c = shard.campaign;
  if (c.key != first.campaign.key)
    throw DbError(shard.path + " holds campaign '" + c.name + "' and " + first.path + " campaign '" +
                  first.campaign.name + "', whose identities differ (spec, seed, model or data): shards of "
                  "different campaigns cannot be merged");
  if (c.shard_count != first.campaign.shard_count)
    throw DbError(shard.path + " holds shard " + shard_text(c) + " and " + first.path + " shard " +
                  shard_text(first.campaign) + ": the shards of one merge are of one shard count");
  if (const auto other = seen.find(c.shard_index); other != seen.end())
    throw DbError(shard.path + " and " + other->second + " both hold shard " + shard_text(c) +
                  ": their slices overlap");
  seen[c.shard_index] = shard.path;
  for (const GoldenRow& g : first.golden) {
    bool same = false;
    for (const GoldenRow& h : shard.golden) same |= h.format == g.format && h.images == g.images && h.correct == g.correct;
    if (!same)
      throw DbError(shard.path + ": the fault-free " + g.format + " result differs from that of " + first.path +
                    " (another build?)");
  }
}

// Copies one shard's rows into the merged campaign, in one transaction.
void copy_rows(Connection& db, const ShardFile& shard, int64_t merged_id) {
  auto attach = db.query("ATTACH DATABASE ? AS shard");
  attach.bind(1, shard.path);
  attach.run();
  const int64_t id = shard.campaign.id, n = shard.campaign.shard_count, k = shard.campaign.shard_index - 1;
  {
    auto outside = db.query(
        "SELECT (SELECT COUNT(*) FROM shard.trials WHERE campaign = ?1 AND trial % ?2 != ?3) + "
        "(SELECT COUNT(*) FROM shard.injections WHERE campaign = ?1 AND injection % ?2 != ?3)");
    outside.bind_all(id, n, k);
    outside.next();
    if (outside.int64(0) > 0)
      throw DbError(shard.path + " holds " + std::to_string(outside.int64(0)) + " rows outside its shard " +
                    shard_text(shard.campaign));
  }
  WriteTransaction transaction(db);
  const auto copy = [&](const std::string& table, const std::string& columns) {
    auto q = db.query("INSERT INTO main." + table + " (campaign, " + columns + ") SELECT ?, " + columns +
                      " FROM shard." + table + " WHERE campaign = ?");
    q.bind_all(merged_id, id);
    q.run();
  };
  copy("trials", "trial, format, ber, repetition, fault_count, images, correct, mismatches, seconds, masked, sdc_benign");
  copy("faults", "trial, position, tensor, flat_index, bit, kind, image");
  copy("injections", "injection, image, block, site, storage, bit, width, model, cycle, outcome, first_diff_layer, "
                     "simulated_cycles, ended_by, baseline_outcome");
  transaction.commit();
  db.exec("DETACH DATABASE shard");
}

void remove_database(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

MergeSummary merge_shards(const std::string& out, const std::vector<std::string>& paths) {
  if (paths.empty()) throw DbError("db merge needs at least one shard database");
  if (std::filesystem::exists(out)) throw DbError(out + " exists; db merge writes a new database");
  std::vector<ShardFile> shards;
  std::map<int, std::string> seen;
  for (const std::string& path : paths) {
    shards.push_back(read_shard(path));
    check_fits(shards.back(), shards.front(), seen);
  }

  const ShardFile& first = shards.front();
  MergeSummary summary;
  summary.campaign = first.campaign.name;
  summary.shard_count = first.campaign.shard_count;
  summary.total = first.campaign.total_trials;
  for (const ShardFile& s : shards) {
    summary.stored += s.stored;
    if (s.stored < shard_size(s.campaign))
      summary.incomplete.push_back(s.path + " holds " + std::to_string(s.stored) + " of " +
                                   std::to_string(shard_size(s.campaign)) + " of shard " + shard_text(s.campaign));
  }
  for (int k = 1; k <= summary.shard_count; ++k)
    if (!seen.count(k)) summary.missing.push_back(k);

  // Written under another name and renamed when complete: a failed merge leaves no `out`.
  const std::string partial = out + ".merging";
  remove_database(partial);
  try {
    {
      Store source = Store::open(first.path, Store::Mode::read_only);
      Store merged = Store::open(partial, Store::Mode::read_write);
      CampaignRow campaign = first.campaign;
      campaign.shard_index = campaign.shard_count = 1;
      campaign.status = summary.complete() ? "done" : "interrupted";
      summary.campaign_id = merged.create_campaign(campaign, first.golden, source.population(first.campaign.id),
                                                   source.layer_cycles(first.campaign.id));
    }
    {
      Connection db(partial, false);
      for (const ShardFile& s : shards) copy_rows(db, s, summary.campaign_id);
    }
    std::filesystem::rename(partial, out);
  } catch (...) {
    remove_database(partial);
    throw;
  }
  return summary;
}

}  // namespace npufi::db
