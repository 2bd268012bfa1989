#include "db/read_only_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>
#include <string_view>

#include "db/schema.h"

namespace npufi::db {
namespace {

// PRAGMAs that only report, with or without an argument (table_info(campaigns)).
const std::set<std::string_view> kReportingPragmas = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "database_list", "collation_list", "function_list", "pragma_list", "compile_options"};
// PRAGMAs that report without an argument and set something with one.
const std::set<std::string_view> kSettingPragmas = {
    "user_version", "schema_version", "application_id", "page_count", "page_size", "freelist_count",
    "encoding", "journal_mode", "foreign_keys", "query_only"};

// The names of the statements the authorizer denies, for the refusal (sqlite3.h's action codes).
std::string action_name(int action) {
  switch (action) {
    case SQLITE_INSERT: return "INSERT";
    case SQLITE_UPDATE: return "UPDATE";
    case SQLITE_DELETE: return "DELETE";
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE: return "CREATE";
    case SQLITE_CREATE_TEMP_INDEX: case SQLITE_CREATE_TEMP_TABLE: case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_CREATE_TEMP_VIEW: return "CREATE TEMP";
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TABLE: case SQLITE_DROP_TRIGGER: case SQLITE_DROP_VIEW:
    case SQLITE_DROP_VTABLE: case SQLITE_DROP_TEMP_INDEX: case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_TRIGGER: case SQLITE_DROP_TEMP_VIEW: return "DROP";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: case SQLITE_SAVEPOINT: return "a transaction";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_REINDEX: return "REINDEX";
    default: return "this statement";
  }
}

Value cell(sqlite3_stmt* stmt, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  const std::string value = text ? std::string(text, size_t(sqlite3_column_bytes(stmt, column))) : std::string();
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL: return {Value::Kind::null, ""};
    case SQLITE_INTEGER: return {Value::Kind::integer, value};
    case SQLITE_FLOAT:
      return {std::isfinite(sqlite3_column_double(stmt, column)) ? Value::Kind::real : Value::Kind::text, value};
    default: return {Value::Kind::text, value};
  }
}

// Finalizes a statement on every way out.
struct Finalizer {
  sqlite3_stmt* stmt = nullptr;
  ~Finalizer() { sqlite3_finalize(stmt); }
};

bool only_blank_or_comments(std::string_view sql) {
  for (size_t i = 0; i < sql.size();) {
    if (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == ';') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) return true;
    } else if (sql.substr(i, 2) == "/*") {
      i = sql.find("*/", i);
      if (i == std::string_view::npos) return true;
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

ReadOnlyDatabase::ReadOnlyDatabase(const std::string& path)
    : db_((std::filesystem::exists(path) ? path : throw DbError("database " + path + " does not exist")), true) {
  check_usable(db_, schema_version(db_));
  sqlite3* handle = db_.handle();
  db_.exec("PRAGMA query_only = 1");
  int enabled = 0;
  sqlite3_db_config(handle, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &enabled);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
  sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &enabled);
  sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_set_authorizer(handle, &ReadOnlyDatabase::authorize, this);
  // An interrupt that comes before the statement starts (sqlite3_interrupt would miss it) stops it too.
  sqlite3_progress_handler(handle, 1000, &ReadOnlyDatabase::check_interrupt, this);
}

int ReadOnlyDatabase::check_interrupt(void* self) { return static_cast<ReadOnlyDatabase*>(self)->interrupted_; }

int ReadOnlyDatabase::authorize(void* self, int action, const char* arg1, const char* arg2, const char*,
                                const char*) {
  auto& database = *static_cast<ReadOnlyDatabase*>(self);
  // The first denial stops the statement and names it.
  const auto deny = [&](std::string what) {
    if (database.refused_.empty()) database.refused_ = std::move(what);
    return SQLITE_DENY;
  };
  // CREATE and DROP are first asked for their row of the schema table.
  const bool row_change = action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE;
  if (row_change && std::string_view(arg1) == "sqlite_master") return deny("changing the schema (CREATE, DROP)");
  if (row_change && std::string_view(arg1) == "sqlite_temp_master")
    return deny("changing the temporary schema (CREATE TEMP, DROP TEMP)");
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (std::string_view(arg2) != "load_extension") return SQLITE_OK;
      return deny("load_extension");
    case SQLITE_PRAGMA: {
      const std::string_view pragma(arg1);
      if (kReportingPragmas.count(pragma) || (kSettingPragmas.count(pragma) && arg2 == nullptr)) return SQLITE_OK;
      return deny("PRAGMA " + std::string(pragma) + (arg2 ? " with a value" : ""));
    }
    default:
      return deny(action_name(action));
  }
}

ValueTable ReadOnlyDatabase::select(const std::string& sql) {
  sqlite3* handle = db_.handle();
  refused_.clear();
  Finalizer statement;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(handle, sql.c_str(), int(sql.size()), &statement.stmt, &tail);
  if (!refused_.empty()) throw SqlRefused("refused: " + refused_ + " is not allowed, the query shell only reads");
  if (rc != SQLITE_OK) throw DbError(std::string("sql: ") + sqlite3_errmsg(handle));
  if (!statement.stmt) throw DbError("sql: no statement");
  if (!only_blank_or_comments(tail))
    throw SqlRefused("refused: one statement at a time (nothing after the first ';' is run)");
  // VACUUM is not seen by the authorizer; any statement that would write is refused here.
  if (!sqlite3_stmt_readonly(statement.stmt))
    throw SqlRefused("refused: the statement would write, the query shell only reads");

  ValueTable table;
  const int columns = sqlite3_column_count(statement.stmt);
  for (int c = 0; c < columns; ++c) table.columns.emplace_back(sqlite3_column_name(statement.stmt, c));
  for (;;) {
    const int step = sqlite3_step(statement.stmt);
    if (step == SQLITE_DONE) break;
    if (step == SQLITE_INTERRUPT) {
      interrupted_ = false;
      throw SqlInterrupted("interrupted");
    }
    if (step != SQLITE_ROW) throw DbError(std::string("sql: ") + sqlite3_errmsg(handle));
    std::vector<Value>& row = table.rows.emplace_back();
    for (int c = 0; c < columns; ++c) row.push_back(cell(statement.stmt, c));
  }
  return table;
}

void ReadOnlyDatabase::interrupt() {
  interrupted_ = true;
  sqlite3_interrupt(db_.handle());
}

std::vector<std::string> ReadOnlyDatabase::tables() {
  std::vector<std::string> names;
  for (const auto& row : select("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").rows)
    names.push_back(row[0].text);
  return names;
}

// The pragma_table_info() function is refused: SQLite asks the authorizer to UPDATE sqlite_schema before it
// reads an eponymous virtual table, so the PRAGMA itself is used.
std::vector<std::string> ReadOnlyDatabase::table_columns(const std::string& table) {
  std::vector<std::string> names;
  const ValueTable info = select("PRAGMA table_info(\"" + table + "\")");
  for (const auto& row : info.rows) names.push_back(row[1].text);  // cid, name, type, ...
  return names;
}

std::vector<std::string> ReadOnlyDatabase::columns() {
  std::vector<std::string> names;
  for (const std::string& table : tables())
    for (const std::string& column : table_columns(table)) names.push_back(column);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> ReadOnlyDatabase::distinct(const std::string& table, const std::string& column) {
  // Named by our code, not the user's; still checked, since they are spliced into the SQL.
  const std::vector<std::string> known = tables();
  const bool known_table = std::find(known.begin(), known.end(), table) != known.end();
  const std::vector<std::string> columns = known_table ? table_columns(table) : std::vector<std::string>{};
  if (std::find(columns.begin(), columns.end(), column) == columns.end())
    throw DbError("database " + path() + " has no column " + table + "." + column);
  std::vector<std::string> values;
  for (const auto& row : select("SELECT DISTINCT \"" + column + "\" FROM \"" + table + "\" ORDER BY 1").rows)
    values.push_back(row[0].text);
  return values;
}

}  // namespace npufi::db
