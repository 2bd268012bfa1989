#pragma once
// The schema version (PRAGMA user_version) and the migrations that bring a database up to kSchemaVersion.
#include "db/sqlite.h"

namespace npufi::db {

// The stored schema version; 0 for a new database. Being the first read of the file, it is also what
// refuses a file that is not SQLite, before anything is written.
int schema_version(Connection& db);

// Throws unless this build can use (after migrating) a database of the given schema version: refuses a
// newer schema, and a version-0 database that already holds someone else's tables.
void check_usable(Connection& db, int version);

// Brings the schema to kSchemaVersion in one write transaction.
void migrate(Connection& db);

}  // namespace npufi::db
