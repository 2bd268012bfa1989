#include "cli/query/query_session.h"

#include <algorithm>

#include "cli/query/command_words.h"
#include "cli/query/query_commands.h"

namespace npufi::cli {

namespace {

// The arguments after the command at `end`: `sql` takes the rest of the line as it is, so that SQL's quotes
// stay.
std::vector<std::string> arguments(const std::string& line, const std::string& name, size_t end) {
  if (name != "sql") {
    std::vector<std::string> words = command_words(line);
    words.erase(words.begin());
    return words;
  }
  const size_t start = line.find_first_not_of(" \t", end);
  if (start == std::string::npos) return {};
  return {line.substr(start, line.find_last_not_of(" \t") + 1 - start)};
}

}  // namespace

QuerySession::QuerySession(const std::string& db_path, OutputMode mode) : context_(db_path) { context_.mode = mode; }

std::string QuerySession::run(const std::string& line) {
  const size_t begin = line.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos || line[begin] == '#') return "";
  const size_t end = std::min(line.find_first_of(" \t\r\n", begin), line.size());
  const std::string name = line.substr(begin, end - begin);
  const QueryCommand* command = find_query_command(name);
  if (!command) throw QueryError(2, "unknown command '" + name + "' (help lists the commands)");

  CLI::App app{command->help, command->name};
  app.set_help_flag();
  QueryRunner run;
  command->add(app, context_, run);
  std::vector<std::string> args = arguments(line, name, end);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    throw QueryError(2, std::string(command->name) + ": " + e.what() + " (usage: " + command->name + " " +
                            command->arguments + ")");
  }
  try {
    return render(run(), context_.mode);
  } catch (const QueryError&) {
    throw;
  } catch (const db::SqlInterrupted&) {
    throw;
  } catch (const std::exception& e) {
    throw QueryError(1, e.what());
  }
}

}  // namespace npufi::cli
