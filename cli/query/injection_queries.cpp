// An RTL campaign's injections, filtered, and one injection in full with the command that replays it.
#include <fnmatch.h>

#include <limits>
#include <map>

#include "cli/query/cells.h"
#include "cli/query/query_commands.h"
#include "cli/query/register_name.h"
#include "injector/fault_vocabulary.h"

namespace npufi::cli {

namespace {

// A half-open range "A:B" of a column, or one value "A".
struct Range {
  int64_t begin = std::numeric_limits<int64_t>::min();
  int64_t end = std::numeric_limits<int64_t>::max();
  bool contains(int64_t v) const { return v >= begin && v < end; }
};

Range parse_range(const std::string& option, const std::string& text) {
  const size_t colon = text.find(':');
  try {
    size_t used = 0;
    Range r;
    r.begin = std::stoll(text.substr(0, colon), &used);
    if (used != std::min(colon, text.size())) throw std::invalid_argument(text);
    r.end = colon == std::string::npos ? r.begin + 1 : std::stoll(text.substr(colon + 1), &used);
    if (colon != std::string::npos && used != text.size() - colon - 1) throw std::invalid_argument(text);
    if (r.end <= r.begin) throw std::invalid_argument(text);
    return r;
  } catch (const std::logic_error&) {
    throw QueryError(2, option + " '" + text + "' must be A:B (A included, B not, A < B) or one number");
  }
}

// Which layer ran at a cycle of an image's fault-free run (db::LayerCyclesRow).
class LayerClock {
 public:
  LayerClock(QueryContext& context, int64_t campaign) {
    for (const db::LayerCyclesRow& row : context.store.layer_cycles(campaign)) by_image_[row.image].push_back(row);
  }
  bool known() const { return !by_image_.empty(); }
  // -1 after the last layer (or for an image without rows).
  int layer_at(int image, int64_t cycle) const {
    const auto rows = by_image_.find(image);
    if (rows != by_image_.end())
      for (const db::LayerCyclesRow& row : rows->second)
        if (cycle >= row.begin && cycle < row.end) return row.layer;
    return -1;
  }

 private:
  std::map<int, std::vector<db::LayerCyclesRow>> by_image_;
};

struct InjectionsArgs {
  int64_t campaign = 0;
  std::string block = "*";
  std::string register_glob = "*";
  std::string bit, cycle, layer, diff_layer;
  std::string outcome;
  std::string model;
  int64_t limit = 100;
};

bool glob_matches(const std::string& glob, const std::string& name) { return fnmatch(glob.c_str(), name.c_str(), 0) == 0; }

std::vector<db::Value> injection_cells(const db::InjectionRow& r, const LayerClock& clock) {
  return {integer_cell(r.injection), integer_cell(r.image), text_cell(r.block), text_cell(r.site), text_cell(r.storage),
          integer_cell(r.bit), integer_cell(r.width), text_cell(r.model), integer_cell(r.cycle),
          clock.known() ? integer_cell(clock.layer_at(r.image, r.cycle)) : db::Value{}, text_cell(r.outcome),
          integer_cell(r.first_diff_layer), integer_cell(r.simulated_cycles), text_cell(r.ended_by)};
}

db::ValueTable injections(QueryContext& context, const InjectionsArgs& args) {
  rtl_campaign(context, args.campaign);
  if (!args.model.empty() && !parse_rtl_fault_model(args.model))
    throw QueryError(2, "--model '" + args.model + "' is not a fault model (seu, mbu, stuck_at_0, stuck_at_1)");
  const Range bit = args.bit.empty() ? Range{} : parse_range("--bit", args.bit);
  const Range cycle = args.cycle.empty() ? Range{} : parse_range("--cycle", args.cycle);
  const Range layer = args.layer.empty() ? Range{} : parse_range("--layer", args.layer);
  const Range diff_layer = args.diff_layer.empty() ? Range{} : parse_range("--diff-layer", args.diff_layer);
  const LayerClock clock(context, args.campaign);
  if (!args.layer.empty() && !clock.known())
    throw QueryError(1, "campaign " + std::to_string(args.campaign) +
                            " stores no layer cycles (a design, or run before schema 5); --layer cannot select");
  db::ValueTable table{{"injection", "image", "block", "site", "storage", "bit", "width", "model", "cycle", "layer",
                        "outcome", "first_diff_layer", "simulated_cycles", "ended_by"}, {}};
  for (const db::InjectionRow& r : context.store.injections(args.campaign)) {
    if (args.limit && int64_t(table.rows.size()) == args.limit) break;
    if (!glob_matches(args.block, r.block) || !glob_matches(args.register_glob, register_of(r.site))) continue;
    if (!bit.contains(r.bit) || !cycle.contains(r.cycle) || !diff_layer.contains(r.first_diff_layer)) continue;
    if (!args.layer.empty() && !layer.contains(clock.layer_at(r.image, r.cycle))) continue;
    if ((!args.outcome.empty() && r.outcome != args.outcome) || (!args.model.empty() && r.model != args.model)) continue;
    table.rows.push_back(injection_cells(r, clock));
  }
  return table;
}

// Quotes a word for a POSIX shell when it needs it.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@") ==
                           std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

db::ValueTable injection(QueryContext& context, int64_t campaign, int64_t index) {
  const db::CampaignRow c = rtl_campaign(context, campaign);
  const std::optional<db::InjectionRow> r = context.store.injection(campaign, index);
  if (!r)
    throw QueryError(1, "injection " + std::to_string(index) + " of campaign " + std::to_string(campaign) +
                            " is not stored (0 .. " + std::to_string(c.total_trials - 1) + ", if run)");
  const bool design = !c.design_top.empty();
  db::ValueTable table{{"field", "value"}, {}};
  const auto add = [&](const char* field, db::Value value) { table.rows.push_back({text_cell(field), std::move(value)}); };
  add("campaign", integer_cell(campaign));
  add("injection", integer_cell(r->injection));
  add(design ? "workload" : "image", integer_cell(r->image));
  add("block", text_cell(r->block));
  add("site", text_cell(r->site));
  add("storage", text_cell(r->storage));
  add("bit", integer_cell(r->bit));
  add("width", integer_cell(r->width));
  add("model", text_cell(r->model));
  add("cycle", integer_cell(r->cycle));
  if (!design) {
    const LayerClock clock(context, campaign);
    const int layer = clock.layer_at(r->image, r->cycle);
    add("layer at that cycle", !clock.known() ? text_cell("not stored (campaign run before schema 5)")
                               : layer < 0    ? text_cell("none (after the last layer)")
                                              : integer_cell(layer));
  }
  add("outcome", text_cell(r->outcome));
  if (!design)
    add("first differing layer", r->first_diff_layer < 0 ? text_cell("none") : integer_cell(r->first_diff_layer));
  add("simulated cycles", integer_cell(r->simulated_cycles));
  add("ended by", text_cell(r->ended_by));
  add("replay", text_cell("npufi replay --db " + shell_word(context.store.path()) + " --campaign " +
                          std::to_string(campaign) + " --injection " + std::to_string(index)));
  return table;
}

}  // namespace

void add_injections_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto args = std::make_shared<InjectionsArgs>();
  command.add_option("id", args->campaign, "RTL campaign id")->required();
  command.add_option("--block", args->block, "Block name or glob");
  command.add_option("--register", args->register_glob, "Register glob, e.g. 'controller.*'");
  command.add_option("--bit", args->bit, "Site numbers A:B (A included, B not) or one");
  command.add_option("--cycle", args->cycle, "Injection cycles A:B or one");
  command.add_option("--layer", args->layer, "Layers running at the injection cycle, A:B or one (-1: after the last)");
  command.add_option("--diff-layer", args->diff_layer, "First differing layers A:B or one (-1: none)");
  add_outcome_option(command, args->outcome);
  command.add_option("--model", args->model, "Fault model: seu, mbu, stuck_at_0, stuck_at_1");
  command.add_option("--limit", args->limit, "At most this many rows (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  run = [&context, args] { return injections(context, *args); };
}

void add_injection_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto campaign = std::make_shared<int64_t>();
  auto index = std::make_shared<int64_t>();
  command.add_option("id", *campaign, "RTL campaign id")->required();
  command.add_option("injection", *index, "Injection index")->required();
  run = [&context, campaign, index] { return injection(context, *campaign, *index); };
}

}  // namespace npufi::cli
