// npufi harden: clipped activations for a model (Ranger, FT-ClipAct, FitAct, ProAct), written as a new
// model file and, with --db, recorded with every setting and threshold.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "campaigns/harden_job.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

struct HardenArgs {
  HardenJob job;
};

int harden_model(HardenArgs args, const SharedOptions& shared) {
  HardenJob& job = args.job;
  if (const auto p = resolve_harden_job(job)) throw SpecError(harden_flag(p->key) + " " + p->problem);
  const HardenedModel hardened = run_harden_job(job, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  std::printf("%s", hardening_summary(hardened).c_str());
  if (shared.db.empty()) {
    std::printf("wrote %s\n", job.out.c_str());
    return 0;
  }
  try {
    db::Store store = shared.open_store();
    const int64_t id = store.insert_hardening(hardened.row);
    std::printf("wrote %s; hardening %lld stored in %s\n", job.out.c_str(), static_cast<long long>(id), shared.db.c_str());
  } catch (...) {
    std::error_code ignored;  // no hardened model without its record
    std::filesystem::remove(job.out, ignored);
    throw;
  }
  return 0;
}

}  // namespace

void add_harden_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<HardenArgs>();
  HardenJob& job = args->job;
  command->add_option("--model", job.model, "Model file (npufi model or TorchScript)")->required();
  command->add_option("--out", job.out, "Write the hardened model here")->required();
  add_data_option(*command, job.data);
  for (const HardenKey& key : harden_keys()) {
    std::visit(
        [&](auto field) {
          CLI::Option* option = command->add_option(harden_flag(key.name), field(job), key.help)->capture_default_str();
          if constexpr (std::is_same_v<decltype(field), HardenField<std::vector<double>>>) option->delimiter(',');
        },
        key.field);
  }
  command->get_option("--method")->required();
  add_threads_option(*command, job.threads);
  command->callback([args, &shared, &run] { run = [args, &shared] { return harden_model(*args, shared); }; });
}

}  // namespace npufi::cli
