// npufi db migrate: brings a results database written by an older npufi to this build's schema, so that
// the read-only commands (export, analyze, query, ...) can open it (docs/storage.md).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

int migrate(const std::string& path) {
  if (!std::filesystem::exists(path)) throw db::DbError("database " + path + " does not exist");
  db::Store::open(path, db::Store::Mode::read_write);  // opening read-write migrates
  std::printf("%s: schema %d\n", path.c_str(), db::kSchemaVersion);
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
}

}  // namespace npufi::cli
