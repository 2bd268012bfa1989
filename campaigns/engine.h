#pragma once
// Runs a campaign's trials on worker threads, storing results in batches so that an interrupted
// campaign resumes where it stopped. Every trial's result is a pure function of (spec, model, images,
// trial index): thread count and interruptions change nothing in the stored table.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "campaigns/shard.h"
#include "campaigns/spec.h"

namespace npufi {

class Coordinator;
class Transport;

struct EngineOptions {
  int threads = 1;                              // worker threads, one model copy per format each
  std::size_t cache_budget_bytes = 512u << 20;  // golden activations kept for prefix reuse
  const std::atomic<bool>* stop = nullptr;      // set (e.g. by SIGINT) to stop after the running trials
  int64_t max_trials = -1;                      // stop after this many trials in this run (-1: no limit)
  Shard shard;                                  // the slice of the campaign to run (--shard K/N)
  // One rank of several processes (docs/cluster.md): its transport, and on rank 0 the coordinator. Rank 0
  // runs the campaign as one process would, with the other ranks' workers added to its own; the other
  // ranks only compute, and their run_campaign() returns an empty CampaignRun once rank 0 ends the run.
  Transport* cluster = nullptr;
  Coordinator* coordinator = nullptr;
  bool computes_only() const;  // a rank other than 0
};

struct CampaignRun {
  int64_t campaign_id = 0;
  int64_t total = 0;        // of the whole campaign, or of its shard
  int64_t done_before = 0;  // trials already stored when this run started
  int64_t ran = 0;          // trials run and stored now
  double seconds = 0;       // wall time of the trial phase
  std::string stop_reason;  // sequential RTL campaigns: why the rounds ended
  bool complete() const { return done_before + ran == total; }
};

// Validates everything (spec against model and images) before the database is touched. `log` gets
// one-line notes on what happens (golden accuracy, resume, cache). A shard of a sequential campaign, or of
// one with [harden], is refused (SpecError), and so is a campaign with [harden] on several ranks.
CampaignRun run_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log);

// For the log: " shard 2/4", or nothing; " on 3 ranks with 2 worker thread(s) each".
std::string describe_slice(const EngineOptions& options);
std::string describe_workers(const EngineOptions& options);

}  // namespace npufi
