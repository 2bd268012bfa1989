// Weight and activation campaigns: accuracy per BER (campaigns/results_table.h, as export prints it), and
// the faults of one trial.
#include <algorithm>

#include "campaigns/results_table.h"
#include "cli/query/cells.h"
#include "cli/query/query_commands.h"

namespace npufi::cli {

namespace {

db::Value optional_cell(const std::optional<Interval>& interval, double Interval::*end) {
  return interval ? real_cell((*interval).*end, "%.4f") : db::Value{};
}

db::ValueTable ber(QueryContext& context, int64_t id) {
  weight_campaign(context, id);
  const std::vector<db::TrialRow> trials = context.store.trials(id);
  if (trials.empty()) throw QueryError(1, "campaign " + std::to_string(id) + " has no trials yet");
  db::ValueTable table{{"format", "ber", "golden", "trials", "accuracy", "std", "min", "max", "low", "high",
                        "mismatches", "faulty_bits"}, {}};
  for (const BerRow& r : ber_table(trials, context.store.golden(id)))
    table.rows.push_back({text_cell(r.format), real_cell(r.ber, "%.3g"), real_cell(r.golden_accuracy, "%.4f"),
                          integer_cell(r.accuracy.count), real_cell(r.accuracy.mean, "%.4f"),
                          real_cell(r.accuracy.stddev, "%.4f"), real_cell(r.accuracy.min, "%.4f"),
                          real_cell(r.accuracy.max, "%.4f"), optional_cell(r.accuracy.mean_interval, &Interval::low),
                          optional_cell(r.accuracy.mean_interval, &Interval::high),
                          real_cell(r.mismatch_fraction, "%.4f"), real_cell(r.mean_faulty_bits, "%.1f")});
  return table;
}

db::ValueTable faults(QueryContext& context, int64_t id, int64_t trial) {
  weight_campaign(context, id);
  const std::vector<int64_t> stored = context.store.completed_trials(id);
  if (!std::binary_search(stored.begin(), stored.end(), trial))
    throw QueryError(1, "trial " + std::to_string(trial) + " of campaign " + std::to_string(id) + " is not stored");
  db::ValueTable table{{"tensor", "flat_index", "bit", "kind", "image"}, {}};
  for (const db::FaultRow& f : context.store.faults(id, trial))
    table.rows.push_back({text_cell(f.tensor), integer_cell(f.index), integer_cell(f.bit), text_cell(f.kind),
                          f.image ? integer_cell(*f.image) : db::Value{}});
  return table;
}

}  // namespace

void add_ber_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto id = std::make_shared<int64_t>();
  command.add_option("id", *id, "Weight campaign id")->required();
  run = [&context, id] { return ber(context, *id); };
}

void add_faults_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto id = std::make_shared<int64_t>();
  auto trial = std::make_shared<int64_t>();
  command.add_option("id", *id, "Weight campaign id")->required();
  command.add_option("trial", *trial, "Trial index")->required();
  run = [&context, id, trial] { return faults(context, *id, *trial); };
}

}  // namespace npufi::cli
