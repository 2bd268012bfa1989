// `sql SELECT ...`: the user's own question, run on the connection that can only read
// (db/read_only_database.h).
#include "cli/query/query_commands.h"

namespace npufi::cli {

void add_sql_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto statement = std::make_shared<std::string>();
  command.add_option("statement", *statement, "One SELECT (or reporting PRAGMA) statement")->required();
  run = [&context, statement] {
    try {
      return context.database.select(*statement);
    } catch (const db::SqlInterrupted&) {
      throw;
    } catch (const db::DbError& e) {
      throw QueryError(1, e.what());
    }
  };
}

}  // namespace npufi::cli
