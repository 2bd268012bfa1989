// The campaigns of the database, and one campaign in full: what it ran, its digests and its counts.
#include <map>

#include "campaigns/rtl_results.h"
#include "cli/query/cells.h"
#include "cli/query/query_commands.h"
#include "injector/fault_vocabulary.h"

namespace npufi::cli {

namespace {

int64_t completed(QueryContext& context, const db::CampaignRow& c) {
  return int64_t(is_rtl_campaign(context.store, c.id) ? context.store.completed_injections(c.id).size()
                                                      : context.store.completed_trials(c.id).size());
}

// Injections per outcome class, in the vocabulary's order.
std::map<OutcomeClass, int64_t> outcome_totals(QueryContext& context, int64_t id) {
  std::map<OutcomeClass, int64_t> totals;
  for (const OutcomeClass outcome : kOutcomeClasses) totals[outcome] = 0;
  for (const db::OutcomeCountRow& row : context.store.outcome_counts(id))
    if (const auto outcome = parse_outcome(row.outcome)) totals[*outcome] += row.count;
  return totals;
}

// "rtl", "activations" or "weights".
std::string kind_of(QueryContext& context, const db::CampaignRow& c) {
  if (is_rtl_campaign(context.store, c.id)) return "rtl";
  return c.activation_layers.empty() ? "weights" : "activations";
}

db::ValueTable campaigns(QueryContext& context) {
  db::ValueTable table{{"id", "name", "kind", "network", "target", "protected", "status", "done", "total",
                        "sdc_critical"}, {}};
  for (const db::CampaignRow& c : context.store.campaigns()) {
    const bool rtl = is_rtl_campaign(context.store, c.id);
    const std::string network = rtl && !c.design_top.empty() ? c.design_top : c.model_path;
    table.rows.push_back({integer_cell(c.id), text_cell(c.name), text_cell(kind_of(context, c)),
                          text_cell(network), text_cell(rtl ? c.rtl_target : "-"),
                          text_cell(c.protection_digest.empty() ? "no" : "yes"), text_cell(c.status),
                          integer_cell(completed(context, c)), integer_cell(c.total_trials),
                          rtl ? integer_cell(outcome_totals(context, c.id)[OutcomeClass::sdc_critical])
                              : db::Value{}});
  }
  return table;
}

db::ValueTable campaign(QueryContext& context, int64_t id) {
  const db::CampaignRow c = existing_campaign(context, id);
  const bool rtl = is_rtl_campaign(context.store, id);
  db::ValueTable table{{"field", "value"}, {}};
  const auto add = [&](const std::string& field, db::Value value) {
    table.rows.push_back({text_cell(field), std::move(value)});
  };
  add("id", integer_cell(c.id));
  add("name", text_cell(c.name));
  add("kind", text_cell(kind_of(context, c)));
  add("status", text_cell(c.status));
  add(rtl ? "injections" : "trials", integer_cell(completed(context, c)));
  add("total", integer_cell(c.total_trials));
  add(rtl && !c.design_top.empty() ? "design" : "model", text_cell(c.model_path));
  add(rtl && !c.design_top.empty() ? "design digest" : "model digest", text_cell(c.model_hash));
  add(rtl && !c.design_top.empty() ? "workloads digest" : "data set digest", text_cell(c.dataset_hash));
  if (rtl) {
    add("target", text_cell(c.rtl_target));
    if (!c.design_top.empty()) add("design top", text_cell(c.design_top));
    add("protection digest", text_cell(c.protection_digest.empty() ? "none (unprotected)" : c.protection_digest));
  }
  if (!c.activation_layers.empty()) {
    std::string layers;
    for (const std::string& layer : c.activation_layers) layers += (layers.empty() ? "" : ", ") + layer;
    add("layers", text_cell(layers));
  }
  add("seed", text_cell(std::to_string(c.seed)));
  add("npufi", text_cell(c.tool_version + " (" + c.git_revision + ")"));
  add("created", text_cell(c.created_at));
  add("updated", text_cell(c.updated_at));
  for (const db::GoldenRow& g : context.store.golden(id))
    add("golden " + g.format, text_cell(std::to_string(g.correct) + " of " + std::to_string(g.images) + " correct"));
  if (rtl)
    for (const auto& [outcome, count] : outcome_totals(context, id)) add(to_string(outcome), integer_cell(count));
  add("spec", text_cell(c.spec.substr(0, c.spec.find_last_not_of('\n') + 1)));
  return table;
}

}  // namespace

db::CampaignRow existing_campaign(QueryContext& context, int64_t id) {
  const std::optional<db::CampaignRow> c = context.store.campaign(id);
  if (!c) throw QueryError(1, "campaign " + std::to_string(id) + " is not in " + context.store.path() + " (see campaigns)");
  return *c;
}

db::CampaignRow rtl_campaign(QueryContext& context, int64_t id) {
  db::CampaignRow c = existing_campaign(context, id);
  if (!is_rtl_campaign(context.store, id))
    throw QueryError(1, "campaign " + std::to_string(id) + " is a weight campaign, not an RTL campaign");
  return c;
}

db::CampaignRow weight_campaign(QueryContext& context, int64_t id) {
  db::CampaignRow c = existing_campaign(context, id);
  if (is_rtl_campaign(context.store, id))
    throw QueryError(1, "campaign " + std::to_string(id) + " is an RTL campaign, not a weight campaign");
  return c;
}

void add_campaigns_query(CLI::App&, QueryContext& context, QueryRunner& run) {
  run = [&context] { return campaigns(context); };
}

void add_campaign_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto id = std::make_shared<int64_t>();
  command.add_option("id", *id, "Campaign id")->required();
  run = [&context, id] { return campaign(context, *id); };
}

}  // namespace npufi::cli
