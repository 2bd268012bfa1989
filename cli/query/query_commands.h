#pragma once
// The query shell's commands, each registered once in one table: its name, arguments, help and example,
// and how it declares its options (CLI11, parsed from the words of one line) and computes its answer.
// `help`, completion and the session all read this table.
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/query/query_context.h"
#include "db/value_table.h"

namespace npufi::cli {

using QueryRunner = std::function<db::ValueTable()>;
using AddQuery = void (*)(CLI::App& command, QueryContext& context, QueryRunner& run);

struct QueryCommand {
  const char* name;
  const char* arguments;  // "ID [--by site|register] [-n N]"
  const char* help;
  const char* example;
  bool campaign_first;    // its first argument is a campaign id (completion offers them)
  AddQuery add;
};

const std::vector<QueryCommand>& query_commands();
const QueryCommand* find_query_command(const std::string& name);

// The commands, by family, one file each.
void add_campaigns_query(CLI::App& command, QueryContext& context, QueryRunner& run);   // campaign_queries.cpp
void add_campaign_query(CLI::App& command, QueryContext& context, QueryRunner& run);
void add_blocks_query(CLI::App& command, QueryContext& context, QueryRunner& run);      // block_queries.cpp
void add_compare_query(CLI::App& command, QueryContext& context, QueryRunner& run);
void add_top_query(CLI::App& command, QueryContext& context, QueryRunner& run);         // top_query.cpp
void add_injections_query(CLI::App& command, QueryContext& context, QueryRunner& run);  // injection_queries.cpp
void add_injection_query(CLI::App& command, QueryContext& context, QueryRunner& run);
void add_ber_query(CLI::App& command, QueryContext& context, QueryRunner& run);         // weight_queries.cpp
void add_faults_query(CLI::App& command, QueryContext& context, QueryRunner& run);
void add_sql_query(CLI::App& command, QueryContext& context, QueryRunner& run);         // sql_query.cpp

// Campaign checks the commands share: throw QueryError(1, ...) naming the campaign.
db::CampaignRow existing_campaign(QueryContext& context, int64_t id);
db::CampaignRow rtl_campaign(QueryContext& context, int64_t id);
db::CampaignRow weight_campaign(QueryContext& context, int64_t id);

// Shared options (query_options.cpp). --confidence C: default 0.95, in (0, 1).
void add_confidence_option(CLI::App& command, double& confidence);
// --outcome O: one of the outcome classes (injector/fault_vocabulary.h); keeps outcome's value as default.
void add_outcome_option(CLI::App& command, std::string& outcome);

}  // namespace npufi::cli
