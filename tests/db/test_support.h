#pragma once
// Helpers for the db tests: a private temporary directory, file contents, and a raw SQLite connection.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace npufi::db::test {

// Turns a database of this build's schema back into what schema 7 wrote (without setting user_version).
inline constexpr const char* kUndoSchema8 = "ALTER TABLE injections DROP COLUMN baseline_outcome;";
// ... and back into what schema 5 wrote.
inline constexpr const char* kUndoSchema6 =
    "ALTER TABLE injections DROP COLUMN baseline_outcome; "
    "ALTER TABLE campaigns DROP COLUMN shard_index; ALTER TABLE campaigns DROP COLUMN shard_count; "
    "ALTER TABLE campaigns DROP COLUMN activation_layers; ALTER TABLE trials DROP COLUMN masked; "
    "ALTER TABLE trials DROP COLUMN sdc_benign; ALTER TABLE faults DROP COLUMN image;";

// A directory of its own for the running test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("npufi-db-" + std::to_string(getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A plain sqlite3 connection, as another program (or another npufi process) would hold it.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << sqlite3_errmsg(db_);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK)
      ADD_FAILURE() << sql << ": " << error;
    sqlite3_free(error);
  }

  // The first column of the first row of sql, as text.
  std::string value(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string result;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(stmt);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace npufi::db::test
