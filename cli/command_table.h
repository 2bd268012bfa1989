#pragma once
// npufi's subcommands, each listed once (in the spirit of ninja's tool table): its name, its help, and
// the database it needs. run_npufi makes each subcommand from its entry, adds the shared options the entry
// asks for (cli/shared_options.h), then lets the command's own file add the rest.
#include <vector>

#include "cli/commands.h"

namespace npufi::cli {

struct CommandEntry {
  const char* name;
  const char* help;
  DatabaseUse database;  // campaign declares its own per subcommand (run writes, list and status read)
  AddCommand add;
};

const std::vector<CommandEntry>& command_table();

}  // namespace npufi::cli
