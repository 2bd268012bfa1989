// The sites or registers with the most injections of one outcome (sdc_critical by default), each with its
// rate and a Clopper-Pearson interval.
#include <algorithm>
#include <map>

#include "analysis/proportion_interval.h"
#include "cli/query/cells.h"
#include "cli/query/query_commands.h"
#include "cli/query/register_name.h"

namespace npufi::cli {

namespace {

struct TopArgs {
  int64_t campaign = 0;
  int64_t count = 10;
  std::string by = "register";
  std::string outcome = "sdc_critical";
  double confidence = 0.95;
};

struct Tally {
  std::string block;
  int64_t injections = 0;
  int64_t events = 0;
};

db::ValueTable top(QueryContext& context, const TopArgs& args) {
  rtl_campaign(context, args.campaign);
  std::map<std::string, Tally> units;
  for (const db::InjectionRow& r : context.store.injections(args.campaign)) {
    Tally& t = units[args.by == "site" ? r.site : register_of(r.site)];
    t.block = r.block;
    ++t.injections;
    t.events += r.outcome == args.outcome;
  }
  std::vector<std::pair<std::string, Tally>> ranked(units.begin(), units.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return x.second.events != y.second.events ? x.second.events > y.second.events
                                              : x.second.events * y.second.injections > y.second.events * x.second.injections;
  });
  db::ValueTable table{{args.by, "block", "injections", args.outcome, "fraction", "low", "high"}, {}};
  for (const auto& [name, t] : ranked) {
    if (int64_t(table.rows.size()) == args.count || t.events == 0) break;
    const Interval i = proportion_interval(uint64_t(t.events), uint64_t(t.injections), args.confidence);
    table.rows.push_back({text_cell(name), text_cell(t.block), integer_cell(t.injections), integer_cell(t.events),
                          real_cell(double(t.events) / double(t.injections), "%.4f"), real_cell(i.low, "%.4f"),
                          real_cell(i.high, "%.4f")});
  }
  return table;
}

}  // namespace

void add_top_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto args = std::make_shared<TopArgs>();
  command.add_option("id", args->campaign, "RTL campaign id")->required();
  command.add_option("-n", args->count, "How many")->check(CLI::PositiveNumber)->capture_default_str();
  command.add_option("--by", args->by, "site (one bit) or register (all bits of one state element)")
      ->check(CLI::IsMember({"site", "register"}))
      ->capture_default_str();
  add_outcome_option(command, args->outcome);
  add_confidence_option(command, args->confidence);
  run = [&context, args] { return top(context, *args); };
}

}  // namespace npufi::cli
