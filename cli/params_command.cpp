// npufi params: the parameter tensors of a model, the names that campaign `targets` globs match, and its
// stages, the layers of activation campaigns.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "models/model.h"

namespace npufi::cli {

namespace {

int list_parameters(const std::string& file) {
  Model model = Model::load(file);
  std::string stages;
  for (const std::string& name : model.stage_names()) stages += (stages.empty() ? "" : ", ") + name;
  std::printf("%s: %s, %d stages (%s)\n%-32s %-20s %10s %6s\n", file.c_str(), model.arch().c_str(), model.stage_count(),
              stages.c_str(), "parameter", "shape", "elements", "stage");
  int64_t total = 0;
  for (const Parameter& p : model.parameters()) {
    std::string shape;
    for (int64_t d : p.shape) {
      if (!shape.empty()) shape += 'x';
      shape += std::to_string(d);
    }
    std::printf("%-32s %-20s %10lld %6d\n", p.name.c_str(), shape.c_str(), (long long)p.numel, p.stage);
    total += p.numel;
  }
  std::printf("%-32s %-20s %10lld\n", "total", "", (long long)total);
  return 0;
}

}  // namespace

void add_params_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto file = std::make_shared<std::string>();
  command->add_option("--model", *file, "Model file (npufi model or TorchScript)")->required();
  command->callback([file, &run] { run = [file] { return list_parameters(*file); }; });
}

}  // namespace npufi::cli
