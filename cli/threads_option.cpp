#include "cli/commands.h"
#include "models/model.h"

namespace npufi::cli {

void add_threads_option(CLI::App& command, int& threads) {
  threads = default_thread_count();
  command.add_option("--threads", threads, "Compute threads (default: all cores)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
}

}  // namespace npufi::cli
