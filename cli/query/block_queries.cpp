// Per block: outcome fractions with intervals, AVF and FIT as `npufi analyze` computes them (analysis/fit.h
// on campaigns/rtl_results.h), and two campaigns side by side with the difference and its significance.
#include <map>
#include <tuple>

#include "analysis/fit.h"
#include "analysis/outcome_class.h"
#include "analysis/proportion_difference.h"
#include "analysis/technology.h"
#include "campaigns/rtl_campaign_set.h"
#include "campaigns/rtl_results.h"
#include "cli/query/cells.h"
#include "cli/query/query_commands.h"

namespace npufi::cli {

namespace {

struct BlocksArgs {
  std::vector<int64_t> campaigns;
  double confidence = 0.95;
  std::string tech = default_technology_path();
};

db::Value fraction_cell(uint64_t events, uint64_t trials) {
  return trials ? real_cell(double(events) / double(trials), "%.4f") : db::Value{};
}

db::ValueTable blocks(QueryContext& context, const BlocksArgs& args) {
  const RtlCampaignSet set = rtl_campaign_set(context.store, args.campaigns);
  FitOptions options;
  options.confidence = args.confidence;
  options.allow_unmeasured = true;  // a block no injection hit shows as unknown
  const FitTable fit = fit_table(block_outcomes(context.store, set.ids), load_technology(args.tech), options);
  db::ValueTable table{{"block", "storage", "faults", "bits", "injections"}, {}};
  for (const OutcomeClass outcome : kOutcomeClasses) table.columns.push_back(to_string(outcome));
  for (const char* column : {"critical_low", "critical_high", "fit_critical", "fit_critical_upper"})
    table.columns.push_back(column);
  for (const StratumFit& s : fit.strata) {
    std::vector<db::Value> row{text_cell(s.block), text_cell(to_string(s.storage)), text_cell(to_string(s.duration)),
                               integer_cell(int64_t(s.bits)), integer_cell(int64_t(s.injections))};
    for (const OutcomeClass outcome : kOutcomeClasses) row.push_back(fraction_cell(s[outcome].events, s.injections));
    const ClassFit& critical = s[OutcomeClass::sdc_critical];
    row.push_back(real_cell(critical.avf_interval.low, "%.4f"));
    row.push_back(real_cell(critical.avf_interval.high, "%.4f"));
    row.push_back(real_cell(critical.fit, "%.4g"));
    row.push_back(real_cell(critical.fit_upper, "%.4g"));
    table.rows.push_back(std::move(row));
  }
  return table;
}

struct CompareArgs {
  int64_t a = 0;
  int64_t b = 0;
  std::string outcome = "sdc_critical";
  double confidence = 0.95;
};

using StratumKey = std::tuple<std::string, StorageKind, FaultDuration>;

std::map<StratumKey, OutcomeCounts> counts_by_stratum(QueryContext& context, int64_t id) {
  rtl_campaign(context, id);
  std::map<StratumKey, OutcomeCounts> counts;
  for (const BlockOutcomes& b : block_outcomes(context.store, {id})) counts[{b.block, b.storage, b.duration}] = b.counts;
  return counts;
}

db::ValueTable compare(QueryContext& context, const CompareArgs& args) {
  const std::optional<OutcomeClass> outcome = parse_outcome(args.outcome);  // checked by the option
  const auto a = counts_by_stratum(context, args.a);
  const auto b = counts_by_stratum(context, args.b);
  const std::string ida = std::to_string(args.a), idb = std::to_string(args.b);
  db::ValueTable table{{"block", "storage", "faults", "injections_" + ida, args.outcome + "_" + ida,
                        "injections_" + idb, args.outcome + "_" + idb, "difference", "low", "high", "significant"},
                       {}};
  for (const auto& [key, counts_a] : a) {
    const auto other = b.find(key);
    if (other == b.end()) continue;
    const OutcomeCounts& counts_b = other->second;
    const auto& [block, storage, duration] = key;
    std::vector<db::Value> row{text_cell(block), text_cell(to_string(storage)), text_cell(to_string(duration)),
                               integer_cell(int64_t(counts_a.total())), fraction_cell(count_of(counts_a, *outcome), counts_a.total()),
                               integer_cell(int64_t(counts_b.total())), fraction_cell(count_of(counts_b, *outcome), counts_b.total())};
    if (counts_a.total() && counts_b.total()) {
      const ProportionDifference d = proportion_difference(count_of(counts_a, *outcome), counts_a.total(),
                                                           count_of(counts_b, *outcome), counts_b.total(), args.confidence);
      row.insert(row.end(), {real_cell(d.difference, "%+.4f"), real_cell(d.interval.low, "%+.4f"),
                             real_cell(d.interval.high, "%+.4f"), text_cell(d.significant ? "yes" : "no")});
    } else {
      row.insert(row.end(), {db::Value{}, db::Value{}, db::Value{}, text_cell("unknown")});
    }
    table.rows.push_back(std::move(row));
  }
  if (table.rows.empty())
    throw QueryError(1, "campaigns " + ida + " and " + idb + " share no block (they ran on different designs)");
  return table;
}

}  // namespace

void add_blocks_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto args = std::make_shared<BlocksArgs>();
  command.add_option("ids", args->campaigns, "RTL campaign ids, comma-separated (pooled as in analyze)")
      ->required()
      ->delimiter(',');
  add_confidence_option(command, args->confidence);
  command.add_option("--tech", args->tech, "Technology file: raw FIT per Mbit")->capture_default_str();
  run = [&context, args] { return blocks(context, *args); };
}

void add_compare_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto args = std::make_shared<CompareArgs>();
  command.add_option("a", args->a, "RTL campaign id (the baseline, e.g. unprotected)")->required();
  command.add_option("b", args->b, "RTL campaign id (e.g. protected or hardened)")->required();
  add_outcome_option(command, args->outcome);
  add_confidence_option(command, args->confidence);
  run = [&context, args] { return compare(context, *args); };
}

}  // namespace npufi::cli
