// npufi export: a campaign's results as text, CSV or JSON: the accuracy-vs-BER table of a weight campaign,
// the outcome fractions per BER of an activation campaign, the per-block outcome fractions of an RTL campaign.
#include <cstdio>
#include <fstream>
#include <memory>

#include "campaigns/results_table.h"
#include "campaigns/rtl_results.h"
#include "cli/ber_table_output.h"
#include "cli/block_table_output.h"
#include "cli/commands.h"
#include "cli/outcome_table_output.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

struct ExportArgs {
  int64_t campaign = 0;
  std::string format = "table";
  std::string out;
};

int export_table(const ExportArgs& args, const SharedOptions& shared) {
  db::Store store = shared.open_store();
  if (!store.campaign(args.campaign)) {
    throw std::runtime_error("campaign " + std::to_string(args.campaign) + " is not in " + shared.db);
  }
  std::string text;
  if (is_rtl_campaign(store, args.campaign)) {
    const std::vector<BlockOutcomes> blocks = block_outcomes(store, {args.campaign});
    if (blocks.empty()) throw std::runtime_error("campaign " + std::to_string(args.campaign) + " has no injections yet");
    text = args.format == "csv"    ? block_table_csv(blocks)
           : args.format == "json" ? block_table_json(blocks, args.campaign)
                                   : block_table_text(blocks);
  } else {
    const std::vector<db::TrialRow> trials = store.trials(args.campaign);
    if (trials.empty()) throw std::runtime_error("campaign " + std::to_string(args.campaign) + " has no trials yet");
    const std::vector<BerRow> rows = ber_table(trials, store.golden(args.campaign));
    if (rows.front().outcomes) {  // an activation campaign
      text = args.format == "csv"    ? outcome_table_csv(rows)
             : args.format == "json" ? outcome_table_json(rows, args.campaign)
                                     : outcome_table_text(rows);
    } else {
      text = args.format == "csv"    ? ber_table_csv(rows)
             : args.format == "json" ? ber_table_json(rows, args.campaign)
                                     : ber_table_text(rows);
    }
  }
  if (args.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  std::ofstream out(args.out);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + args.out);
  return 0;
}

}  // namespace

void add_export_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<ExportArgs>();
  command->add_option("--campaign", args->campaign, "Campaign id (see campaign list)")->required();
  command->add_option("--format", args->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  command->add_option("--out", args->out, "Write to this file instead of standard output");
  command->callback([args, &shared, &run] { run = [args, &shared] { return export_table(*args, shared); }; });
}

}  // namespace npufi::cli
