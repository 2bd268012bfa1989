#pragma once
// Runs an external program (Verilator, the C++ compiler) and collects what it printed.
#include <string>
#include <vector>

namespace npufi {

struct CommandResult {
  int exit_code = 0;   // 127 when the program could not be started
  std::string output;  // stdout and stderr, interleaved
};

// Runs argv[0] (looked up in PATH) with the arguments, in the C locale.
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace npufi
