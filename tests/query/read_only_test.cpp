// The query shell cannot change the database: every kind of writing statement is refused with one line,
// and the file stays byte for byte what it was.
#include "db/read_only_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "cli/query/query_session.h"
#include "tests/query/query_fixture.h"

namespace npufi::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ReadOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_query_fixture(db_);
    before_ = db::test::read_bytes(db_);
  }

  db::test::TempDir dir_;
  std::string db_ = dir_.file("runs.db");
  std::string before_;
};

TEST_F(ReadOnlyTest, EveryWritingStatementIsRefusedAndTheFileIsUnchanged) {
  const std::string elsewhere = dir_.file("copy.db");
  const std::vector<std::string> statements = {
      "INSERT INTO campaigns (name) VALUES ('x')",
      "UPDATE campaigns SET status = 'running'",
      "DELETE FROM injections",
      "REPLACE INTO golden VALUES (1, 'x', 1, 1)",
      "CREATE TABLE t (x)",
      "CREATE INDEX i ON injections (outcome)",
      "CREATE VIEW v AS SELECT 1",
      "CREATE TRIGGER tr AFTER INSERT ON golden BEGIN SELECT 1; END",
      "CREATE TEMP TABLE t (x)",
      "CREATE TEMP VIEW v AS SELECT 1",
      "CREATE TEMPORARY TABLE t AS SELECT * FROM campaigns",
      "DROP TABLE campaigns",
      "DROP INDEX hardenings_by_model",
      "ALTER TABLE campaigns ADD COLUMN x",
      "ALTER TABLE campaigns RENAME TO c",
      "ATTACH DATABASE '" + elsewhere + "' AS other",
      "DETACH DATABASE main",
      "PRAGMA user_version = 9",
      "PRAGMA query_only = 0",
      "PRAGMA journal_mode = DELETE",
      "PRAGMA foreign_keys = OFF",
      "PRAGMA writable_schema = 1",
      "PRAGMA wal_checkpoint(TRUNCATE)",
      "PRAGMA optimize",
      "SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')",
      "VACUUM",
      "VACUUM INTO '" + elsewhere + "'",
      "REINDEX",
      "ANALYZE",
      "BEGIN IMMEDIATE",
      "SAVEPOINT s",
      "SELECT 1; DROP TABLE campaigns",
      "SELECT 1; SELECT 2",
      "WITH x AS (SELECT 1) DELETE FROM golden",
  };
  QuerySession session(db_, OutputMode::table);
  for (const std::string& statement : statements) {
    try {
      session.run("sql " + statement);
      ADD_FAILURE() << statement << " was run";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.code, 1) << statement;
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
      EXPECT_THAT(e.what(), StartsWith("refused: ")) << statement << ": " << e.what();
    }
  }
  // Reading still works, and nothing changed on disk; no other file was written.
  EXPECT_EQ(session.run("sql SELECT COUNT(*) AS n FROM campaigns"), "n\n3\n");
  EXPECT_EQ(session.run("sql PRAGMA user_version"), "user_version\n           " + std::to_string(db::kSchemaVersion) + "\n");
  EXPECT_THAT(session.run("sql PRAGMA table_info(golden)"), HasSubstr("campaign"));
  EXPECT_EQ(db::test::read_bytes(db_), before_);
  EXPECT_FALSE(std::filesystem::exists(elsewhere));
}

TEST_F(ReadOnlyTest, TheRefusalNamesWhatWasRefused) {
  db::ReadOnlyDatabase database(db_);
  const auto refusal = [&](const std::string& sql) {
    try {
      database.select(sql);
    } catch (const db::SqlRefused& e) {
      return std::string(e.what());
    }
    return std::string("not refused");
  };
  EXPECT_EQ(refusal("DROP TABLE campaigns"),
            "refused: changing the schema (CREATE, DROP) is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("CREATE TEMP TABLE t (x)"),
            "refused: changing the temporary schema (CREATE TEMP, DROP TEMP) is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("DELETE FROM golden"), "refused: DELETE is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("ALTER TABLE campaigns ADD COLUMN x"), "refused: ALTER TABLE is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("ATTACH DATABASE 'x.db' AS x"), "refused: ATTACH is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("VACUUM INTO 'x.db'"), "refused: the statement would write, the query shell only reads");
  EXPECT_EQ(refusal("PRAGMA query_only = 0"),
            "refused: PRAGMA query_only with a value is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("SELECT load_extension('x')"), "refused: load_extension is not allowed, the query shell only reads");
  EXPECT_EQ(refusal("SELECT 1; DROP TABLE campaigns"),
            "refused: one statement at a time (nothing after the first ';' is run)");
  EXPECT_EQ(refusal("SELECT 1; -- a comment"), "not refused");
  EXPECT_EQ(db::test::read_bytes(db_), before_);
}

TEST_F(ReadOnlyTest, InterruptStopsALongStatement) {
  db::ReadOnlyDatabase database(db_);
  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    database.interrupt();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(database.select("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                               "SELECT COUNT(*) FROM c"),
               db::SqlInterrupted);
  interrupter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // The connection answers again afterwards.
  EXPECT_EQ(database.select("SELECT 2").rows.at(0).at(0).text, "2");
  // An interrupt before a statement starts stops it; a cleared one does not.
  const std::string endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c";
  database.interrupt();
  EXPECT_THROW(database.select(endless), db::SqlInterrupted);
  database.interrupt();
  database.clear_interrupt();
  EXPECT_EQ(database.select("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) "
                            "SELECT COUNT(*) FROM c").rows.at(0).at(0).text, "100000");
}

TEST_F(ReadOnlyTest, MissingAndForeignFilesAreRefused) {
  EXPECT_THROW(db::ReadOnlyDatabase(dir_.file("none.db")), db::DbError);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("none.db")));
  std::ofstream(dir_.file("text.db")) << "not a database at all, just some text that is long enough";
  EXPECT_THROW(db::ReadOnlyDatabase(dir_.file("text.db")), db::DbError);
}

}  // namespace
}  // namespace npufi::cli
