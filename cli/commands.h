#pragma once
// Each subcommand registers its options on the app and, when chosen, sets `run` to the work to do.
#include <functional>

#include <CLI/CLI.hpp>

namespace npufi::cli {

using Runner = std::function<int()>;

void add_train_command(CLI::App& app, Runner& run);
void add_eval_command(CLI::App& app, Runner& run);
void add_campaign_command(CLI::App& app, Runner& run);
void add_export_command(CLI::App& app, Runner& run);
void add_params_command(CLI::App& app, Runner& run);
void add_quantize_command(CLI::App& app, Runner& run);
void add_npu_command(CLI::App& app, Runner& run);
void add_harden_command(CLI::App& app, Runner& run);
void add_compare_command(CLI::App& app, Runner& run);

// --threads N, default all cores.
void add_threads_option(CLI::App& command, int& threads);

}  // namespace npufi::cli
