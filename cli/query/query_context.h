#pragma once
// What every query shell command works on: the database, opened twice read-only (through the store API
// for npufi's own questions, and through the locked connection for the user's SQL), and the output mode.
#include <stdexcept>
#include <string>

#include "cli/query/output_mode.h"
#include "db/read_only_database.h"
#include "db/store.h"

namespace npufi::cli {

// A command that failed: a one-line message, and the exit code of a script that ran it (1 runtime, 2 usage).
struct QueryError : std::runtime_error {
  QueryError(int exit_code, const std::string& message) : std::runtime_error(message), code(exit_code) {}
  int code;
};

struct QueryContext {
  explicit QueryContext(const std::string& db_path)
      : store(db::Store::open(db_path, db::Store::Mode::read_only)), database(db_path) {}
  db::Store store;
  db::ReadOnlyDatabase database;
  OutputMode mode = OutputMode::table;
};

}  // namespace npufi::cli
