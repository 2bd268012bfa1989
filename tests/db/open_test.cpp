// Opening a database: creation, WAL, schema versions, foreign files, read-only mode and locks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "db/store.h"
#include "tests/db/test_support.h"

namespace npufi::db {
namespace {

using testing::HasSubstr;

// The DbError message of f(), or "" when it does not throw one.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const DbError& e) {
    return e.what();
  }
  return "";
}

CampaignRow campaign(const std::string& key) {
  CampaignRow c;
  c.name = "c";
  c.key = key;
  c.status = "running";
  return c;
}

std::vector<TrialRow> trials(std::vector<int64_t> indices) {
  std::vector<TrialRow> rows;
  for (int64_t i : indices)
    rows.push_back({.trial = i, .format = "fp32", .faults = {{"w", i, 3, "bit_flip"}}});
  return rows;
}

class OpenTest : public testing::Test {
 protected:
  test::TempDir dir;
  std::string path = dir.file("npufi.db");
};

TEST_F(OpenTest, CreatesSchemaInWalMode) {
  Store::open(path, Store::Mode::read_write);
  test::RawDb raw(path);
  EXPECT_EQ(raw.value("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.value("PRAGMA user_version"), std::to_string(kSchemaVersion));
  // campaigns, golden, trials, faults; injections, populations (v2); hardenings, hardening_layers (v3);
  // layer_cycles (v5)
  EXPECT_EQ(raw.value("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"), "9");
}

TEST_F(OpenTest, ReopenKeepsData) {
  int64_t id = 0;
  {
    Store store = Store::open(path, Store::Mode::read_write);
    id = store.create_campaign(campaign("k"), {{"fp32", 10, 9}});
    store.insert_trials(id, trials({0, 1}));
  }
  Store store = Store::open(path, Store::Mode::read_write);
  EXPECT_EQ(store.campaign(id)->key, "k");
  EXPECT_EQ(store.completed_trials(id), (std::vector<int64_t>{0, 1}));
}

TEST_F(OpenTest, NewerSchemaRefusedAndFileUnchanged) {
  Store::open(path, Store::Mode::read_write);
  test::RawDb(path).exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  const std::string before = test::read_bytes(path);

  const std::string expected = path + " was written by a newer npufi (schema " +
                               std::to_string(kSchemaVersion + 1) + ", this build reads up to " +
                               std::to_string(kSchemaVersion) + "); upgrade npufi";
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_write); }), expected);
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_only); }), expected);
  EXPECT_EQ(test::read_bytes(path), before);
}

TEST_F(OpenTest, NonSqliteFileRefusedAndUnchanged) {
  const std::string contents = "[campaign]\nname = \"not a database\"\n" + std::string(5000, 'x');
  test::write_bytes(path, contents);

  const std::string expected = path + " is not an SQLite database";
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_write); }), expected);
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_only); }), expected);
  EXPECT_EQ(test::read_bytes(path), contents);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_F(OpenTest, ForeignSqliteDatabaseRefusedAndUnchanged) {
  test::RawDb(path).exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
  const std::string before = test::read_bytes(path);
  EXPECT_THAT(error_of([&] { Store::open(path, Store::Mode::read_write); }),
              HasSubstr(path + " is not an npufi database"));
  EXPECT_EQ(test::read_bytes(path), before);
}

TEST_F(OpenTest, ReadOnlyMissingFileRefusedAndNotCreated) {
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_only); }),
            "database " + path + " does not exist");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(OpenTest, ReadOnlyEmptyDatabaseRefused) {
  test::write_bytes(path, "");
  EXPECT_THAT(error_of([&] { Store::open(path, Store::Mode::read_only); }),
              HasSubstr("database " + path + " has schema 0"));
}

TEST_F(OpenTest, ReadOnlyStoreCannotWrite) {
  int64_t id = 0;
  {
    Store writer = Store::open(path, Store::Mode::read_write);
    id = writer.create_campaign(campaign("k"), {});
  }
  Store reader = Store::open(path, Store::Mode::read_only);
  const std::string expected = "database " + path + " is open read-only";
  EXPECT_EQ(error_of([&] { reader.create_campaign(campaign("other"), {}); }), expected);
  EXPECT_EQ(error_of([&] { reader.set_status(id, "done"); }), expected);
  EXPECT_EQ(error_of([&] { reader.insert_trials(id, trials({0})); }), expected);
  EXPECT_EQ(reader.campaigns().size(), 1u);
  EXPECT_EQ(reader.campaign(id)->status, "running");
  EXPECT_TRUE(reader.completed_trials(id).empty());
}

// Each write below waits for the busy timeout before giving up.
TEST_F(OpenTest, WritesFailWhileAnotherWriterHoldsTheLock) {
  int64_t id = 0;
  {
    Store store = Store::open(path, Store::Mode::read_write);
    id = store.create_campaign(campaign("k"), {});
  }
  test::RawDb other(path);
  other.exec("BEGIN IMMEDIATE");

  // Opening a current database writes nothing, so it works, and so do reads.
  Store store = Store::open(path, Store::Mode::read_write);
  EXPECT_EQ(store.campaign(id)->key, "k");

  const std::string locked = "database " + path + " is locked by another writer";
  EXPECT_EQ(error_of([&] { store.insert_trials(id, trials({0, 1})); }), locked);
  EXPECT_EQ(error_of([&] { store.create_campaign(campaign("k2"), {}); }), locked);
  EXPECT_EQ(error_of([&] { store.set_status(id, "done"); }), locked);

  other.exec("COMMIT");
  EXPECT_TRUE(store.completed_trials(id).empty());
  store.insert_trials(id, trials({0, 1}));
  EXPECT_EQ(store.completed_trials(id), (std::vector<int64_t>{0, 1}));
}

TEST_F(OpenTest, CreatingFailsWhileAnotherWriterHoldsTheLock) {
  test::RawDb other(path);
  other.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_write); }),
            "database " + path + " is locked by another writer");
  other.exec("COMMIT");
  Store::open(path, Store::Mode::read_write);
}

TEST_F(OpenTest, MigratingFailsWhileAnotherWriterHoldsTheLock) {
  // An empty database already in WAL mode: only the schema creation needs the lock.
  test::RawDb other(path);
  EXPECT_EQ(other.value("PRAGMA journal_mode = WAL"), "wal");
  other.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(error_of([&] { Store::open(path, Store::Mode::read_write); }),
            "database " + path + " is locked by another writer");
  EXPECT_EQ(other.value("PRAGMA user_version"), "0");
  other.exec("COMMIT");
  Store::open(path, Store::Mode::read_write);
  EXPECT_EQ(other.value("PRAGMA user_version"), std::to_string(kSchemaVersion));
}

}  // namespace
}  // namespace npufi::db
