#include "db/schema.h"

#include <array>

namespace npufi::db {
namespace {

// kMigrations[v] upgrades schema v to v + 1 and records the new version. A new schema version appends a
// step; released steps never change.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // v0 -> v1: campaigns, their golden results, trials and the faults of each trial.
    R"sql(
      CREATE TABLE campaigns (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL,
        key           TEXT    NOT NULL UNIQUE,
        spec          TEXT    NOT NULL,
        seed          INTEGER NOT NULL,  -- the uint64 seed, stored as its int64 bit pattern
        tool_version  TEXT    NOT NULL,
        git_revision  TEXT    NOT NULL,
        model_path    TEXT    NOT NULL,
        model_hash    TEXT    NOT NULL,
        dataset_hash  TEXT    NOT NULL,
        total_trials  INTEGER NOT NULL,
        status        TEXT    NOT NULL,
        created_at    TEXT    NOT NULL,  -- UTC, ISO 8601
        updated_at    TEXT    NOT NULL
      );

      CREATE TABLE golden (
        campaign  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        format    TEXT    NOT NULL,
        images    INTEGER NOT NULL,
        correct   INTEGER NOT NULL,
        UNIQUE (campaign, format)
      );

      CREATE TABLE trials (
        campaign     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        trial        INTEGER NOT NULL,
        format       TEXT    NOT NULL,
        ber          REAL    NOT NULL,
        repetition   INTEGER NOT NULL,
        fault_count  INTEGER NOT NULL,
        images       INTEGER NOT NULL,
        correct      INTEGER NOT NULL,
        mismatches   INTEGER NOT NULL,
        seconds      REAL    NOT NULL,
        PRIMARY KEY (campaign, trial)
      ) WITHOUT ROWID;

      -- The faults of a trial in the order they were applied, so the trial can be replayed exactly.
      CREATE TABLE faults (
        campaign    INTEGER NOT NULL,
        trial       INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        tensor      TEXT    NOT NULL,
        flat_index  INTEGER NOT NULL,
        bit         INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        PRIMARY KEY (campaign, trial, position),
        FOREIGN KEY (campaign, trial) REFERENCES trials(campaign, trial) ON DELETE CASCADE
      ) WITHOUT ROWID;

      PRAGMA user_version = 1;
    )sql",
    // v1 -> v2: RTL campaigns: every injection into the NPU and the population it was drawn from.
    R"sql(
      CREATE TABLE injections (
        campaign          INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        injection         INTEGER NOT NULL,
        image             INTEGER NOT NULL,
        block             TEXT    NOT NULL,
        site              TEXT    NOT NULL,
        storage           TEXT    NOT NULL,  -- flop | sram
        bit               INTEGER NOT NULL,  -- the site's number (npufi sites)
        width             INTEGER NOT NULL,  -- adjacent bits hit
        model             TEXT    NOT NULL,  -- seu | mbu | stuck_at_0 | stuck_at_1
        cycle             INTEGER NOT NULL,
        outcome           TEXT    NOT NULL,
        first_diff_layer  INTEGER NOT NULL,  -- -1 when no layer output differs
        simulated_cycles  INTEGER NOT NULL,
        ended_by          TEXT    NOT NULL,
        PRIMARY KEY (campaign, injection)
      ) WITHOUT ROWID;

      CREATE TABLE populations (
        campaign  INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        block     TEXT    NOT NULL,
        storage   TEXT    NOT NULL,
        bits      INTEGER NOT NULL,
        cycles    INTEGER NOT NULL,
        PRIMARY KEY (campaign, block, storage)
      ) WITHOUT ROWID;

      PRAGMA user_version = 2;
    )sql",
    // v2 -> v3: hardened models (npufi harden) and the thresholds of their activation layers.
    R"sql(
      CREATE TABLE hardenings (
        id               INTEGER PRIMARY KEY,
        method           TEXT    NOT NULL,
        arch             TEXT    NOT NULL,
        source_path      TEXT    NOT NULL,
        source_hash      TEXT    NOT NULL,
        model_path       TEXT    NOT NULL,
        model_hash       TEXT    NOT NULL,  -- equals campaigns.model_hash of campaigns on this model
        settings         TEXT    NOT NULL,  -- JSON: every hyper-parameter
        threshold_count  INTEGER NOT NULL,
        threshold_bytes  INTEGER NOT NULL,
        accuracy_before  REAL    NOT NULL,  -- validation accuracy, unclipped
        accuracy_after   REAL    NOT NULL,
        seconds          REAL    NOT NULL,
        tool_version     TEXT    NOT NULL,
        created_at       TEXT    NOT NULL
      );

      CREATE TABLE hardening_layers (
        hardening   INTEGER NOT NULL REFERENCES hardenings(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        layer       TEXT    NOT NULL,
        mode        TEXT    NOT NULL,
        shape       TEXT    NOT NULL,  -- e.g. "6x28x28"
        k           REAL    NOT NULL,
        thresholds  TEXT    NOT NULL,  -- space-separated, row-major, exact (%.9g)
        PRIMARY KEY (hardening, position)
      ) WITHOUT ROWID;

      CREATE INDEX hardenings_by_model ON hardenings(model_hash);

      PRAGMA user_version = 3;
    )sql",
    // v3 -> v4: what an RTL campaign ran on, in typed columns, so that results never re-read the spec.
    R"sql(
      ALTER TABLE campaigns ADD COLUMN rtl_target TEXT NOT NULL DEFAULT '';         -- "npu64", a design's name
      ALTER TABLE campaigns ADD COLUMN design_top TEXT NOT NULL DEFAULT '';         -- a design's top module
      ALTER TABLE campaigns ADD COLUMN workloads TEXT NOT NULL DEFAULT '';          -- a design's workload files
      ALTER TABLE campaigns ADD COLUMN protection_digest TEXT NOT NULL DEFAULT '';  -- of its protection plan

      -- RTL campaigns before v4 ran on the reference NPU, which their golden row names.
      UPDATE campaigns SET rtl_target = (SELECT format FROM golden WHERE golden.campaign = campaigns.id)
        WHERE id IN (SELECT campaign FROM populations);
      -- The digest of their plan is not known: a campaign that may have one is never pooled with another.
      UPDATE campaigns SET protection_digest = 'unknown plan of campaign ' || id
        WHERE id IN (SELECT campaign FROM populations) AND spec LIKE '%protection%';

      PRAGMA user_version = 4;
    )sql",
    // v4 -> v5: when each layer ran in the fault-free run of each image of an RTL campaign on the NPU, so
    // that an injection's cycle names the layer it hit (npufi query).
    R"sql(
      CREATE TABLE layer_cycles (
        campaign     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        image        INTEGER NOT NULL,
        layer        INTEGER NOT NULL,
        begin_cycle  INTEGER NOT NULL,
        end_cycle    INTEGER NOT NULL,  -- not included: the cycle of the layer's last output write
        PRIMARY KEY (campaign, image, layer)
      ) WITHOUT ROWID;

      PRAGMA user_version = 5;
    )sql",
    // v5 -> v6: activation campaigns: the layers they hit, each trial's outcome classes, a fault's image.
    R"sql(
      ALTER TABLE campaigns ADD COLUMN activation_layers TEXT NOT NULL DEFAULT '';  -- one layer per line
      ALTER TABLE trials ADD COLUMN masked INTEGER;      -- activation trials only; NULL for weight trials
      ALTER TABLE trials ADD COLUMN sdc_benign INTEGER;  -- activation trials only; sdc_critical = mismatches
      ALTER TABLE faults ADD COLUMN image INTEGER;       -- an activation bit flip's image; NULL: every image

      PRAGMA user_version = 6;
    )sql",
    // v6 -> v7: the slice of its campaign that a database holds (campaign run --shard K/N); 1/1 is all of it.
    R"sql(
      ALTER TABLE campaigns ADD COLUMN shard_index INTEGER NOT NULL DEFAULT 1;  -- K of K/N, 1-based
      ALTER TABLE campaigns ADD COLUMN shard_count INTEGER NOT NULL DEFAULT 1;  -- N of K/N

      PRAGMA user_version = 7;
    )sql",
    // v7 -> v8: an injection's outcome on the campaign's baseline design (docs/safety-rtl.md); '' when none.
    R"sql(
      ALTER TABLE injections ADD COLUMN baseline_outcome TEXT NOT NULL DEFAULT '';

      PRAGMA user_version = 8;
    )sql",
};

bool has_tables(Connection& db) {
  auto q = db.query("SELECT 1 FROM sqlite_schema LIMIT 1");
  return q.next();
}

}  // namespace

int schema_version(Connection& db) {
  auto q = db.query("PRAGMA user_version");
  q.next();
  return static_cast<int>(q.int64(0));
}

void check_usable(Connection& db, int version) {
  if (version > kSchemaVersion) {
    throw DbError(db.path() + " was written by a newer npufi (schema " + std::to_string(version) +
                  ", this build reads up to " + std::to_string(kSchemaVersion) + "); upgrade npufi");
  }
  if (version == 0 && has_tables(db)) {
    throw DbError(db.path() + " is not an npufi database (it holds other tables but no schema version)");
  }
}

void migrate(Connection& db) {
  WriteTransaction transaction(db);
  // Read again under the write lock: another process may have migrated since we looked.
  int version = schema_version(db);
  check_usable(db, version);
  for (; version < kSchemaVersion; ++version) db.exec(kMigrations[version]);
  transaction.commit();
}

}  // namespace npufi::db
