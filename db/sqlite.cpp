#include "db/sqlite.h"

#include <sqlite3.h>

namespace npufi::db {
namespace {

// How long a write waits for another writer before giving up with "locked".
constexpr int kBusyTimeoutMs = 2000;

}  // namespace

Statement::Statement(Connection& db, std::string_view sql) {
  const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Query::bind_int64(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc);
}

void Query::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.fail(rc);
}

void Query::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_.fail(rc);
}

void Query::bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_.fail(rc);
}

bool Query::next() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(rc);
}

void Query::run() {
  while (next()) {
  }
  sqlite3_reset(stmt_);
}

int64_t Query::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> Query::optional_int64(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

double Query::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Query::text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, sqlite3_column_bytes(stmt_, column)) : std::string();
}

Connection::Connection(const std::string& path, bool read_only) : path_(path), read_only_(read_only) {
  // NOMUTEX: a connection, like its statement cache, is used by one thread at a time.
  const int flags =
      SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  if (rc != SQLITE_OK) {
    const std::string message = "database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    throw DbError(message);
  }
}

Connection::~Connection() {
  statements_.clear();  // finalize every statement before closing
  sqlite3_close(db_);
}

void Connection::exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc);
}

Query Connection::query(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) it = statements_.try_emplace(sql, *this, sql).first;
  return Query(*this, it->second);
}

int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int64_t Connection::changes() const { return sqlite3_changes64(db_); }

void Connection::fail(int rc) const {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
      throw DbError("database " + path_ + " is locked by another writer");
    case SQLITE_NOTADB:
      throw DbError(path_ + " is not an SQLite database");
    default:
      throw DbError("database " + path_ + ": " + sqlite3_errmsg(db_));
  }
}

WriteTransaction::WriteTransaction(Connection& db) : db_(db) {
  if (db.read_only()) throw DbError("database " + db.path() + " is open read-only");
  db.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  // COMMIT may have failed (busy) or SQLite may already have rolled back (e.g. disk full).
  if (!committed_ && !sqlite3_get_autocommit(db_.handle())) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void WriteTransaction::commit() {
  db_.exec("COMMIT");
  committed_ = true;
}

}  // namespace npufi::db
