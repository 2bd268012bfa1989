// npufi campaign run | list | status
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "campaigns/cluster/coordinator.h"
#include "campaigns/cluster/open_transport.h"
#include "campaigns/cluster/worker_rank.h"
#include "campaigns/engine.h"
#include "campaigns/rtl_results.h"
#include "cli/commands.h"
#include "db/store.h"
#include "report/campaign_table.h"

namespace npufi::cli {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
  stop_requested = true;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

struct RunArgs {
  std::string file;
  std::string model;
  int threads = 1;
  int cache_mib = 512;
  int64_t max_trials = -1;
  std::optional<double> target_margin;
  std::optional<double> confidence;
  std::string shard;
};

// Trials of a weight campaign, injections of an RTL campaign.
std::vector<int64_t> completed(db::Store& store, int64_t id) {
  return is_rtl_campaign(store, id) ? store.completed_injections(id) : store.completed_trials(id);
}

CampaignSpec run_spec(const RunArgs& args) {
  CampaignSpec spec = load_campaign_spec(args.file);
  if (!args.model.empty()) spec.model = args.model;
  if (args.target_margin || args.confidence) {
    if (!spec.rtl) throw SpecError("--target-margin and --confidence are for RTL campaigns (target = \"rtl\")");
    if (args.target_margin) spec.rtl->target_margin = *args.target_margin;
    if (args.confidence) spec.rtl->confidence = *args.confidence;
    if (!spec.rtl->target_margin) throw SpecError("--confidence needs --target-margin or 'target_margin'");
    if (!(*spec.rtl->target_margin > 0 && *spec.rtl->target_margin < 0.5) ||
        !(spec.rtl->confidence > 0 && spec.rtl->confidence < 1))
      throw SpecError("--target-margin must be in (0, 0.5) and --confidence in (0, 1)");
    if (!spec.rtl->listed_faults.empty()) throw SpecError("--target-margin does not apply to [[fault]] tables");
  }
  return spec;
}

EngineOptions engine_options(const RunArgs& args) {
  EngineOptions options;
  options.threads = args.threads;
  options.cache_budget_bytes = std::size_t(args.cache_mib) << 20;
  options.stop = &stop_requested;
  options.max_trials = args.max_trials;
  if (!args.shard.empty()) options.shard = parse_shard(args.shard);
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return options;
}

// A rank other than 0 of an MPI run: it computes what rank 0 hands out and prints nothing; rank 0 reports
// its errors.
int compute_for_rank_zero(const RunArgs& args, const SharedOptions& shared, Transport& cluster) {
  try {
    EngineOptions options = engine_options(args);
    options.cluster = &cluster;
    std::ostringstream notes;  // rank 0 writes the notes
    run_campaign(run_spec(args), shared.db, options, notes);
    return 0;
  } catch (const ReportedToRankZero&) {
    return 1;
  } catch (const std::exception& e) {
    leave_after_failure(cluster, e.what());
    return 1;
  }
}

int run_command(const RunArgs& args, const SharedOptions& shared) {
  const std::unique_ptr<Transport> cluster = open_cluster_transport();
  if (cluster && cluster->rank() != 0) return compute_for_rank_zero(args, shared, *cluster);
  std::optional<Coordinator> coordinator;
  if (cluster) coordinator.emplace(*cluster);
  const CampaignSpec spec = run_spec(args);
  EngineOptions options = engine_options(args);
  options.cluster = cluster.get();
  options.coordinator = coordinator ? &*coordinator : nullptr;

  const CampaignRun run = run_campaign(spec, shared.db, options, std::cerr);
  if (coordinator) {
    coordinator->finish();
    const std::vector<int64_t> results = coordinator->results_by_rank();
    std::string line;
    for (size_t r = 1; r < results.size(); ++r) line += ", rank " + std::to_string(r) + " " + std::to_string(results[r]);
    std::fprintf(stderr, "computed by the other ranks: %s\n", line.substr(2).c_str());
  }
  if (run.ran > 0) {
    std::fprintf(stderr, "ran %lld %s in %.1f s (%.2f/s)\n", (long long)run.ran, spec.rtl ? "injections" : "trials",
                 run.seconds,
                 run.seconds > 0 ? double(run.ran) / run.seconds : 0.0);
  }
  if (!run.stop_reason.empty()) std::fprintf(stderr, "stopped: %s\n", run.stop_reason.c_str());
  if (!run.complete()) {
    std::fprintf(stderr, "campaign %lld stopped at %lld of %lld trials; run the same command to resume\n",
                 (long long)run.campaign_id, (long long)(run.done_before + run.ran), (long long)run.total);
    return stop_requested || (coordinator && coordinator->rank_stopped()) ? 130 : 0;
  }
  db::Store store = db::Store::open(shared.db, db::Store::Mode::read_only);
  // A shard of fewer indices than shards may hold none.
  const std::string table = run.total ? campaign_table(store, run.campaign_id, TableFormat::text) : "";
  std::printf("campaign %lld (%s)%s: %lld %s\n%s", (long long)run.campaign_id, spec.name.c_str(),
              describe_slice(options).c_str(), (long long)run.total, spec.rtl ? "injections" : "trials", table.c_str());
  return 0;
}

int list_command(const SharedOptions& shared) {
  db::Store store = shared.open_store();
  std::printf("%4s  %-28s %-11s %15s  %-20s\n", "id", "name", "status", "trials", "updated (UTC)");
  for (const db::CampaignRow& c : store.campaigns()) {
    const auto done = int64_t(completed(store, c.id).size());
    std::printf("%4lld  %-28s %-11s %7lld/%-7lld  %-20s\n", (long long)c.id, c.name.c_str(), c.status.c_str(),
                (long long)done, (long long)c.total_trials, c.updated_at.c_str());
  }
  return 0;
}

int status_command(int64_t id, const SharedOptions& shared) {
  db::Store store = shared.open_store();
  const std::optional<db::CampaignRow> c = store.campaign(id);
  if (!c) throw std::runtime_error("campaign " + std::to_string(id) + " is not in " + shared.db);
  const auto done = int64_t(completed(store, id).size());
  std::printf("campaign %lld: %s\n  status      %s (%lld of %lld trials)\n  model       %s (digest %s)\n"
              "  data set    digest %s\n  seed        %llu\n  npufi       %s (%s)\n  created     %s\n  updated     %s\n",
              (long long)c->id, c->name.c_str(), c->status.c_str(), (long long)done, (long long)c->total_trials,
              c->model_path.c_str(), c->model_hash.c_str(), c->dataset_hash.c_str(), (unsigned long long)c->seed,
              c->tool_version.c_str(), c->git_revision.c_str(), c->created_at.c_str(), c->updated_at.c_str());
  if (c->shard_count > 1)
    std::printf("  shard       %d/%d (of %lld trials in all; npufi db merge joins the shards)\n", c->shard_index,
                c->shard_count, (long long)c->total_trials);
  if (!c->activation_layers.empty()) {
    std::string layers;
    for (const std::string& layer : c->activation_layers) layers += (layers.empty() ? "" : ", ") + layer;
    std::printf("  activations %s\n", layers.c_str());
  }
  for (const db::GoldenRow& g : store.golden(id)) {
    std::printf("  golden      %s accuracy %.4f (%d/%d)\n", g.format.c_str(), g.images ? double(g.correct) / g.images : 0.0,
                g.correct, g.images);
  }
  return 0;
}

}  // namespace

void add_campaign_command(CLI::App* campaign, SharedOptions& shared, Runner& run) {
  campaign->require_subcommand(1);

  auto args = std::make_shared<RunArgs>();
  CLI::App* run_cmd = campaign->add_subcommand(
      "run", "Run a campaign file; an interrupted campaign (Ctrl-C, kill) continues where it stopped");
  run_cmd->add_option("file", args->file, "Campaign file (TOML, see docs/campaign-file.md)")->required();
  add_database_option(*run_cmd, shared, DatabaseUse::write);
  run_cmd->add_option("--model", args->model, "Model file, overriding the campaign file's 'model'");
  run_cmd->add_option("--cache-mb", args->cache_mib, "Memory for cached golden activations (prefix reuse), MiB")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  run_cmd->add_option("--target-margin", args->target_margin,
                      "RTL: sequential sampling until every block's interval half-width is at most this");
  run_cmd->add_option("--confidence", args->confidence, "RTL: confidence of those intervals (default 0.95)");
  run_cmd->add_option("--max-trials", args->max_trials, "Stop after N trials of this run (resume later)")
      ->check(CLI::Range(int64_t(0), INT64_MAX));
  run_cmd->add_option("--shard", args->shard,
                      "Run only shard K/N (indices i with i % N == K-1) into a database of its own; "
                      "npufi db merge joins the shards (docs/cluster.md)");
  add_threads_option(*run_cmd, args->threads);
  run_cmd->callback([args, &shared, &run] { run = [args, &shared] { return run_command(*args, shared); }; });

  CLI::App* list_cmd = campaign->add_subcommand("list", "List the campaigns in a database");
  add_database_option(*list_cmd, shared, DatabaseUse::read);
  list_cmd->callback([&shared, &run] { run = [&shared] { return list_command(shared); }; });

  auto status_id = std::make_shared<int64_t>();
  CLI::App* status_cmd = campaign->add_subcommand("status", "Show one campaign's progress and provenance");
  status_cmd->add_option("id", *status_id, "Campaign id (see campaign list)")->required();
  add_database_option(*status_cmd, shared, DatabaseUse::read);
  status_cmd->callback([&shared, status_id, &run] {
    run = [&shared, status_id] { return status_command(*status_id, shared); };
  });
}

}  // namespace npufi::cli
