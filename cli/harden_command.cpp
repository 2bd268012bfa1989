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
  std::string db;
};

int harden_model(HardenArgs args) {
  HardenJob& job = args.job;
  if (const auto p = resolve_harden_job(job)) throw SpecError(harden_flag(p->key) + " " + p->problem);
  const HardenedModel hardened = run_harden_job(job, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  std::printf("%s", hardening_summary(hardened).c_str());
  if (args.db.empty()) {
    std::printf("wrote %s\n", job.out.c_str());
    return 0;
  }
  try {
    db::Store store = db::Store::open(args.db, db::Store::Mode::read_write);
    const int64_t id = store.insert_hardening(hardened.row);
    std::printf("wrote %s; hardening %lld stored in %s\n", job.out.c_str(), static_cast<long long>(id), args.db.c_str());
  } catch (...) {
    std::error_code ignored;  // no hardened model without its record
    std::filesystem::remove(job.out, ignored);
    throw;
  }
  return 0;
}

}  // namespace

void add_harden_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<HardenArgs>();
  HardenJob& job = args->job;
  CLI::App* command = app.add_subcommand(
      "harden", "Replace the ReLUs of a model by clipped activations (ranger, ftclipact, fitact, proact); see docs/hardening.md");
  command->add_option("--model", job.model, "Model file (npufi model or TorchScript)")->required();
  command->add_option("--out", job.out, "Write the hardened model here")->required();
  add_data_option(*command, job.data);
  command->add_option("--db", args->db, "Record the thresholds and settings in this database");
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
  command->callback([args, &run] { run = [args] { return harden_model(*args); }; });
}

}  // namespace npufi::cli
