#pragma once
// A connection that can only read: the query shell's (`npufi query`, docs/query.md) way of running SQL that
// the user typed. Three locks, each enough on its own for the main database file: it is opened with
// SQLITE_OPEN_READONLY, `PRAGMA query_only` is on, and an authorizer allows nothing but reading (SELECT,
// the columns it reads, functions other than load_extension, and the PRAGMAs that only report). ATTACH is
// also limited to zero databases, so no other file can be written either.
#include <atomic>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "db/store.h"
#include "db/value_table.h"

namespace npufi::db {

// A statement that would change something, or more than one statement: refused before it runs.
struct SqlRefused : DbError {
  using DbError::DbError;
};

// A statement stopped by interrupt().
struct SqlInterrupted : DbError {
  using DbError::DbError;
};

class ReadOnlyDatabase {
 public:
  // Throws DbError for a missing file, a file that is not SQLite, or not an npufi database.
  explicit ReadOnlyDatabase(const std::string& path);

  const std::string& path() const { return db_.path(); }

  // Runs one reading statement and returns all its rows. Throws SqlRefused, SqlInterrupted, or DbError
  // for SQL that SQLite rejects.
  ValueTable select(const std::string& sql);

  // Stops the statement running now, or the next one to start if none is (from a signal handler or another
  // thread): it throws SqlInterrupted. clear_interrupt() forgets an interrupt that no statement took.
  void interrupt();
  void clear_interrupt() { interrupted_ = false; }

  // The schema, for completion: table names, and every column of every table, each once.
  std::vector<std::string> tables();
  std::vector<std::string> columns();
  std::vector<std::string> table_columns(const std::string& table);
  // The distinct values of a column of the schema, sorted.
  std::vector<std::string> distinct(const std::string& table, const std::string& column);

 private:
  static int authorize(void* self, int action, const char* arg1, const char* arg2, const char* database,
                       const char* trigger);

  static int check_interrupt(void* self);

  Connection db_;
  std::atomic<bool> interrupted_{false};
  std::string refused_;  // what the authorizer last denied, for the message
};

}  // namespace npufi::db
