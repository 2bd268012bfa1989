// npufi db migrate: brings a results database written by an older npufi to this build's schema, so that
// the read-only commands (export, analyze, query, ...) can open it (docs/storage.md).
// npufi db merge: one database from the databases of a campaign's shards (docs/cluster.md).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "db/merge.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

int migrate(const std::string& path) {
  if (!std::filesystem::exists(path)) throw db::DbError("database " + path + " does not exist");
  db::Store::open(path, db::Store::Mode::read_write);  // opening read-write migrates
  std::printf("%s: schema %d\n", path.c_str(), db::kSchemaVersion);
  return 0;
}

int merge(const std::string& out, const std::vector<std::string>& shards) {
  const db::MergeSummary summary = db::merge_shards(out, shards);
  std::printf("%s: campaign %lld (%s), %zu of %d shard(s), %lld of %lld %s\n", out.c_str(),
              (long long)summary.campaign_id, summary.campaign.c_str(), shards.size(), summary.shard_count,
              (long long)summary.stored, (long long)summary.total, summary.complete() ? "stored, done" : "stored");
  for (const int k : summary.missing)
    std::printf("missing: shard %d/%d\n", k, summary.shard_count);
  for (const std::string& line : summary.incomplete) std::printf("incomplete: %s\n", line.c_str());
  if (!summary.complete())
    std::printf("run `npufi campaign run FILE --db %s` to complete the campaign\n", out.c_str());
  return 0;
}

}  // namespace

void add_db_command(CLI::App* command, SharedOptions&, Runner& run) {
  command->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  CLI::App* migrate_command = command->add_subcommand(
      "migrate", "Bring a database of an older npufi to this build's schema (a no-op when it is current)");
  migrate_command->add_option("--db", *path, "SQLite database")->required();
  migrate_command->callback([path, &run] { run = [path] { return migrate(*path); }; });

  auto out = std::make_shared<std::string>();
  auto shards = std::make_shared<std::vector<std::string>>();
  CLI::App* merge_command = command->add_subcommand(
      "merge", "Merge the databases of a campaign's shards (campaign run --shard K/N) into a new database");
  merge_command->add_option("out", *out, "The merged database (must not exist)")->required();
  merge_command->add_option("shards", *shards, "The shards' databases")->required();
  merge_command->callback([out, shards, &run] { run = [out, shards] { return merge(*out, *shards); }; });
}

}  // namespace npufi::cli
