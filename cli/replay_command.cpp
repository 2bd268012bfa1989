// npufi replay: re-runs one stored injection of an RTL campaign, checks that it ends the same way, and can
// write a VCD waveform around the fault (viewable in GTKWave).
#include <cstdio>
#include <memory>
#include <string>

#include "campaigns/campaign_replay.h"
#include "campaigns/rtl_results.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

struct ReplayArgs {
  int64_t campaign = 0;  // 0: the database's only RTL campaign
  int64_t injection = 0;
  std::string vcd;
  uint64_t after = 2000;
  std::string model;
  int threads = 1;
};

int64_t rtl_campaign_id(db::Store& store, const ReplayArgs& args) {
  if (args.campaign != 0) {
    if (!store.campaign(args.campaign) || !is_rtl_campaign(store, args.campaign))
      throw SpecError("--campaign " + std::to_string(args.campaign) + " is not an RTL campaign in " + store.path());
    return args.campaign;
  }
  int64_t found = 0;
  for (const db::CampaignRow& c : store.campaigns()) {
    if (!is_rtl_campaign(store, c.id)) continue;
    if (found != 0) throw SpecError(store.path() + " holds several RTL campaigns; choose one with --campaign");
    found = c.id;
  }
  if (found == 0) throw SpecError(store.path() + " holds no RTL campaign");
  return found;
}

// `layers`: the run has network layers (the reference NPU), whose first differing one is shown.
void print_row(const char* label, const db::InjectionRow& r, bool layers) {
  const std::string layer = r.first_diff_layer < 0 ? "none" : std::to_string(r.first_diff_layer);
  std::printf("%-9s %s, %s%s after %lld RTL cycles\n", label, r.outcome.c_str(),
              layers ? ("first differing layer " + layer + ", ").c_str() : "", r.ended_by.c_str(),
              (long long)r.simulated_cycles);
}

int replay(const ReplayArgs& args, const SharedOptions& shared) {
  db::Store store = shared.open_store();
  const int64_t id = rtl_campaign_id(store, args);
  const db::CampaignRow campaign = *store.campaign(id);
  const std::optional<db::InjectionRow> stored = store.injection(id, args.injection);
  if (!stored)
    throw SpecError("--injection " + std::to_string(args.injection) + " is not stored for campaign " +
                    std::to_string(id) + " (0 .. " + std::to_string(campaign.total_trials - 1) + ", if run)");

  CampaignReplay replayer(campaign, args.model, args.threads);
  const bool design = replayer.is_design();
  RtlTargetRun result;
  const db::InjectionRow replayed = replayer.replay(*stored, args.vcd, args.after, result);

  std::printf("campaign %lld, injection %lld: %s of %u bit(s) at %s (%s, block %s), cycle %lld, %s %d\n",
              (long long)id, (long long)args.injection, replayed.model.c_str(), unsigned(replayed.width),
              replayed.site.c_str(), replayed.storage.c_str(), replayed.block.c_str(), (long long)replayed.cycle,
              design ? "workload" : "test image", replayed.image);
  print_row("stored:", *stored, !design);
  print_row("replayed:", replayed, !design);
  if (!args.vcd.empty())
    std::printf("waveform: %s, cycles %llu to %llu (time = 2 x cycle)\n", args.vcd.c_str(),
                (unsigned long long)result.start_cycle,
                (unsigned long long)std::min(result.start_cycle + result.simulated_cycles, replayed.cycle + args.after));
  if (replayed.outcome != stored->outcome || replayed.first_diff_layer != stored->first_diff_layer) {
    std::fprintf(stderr, "npufi: error: the replay does not reproduce the stored outcome\n");
    return 1;
  }
  return 0;
}

}  // namespace

void add_replay_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<ReplayArgs>();
  command->add_option("--injection", args->injection, "Injection index (see export or the injections table)")
      ->required();
  command->add_option("--campaign", args->campaign, "Campaign id (default: the database's only RTL campaign)");
  command->add_option("--vcd", args->vcd, "Write the waveform around the fault to this VCD file");
  command->add_option("--after", args->after, "Cycles after the fault to include in the waveform")
      ->capture_default_str();
  command->add_option("--model", args->model, "The model file, if it moved since the campaign ran");
  add_threads_option(*command, args->threads);
  command->callback([args, &shared, &run] { run = [args, &shared] { return replay(*args, shared); }; });
}

}  // namespace npufi::cli
