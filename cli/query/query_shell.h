#pragma once
// Where the query shell's lines come from: a terminal, with line editing, history and completion
// (libedit), or a script (-c COMMAND, standard input), without a prompt.
#include <istream>
#include <string>

#include "cli/query/query_session.h"

namespace npufi::cli {

// Prompts until end of input (Ctrl-D) or `quit`. A failed command prints its one-line error and the
// prompt returns; Ctrl-C stops a running statement. History is read from and written to history_file
// (none when empty). Returns 0.
int run_interactive(QuerySession& session, const std::string& history_file);

// Runs each line of `in`; stops at the first failing command, with its exit code (1, or 2 for usage).
int run_script(QuerySession& session, std::istream& in);

}  // namespace npufi::cli
