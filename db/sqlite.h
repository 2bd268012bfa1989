#pragma once
// Thin RAII layer over the sqlite3 C API: a connection, its cached prepared statements, one-shot use of a
// statement (Query) and write transactions. Every failure becomes a one-line DbError naming the file.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "db/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace npufi::db {

class Connection;

// Owns one prepared statement.
class Statement {
 public:
  Statement(Connection& db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// One use of a cached statement: bind, step, read columns. Resets the statement when it goes out of scope,
// so no read snapshot or lock outlives the call that used it.
class Query {
 public:
  Query(Connection& db, Statement& statement) : db_(db), stmt_(statement.get()) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  // Parameters are numbered from 1, as in SQL.
  template <std::signed_integral T>
  void bind(int index, T value) {
    bind_int64(index, value);
  }
  void bind(int index, double value);
  void bind(int index, std::string_view value);
  // NULL when empty.
  template <std::signed_integral T>
  void bind(int index, const std::optional<T>& value) {
    if (value) bind_int64(index, *value);
    else bind_null(index);
  }
  // Binds the values to parameters 1, 2, ... in order.
  template <class... Values>
  void bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
  }

  // Steps once; true while a row is available.
  bool next();
  // Executes a statement that returns no rows and rewinds it, ready for the next set of bindings.
  void run();

  // Columns are numbered from 0.
  int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  // Empty for NULL.
  std::optional<int64_t> optional_int64(int column) const;

 private:
  void bind_int64(int index, int64_t value);
  void bind_null(int index);

  Connection& db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  Connection(const std::string& path, bool read_only);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  sqlite3* handle() const { return db_; }

  // Runs SQL that carries no values: schema, pragmas, transaction control.
  void exec(const char* sql);
  // The statement for sql, prepared once per connection.
  Query query(const std::string& sql);
  int64_t last_insert_id() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const;

  // Throws the DbError for result code rc of the call that just failed on this connection.
  [[noreturn]] void fail(int rc) const;

 private:
  std::string path_;
  bool read_only_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Statement> statements_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when left without commit().
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& db);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();

  void commit();

 private:
  Connection& db_;
  bool committed_ = false;
};

}  // namespace npufi::db
