#include "cli/commands.h"

namespace npufi::cli {

void add_data_option(CLI::App& command, std::string& data) {
  command.add_option("--data", data, "A data file naming your images, labels and preprocessing (docs/data.md); "
                                     "default: Fashion-MNIST of the Debian package")
      ->check(CLI::ExistingFile);
}

}  // namespace npufi::cli
