#pragma once
// The query shell without a terminal: one line in, its answer out as text. The interactive shell, `-c`
// and commands on standard input all run their lines through one session, so they print the same.
#include <string>

#include "cli/query/query_context.h"

namespace npufi::cli {

class QuerySession {
 public:
  // Throws db::DbError when the database cannot be opened for reading.
  QuerySession(const std::string& db_path, OutputMode mode);

  // The answer to one line, rendered in the current mode; "" for a blank line or a # comment. Throws
  // QueryError (a one-line message and its exit code), or db::SqlInterrupted after interrupt().
  std::string run(const std::string& line);

  QueryContext& context() { return context_; }

 private:
  QueryContext context_;
};

}  // namespace npufi::cli
