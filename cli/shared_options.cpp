#include "cli/shared_options.h"

namespace npufi::cli {

db::Store SharedOptions::open_store() const {
  return db::Store::open(db, use == DatabaseUse::read ? db::Store::Mode::read_only : db::Store::Mode::read_write);
}

void add_database_option(CLI::App& command, SharedOptions& shared, DatabaseUse use) {
  if (use == DatabaseUse::none) return;
  const char* help = use == DatabaseUse::read    ? "SQLite database (read only)"
                     : use == DatabaseUse::write ? "SQLite database (created if missing)"
                                                 : "Also record the results in this SQLite database";
  CLI::Option* option = command.add_option("--db", shared.db, help);
  if (use != DatabaseUse::record) option->required();
  command.preparse_callback([&shared, use](std::size_t) { shared.use = use; });
}

}  // namespace npufi::cli
