// npufi export: a campaign's results as text, CSV or JSON: the accuracy-vs-BER table of a weight campaign,
// the outcome fractions per BER of an activation campaign, the per-block outcome fractions of an RTL campaign.
#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "db/store.h"
#include "report/campaign_table.h"

namespace npufi::cli {

namespace {

struct ExportArgs {
  int64_t campaign = 0;
  std::string format = "table";
  std::string out;
};

int export_table(const ExportArgs& args, const SharedOptions& shared) {
  db::Store store = shared.open_store();
  const TableFormat format = args.format == "csv" ? TableFormat::csv : args.format == "json" ? TableFormat::json : TableFormat::text;
  const std::string text = campaign_table(store, args.campaign, format);
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
