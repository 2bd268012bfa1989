#pragma once
// The options that several subcommands share, declared once: today the results database (--db). The
// command table (cli/command_table.h) adds them to each subcommand as its entry says it needs them.
#include <string>

#include <CLI/CLI.hpp>

#include "db/store.h"

namespace npufi::cli {

// How a subcommand uses the database.
enum class DatabaseUse {
  none,
  read,    // --db required; opened read-only
  write,   // --db required; created if missing
  record,  // --db optional: the results are also recorded there
};

struct SharedOptions {
  std::string db;
  DatabaseUse use = DatabaseUse::none;  // of the chosen subcommand

  // The database of --db, opened read-only or read-write as the chosen subcommand uses it.
  db::Store open_store() const;
};

// Adds --db to `command` for `use` (nothing for none); when the command is chosen, shared.use becomes use.
void add_database_option(CLI::App& command, SharedOptions& shared, DatabaseUse use);

}  // namespace npufi::cli
