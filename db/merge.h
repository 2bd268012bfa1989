#pragma once
// `npufi db merge OUT SHARD...`: the databases of a campaign's shards (`campaign run --shard K/N`, one
// database each, docs/cluster.md) put together into one database that holds the campaign as one run would
// have stored it. Only db/ speaks SQL, so the copying is here.
#include <cstdint>
#include <string>
#include <vector>

namespace npufi::db {

struct MergeSummary {
  int64_t campaign_id = 0;  // in the merged database
  std::string campaign;     // its name
  int shard_count = 1;
  int64_t total = 0;        // trials or injections of the whole campaign
  int64_t stored = 0;       // merged
  std::vector<int> missing;              // K of each shard K/N not given
  std::vector<std::string> incomplete;   // "shard-2.db holds 40 of 50 of shard 2/4"
  bool complete() const { return stored == total; }
};

// Writes the new database `out` from `shards`, each holding one shard of the same campaign (the whole
// campaign counts as shard 1/1). Refuses, with a DbError naming the file and leaving no `out` behind: an
// existing `out`; a shard database that cannot be read or holds other than one campaign; shards of another
// campaign (identity) or shard count than the first's, or whose fault-free results differ; a shard given
// twice; rows outside a database's shard. Missing and incomplete shards are reported in the summary: the
// merged campaign is then "interrupted", and `campaign run` on `out` completes it.
MergeSummary merge_shards(const std::string& out, const std::vector<std::string>& shards);

}  // namespace npufi::db
