#include "cli/commands.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi::cli {

CLI::Option* add_config_option(CLI::App& command, std::string& config) {
  return command.add_option("--config", config, "NPU configuration: npu32, npu64, npu128 or npu256")
      ->check([](const std::string& name) {
        return parse_npu_config(name) ? "" : "must be npu32, npu64, npu128 or npu256, got " + name;
      })
      ->capture_default_str();
}

}  // namespace npufi::cli
