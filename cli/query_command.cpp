// npufi query: the read-only query shell over a results database (cli/query, docs/query.md).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/query/query_shell.h"

namespace npufi::cli {

namespace {

struct QueryArgs {
  std::string command;
  std::string mode = "table";
  std::string history;
};

std::string default_history_file() {
  const char* home = std::getenv("HOME");
  return home ? std::string(home) + "/.npufi_history" : std::string();
}

int query(const QueryArgs& args, const SharedOptions& shared) {
  const std::optional<OutputMode> mode = parse_output_mode(args.mode);
  QuerySession session(shared.db, *mode);
  try {
    if (!args.command.empty()) {
      std::istringstream line(args.command);
      return run_script(session, line);
    }
    if (isatty(STDIN_FILENO)) return run_interactive(session, args.history);
    return run_script(session, std::cin);
  } catch (const QueryError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "npufi: error: %s\n", e.what());
    return e.code;
  }
}

}  // namespace

void add_query_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<QueryArgs>();
  args->history = default_history_file();
  command->add_option("-c,--command", args->command, "Run this one command and exit, without a prompt");
  command->add_option("--mode", args->mode, "Output: table, csv or json")
      ->check([](const std::string& text) {
        return parse_output_mode(text) ? std::string() : "--mode '" + text + "' is not table, csv or json";
      })
      ->capture_default_str();
  command->add_option("--history", args->history, "History file of the interactive shell (empty: none)")
      ->capture_default_str();
  command->callback([args, &shared, &run] { run = [args, &shared] { return query(*args, shared); }; });
}

}  // namespace npufi::cli
