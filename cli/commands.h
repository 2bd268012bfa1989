#pragma once
// Each subcommand adds its options to the subcommand the command table made for it and, when chosen,
// sets `run` to the work to do.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/shared_options.h"

namespace npufi::cli {

using Runner = std::function<int()>;
// Adds a subcommand's own options to `command`, which the command table (cli/command_table.h) made with
// the shared options its entry needs.
using AddCommand = void (*)(CLI::App* command, SharedOptions& shared, Runner& run);

void add_train_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_eval_command(CLI::App* command, SharedOptions& shared, Runner& run);
// Its subcommands declare their own database use: run writes, list and status read.
void add_campaign_command(CLI::App* campaign, SharedOptions& shared, Runner& run);
void add_export_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_params_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_quantize_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_npu_command(CLI::App* npu, SharedOptions& shared, Runner& run);
void add_sites_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_replay_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_analyze_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_plan_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_protect_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_harden_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_compare_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_design_command(CLI::App* design, SharedOptions& shared, Runner& run);
void add_query_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_db_command(CLI::App* command, SharedOptions& shared, Runner& run);
void add_report_command(CLI::App* command, SharedOptions& shared, Runner& run);

// --threads N, default all cores.
void add_threads_option(CLI::App& command, int& threads);
// --data FILE (models/data_source.h); empty when not given.
void add_data_option(CLI::App& command, std::string& data);
// --config npu32 | npu64 | npu128 | npu256 (the default is config's value).
CLI::Option* add_config_option(CLI::App& command, std::string& config);
// --campaign 1,2,3 (or --campaigns): RTL campaigns analysed together (campaigns/rtl_campaign_set.h).
void add_rtl_campaigns_option(CLI::App& command, std::vector<int64_t>& campaigns);

}  // namespace npufi::cli
