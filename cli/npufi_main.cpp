// The npufi command line: the subcommands of the command table, exceptions turned into exit codes.
#include "cli/npufi_main.h"

#include <cstdio>
#include <exception>

#include "campaigns/spec.h"
#include "cli/command_table.h"
#include "models/model.h"

namespace npufi::cli {

namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "npufi: error: %s\n", message.c_str());
  return code;
}

}  // namespace

int run_npufi(int argc, char** argv) {
  CLI::App app{"npufi: fault injection and reliability analysis for neural-network accelerators.\n"
               "Exit codes: 0 success, 1 runtime error, 2 usage error, 130 interrupted."};
  app.require_subcommand(1);
  app.set_version_flag("--version", NPUFI_VERSION);
  Runner run;
  SharedOptions shared;
  for (const CommandEntry& entry : command_table()) {
    CLI::App* command = app.add_subcommand(entry.name, entry.help);
    add_database_option(*command, shared, entry.database);
    entry.add(command, shared, run);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(2, std::string(e.what()) + " (see --help)");
  }
  try {
    return run();
  } catch (const npufi::SpecError& e) {
    return fail(2, e.what());
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
}

}  // namespace npufi::cli
