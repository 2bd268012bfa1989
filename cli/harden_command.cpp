// npufi harden: clipped activations for a model (Ranger, FT-ClipAct, FitAct, ProAct), written as a new
// model file and, with --db, recorded with every setting and threshold.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "campaigns/ber_auc.h"
#include "campaigns/identity.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "db/store.h"
#include "models/dataset.h"
#include "models/hardening/optimizers.h"

namespace npufi::cli {

namespace {

struct HardenArgs {
  std::string model;
  std::string method;
  std::string granularity;  // empty: the method's default
  std::string out;
  std::string db;
  int train_images = 10000;
  int validation_images = 2000;
  int search_images = 500;
  std::vector<double> search_bers = {1e-5, 3e-5, 1e-4};
  int search_repetitions = 4;
  std::string search_format = "fp32";
  HardenSettings settings;
  int threads = 1;
};

std::string known_methods() { return "ranger, ftclipact, fitact, proact"; }

nlohmann::json settings_json(const HardenArgs& a) {
  const HardenSettings& s = a.settings;
  nlohmann::json j = {{"method", to_string(s.method)},
                      {"granularity", to_string(s.granularity)},
                      {"mode", to_string(clip_mode_of(s.method))},
                      {"seed", s.seed},
                      {"train_images", a.train_images},
                      {"validation_images", a.validation_images},
                      {"profile_images", s.profile_images},
                      {"k", s.k}};
  switch (s.method) {
    case HardenMethod::ranger:
      break;
    case HardenMethod::ftclipact:
      j.update({{"search_rounds", s.search_rounds},
                {"search_candidates", s.search_candidates},
                {"search_min_spread", s.search_min_spread},
                {"search_images", a.search_images},
                {"search_bers", a.search_bers},
                {"search_repetitions", a.search_repetitions},
                {"search_format", a.search_format}});
      break;
    case HardenMethod::fitact:
      j.update({{"batch_size", s.batch_size},
                {"learning_rate", s.learning_rate},
                {"epochs", s.fitact_epochs},
                {"alpha", s.fitact_alpha}});
      break;
    case HardenMethod::proact:
      j.update({{"batch_size", s.batch_size},
                {"learning_rate", s.learning_rate},
                {"steps_per_layer", s.proact_steps},
                {"beta", s.proact_beta},
                {"kd_weight", s.proact_kd_weight},
                {"temperature", s.proact_temperature},
                {"tolerance", s.proact_tolerance},
                {"retries", s.proact_retries},
                {"weaken", s.proact_weaken}});
      break;
  }
  return j;
}

int harden_model(HardenArgs args) {
  const auto method = parse_harden_method(args.method);
  if (!method) throw SpecError("--method: unknown method '" + args.method + "' (known: " + known_methods() + ")");
  args.settings.method = *method;
  args.settings.granularity = default_granularity(*method);
  if (!args.granularity.empty()) {
    const auto g = parse_granularity(args.granularity);
    if (!g) throw SpecError("--granularity: unknown granularity '" + args.granularity + "' (known: layer, neuron, hybrid)");
    args.settings.granularity = *g;
  }
  if (args.settings.method == HardenMethod::ftclipact && args.settings.granularity != Granularity::layer) {
    throw SpecError("--granularity: ftclipact searches one threshold per layer; it takes layer only");
  }
  const auto format = parse_number_format(args.search_format);
  if (!format) throw SpecError("--search-format: unknown format '" + args.search_format + "'");
  if (std::filesystem::weakly_canonical(args.out) == std::filesystem::weakly_canonical(args.model)) {
    throw SpecError("--out: " + args.out + " is the input model; write the hardened model to a new file");
  }

  set_compute_threads(args.threads);
  flush_subnormals_to_zero();  // as in campaigns; lambdas near 0 would otherwise crawl through subnormals
  Model model = Model::load(args.model);
  make_clippable(model);  // fails now, before any work, for a model with no ReLU to replace
  const ImageSet all = load_fashion_mnist(Split::train);
  if (args.train_images + args.validation_images > all.count) {
    throw SpecError("--train-images + --validation-images must be at most " + std::to_string(all.count));
  }
  if (args.settings.method == HardenMethod::ftclipact && args.search_images > args.validation_images) {
    throw SpecError("--search-images must be at most --validation-images (" + std::to_string(args.validation_images) + ")");
  }
  // Training images from the front of the training split, validation images from its end.
  const HardenData data{all.slice(0, args.train_images), all.slice(all.count - args.validation_images, all.count)};
  const ImageSet search_images = data.validation.slice(0, std::min(args.search_images, args.validation_images));
  ScoringCampaign campaign;
  campaign.bers = args.search_bers;
  campaign.repetitions = args.search_repetitions;
  campaign.seed = args.settings.seed;
  campaign.format = *format;
  campaign.threads = args.threads;
  const AucScorer scorer = [&](const Model& m) { return campaign_auc(m, search_images, campaign); };

  const HardenReport report = harden(model, args.settings, data, scorer, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });

  std::printf("%-16s %-13s %10s %12s %12s\n", "layer", "mode", "thresholds", "min", "max");
  for (const ClipLayer& l : report.layers) {
    float low = l.thresholds.empty() ? 0 : l.thresholds[0];
    float high = low;
    for (float t : l.thresholds) {
      low = std::min(low, t);
      high = std::max(high, t);
    }
    std::printf("%-16s %-13s %10lld %12.4f %12.4f\n", l.name.c_str(), to_string(l.mode).c_str(),
                static_cast<long long>(l.count()), double(low), double(high));
  }
  const int64_t count = threshold_count(report.layers);
  std::printf("%s: %lld thresholds (%lld bytes as fp32); validation accuracy %.4f unclipped, %.4f hardened; %.1f s\n",
              to_string(args.settings.method).c_str(), static_cast<long long>(count),
              static_cast<long long>(count * 4), report.validation_accuracy_before, report.validation_accuracy_after,
              report.seconds);

  model.save(args.out);
  if (args.db.empty()) {
    std::printf("wrote %s\n", args.out.c_str());
    return 0;
  }
  try {
    db::HardeningRow row;
    row.method = to_string(args.settings.method);
    row.arch = model.arch();
    row.source_path = args.model;
    row.source_hash = file_digest(args.model);
    row.model_path = args.out;
    row.model_hash = file_digest(args.out);
    row.settings = settings_json(args).dump();
    row.threshold_count = count;
    row.threshold_bytes = count * 4;
    row.validation_accuracy_before = report.validation_accuracy_before;
    row.validation_accuracy_after = report.validation_accuracy_after;
    row.seconds = report.seconds;
    row.tool_version = NPUFI_VERSION;
    for (const ClipLayer& l : report.layers) row.layers.push_back({l.name, to_string(l.mode), l.shape, l.k, l.thresholds});
    db::Store store = db::Store::open(args.db, db::Store::Mode::read_write);
    const int64_t id = store.insert_hardening(row);
    std::printf("wrote %s; hardening %lld stored in %s\n", args.out.c_str(), static_cast<long long>(id), args.db.c_str());
  } catch (...) {
    std::error_code ignored;  // no hardened model without its record
    std::filesystem::remove(args.out, ignored);
    throw;
  }
  return 0;
}

}  // namespace

void add_harden_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<HardenArgs>();
  HardenSettings& s = args->settings;
  CLI::App* command = app.add_subcommand(
      "harden", "Replace the ReLUs of a model by clipped activations (ranger, ftclipact, fitact, proact); see docs/hardening.md");
  command->add_option("--model", args->model, "Model file (npufi model or TorchScript)")->required();
  command->add_option("--method", args->method, "ranger, ftclipact, fitact or proact")->required();
  command->add_option("--out", args->out, "Write the hardened model here")->required();
  command->add_option("--db", args->db, "Record the thresholds and settings in this database");
  command->add_option("--granularity", args->granularity,
                      "layer, neuron or hybrid (default: ranger/ftclipact layer, fitact neuron, proact hybrid)");
  command->add_option("--seed", s.seed, "Batch order of fitact/proact, fault maps of ftclipact")->capture_default_str();
  command->add_option("--train-images", args->train_images, "Training images (front of the training split)")
      ->check(CLI::Range(1, 60000))->capture_default_str();
  command->add_option("--validation-images", args->validation_images, "Validation images (end of the training split)")
      ->check(CLI::Range(1, 60000))->capture_default_str();
  command->add_option("--profile-images", s.profile_images, "Training images whose maxima set (ranger) or start thresholds")
      ->capture_default_str();
  command->add_option("--k", s.k, "Steepness of the smooth mode")->capture_default_str();
  command->add_option("--search-rounds", s.search_rounds, "ftclipact: interval-search rounds per layer")->capture_default_str();
  command->add_option("--search-candidates", s.search_candidates, "ftclipact: candidates per round")->capture_default_str();
  command->add_option("--search-min-spread", s.search_min_spread, "ftclipact: stop a layer when a round's AUCs differ by less")
      ->capture_default_str();
  command->add_option("--search-images", args->search_images, "ftclipact: validation images of the scoring campaign")
      ->check(CLI::Range(1, 60000))->capture_default_str();
  command->add_option("--search-bers", args->search_bers, "ftclipact: BERs of the scoring campaign")
      ->delimiter(',')->check(CLI::Range(1e-12, 1.0))->capture_default_str();
  command->add_option("--search-repetitions", args->search_repetitions, "ftclipact: fault maps per BER of the scoring campaign")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  command->add_option("--search-format", args->search_format, "ftclipact: weight format of the scoring campaign")
      ->capture_default_str();
  command->add_option("--batch-size", s.batch_size, "fitact/proact: images per step")->capture_default_str();
  command->add_option("--learning-rate", s.learning_rate, "fitact/proact: Adam learning rate of the lambdas")->capture_default_str();
  command->add_option("--epochs", s.fitact_epochs, "fitact: passes over the training images")->capture_default_str();
  command->add_option("--alpha", s.fitact_alpha, "fitact: weight of mean(lambda^2)")->capture_default_str();
  command->add_option("--steps-per-layer", s.proact_steps, "proact: steps per layer and attempt")->capture_default_str();
  command->add_option("--beta", s.proact_beta, "proact: weight of mean(lambda^2) of the layer in training")->capture_default_str();
  command->add_option("--kd-weight", s.proact_kd_weight, "proact: weight of the distillation term")->capture_default_str();
  command->add_option("--temperature", s.proact_temperature, "proact: distillation temperature")->capture_default_str();
  command->add_option("--tolerance", s.proact_tolerance, "proact: accepted validation accuracy loss, in points")
      ->capture_default_str();
  command->add_option("--retries", s.proact_retries, "proact: extra attempts per layer")->capture_default_str();
  command->add_option("--weaken", s.proact_weaken, "proact: beta factor per retry")->capture_default_str();
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return harden_model(*args); }; });
}

}  // namespace npufi::cli
