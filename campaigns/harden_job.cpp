#include "campaigns/harden_job.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "campaigns/ber_auc.h"
#include "campaigns/identity.h"
#include "injector/number_format.h"
#include "models/data_source.h"

namespace npufi {

HardenedModel run_harden_job(const HardenJob& job, const std::function<void(const std::string&)>& log) {
  set_compute_threads(job.threads);
  flush_subnormals_to_zero();  // as in campaigns; lambdas near 0 would otherwise crawl through subnormals
  Model model = Model::load(job.model);
  make_clippable(model);  // fails now, before any work, for a model with no ReLU to replace
  const ImageSet all = load_images(data_source_or_default(job.data), Split::train);
  model.check_fits(all);
  // Training images from the front of the training split, validation images from its end.
  const HardenData data{all.slice(0, job.train_images), all.slice(all.count - job.validation_images, all.count)};
  const ImageSet search_images = data.validation.slice(0, std::min(job.search_images, job.validation_images));
  ScoringCampaign campaign;
  campaign.bers = job.search_bers;
  campaign.repetitions = job.search_repetitions;
  campaign.seed = job.settings.seed;
  campaign.format = *parse_number_format(job.search_format);
  campaign.threads = job.threads;
  const AucScorer scorer = [&](const Model& m) { return campaign_auc(m, search_images, campaign); };

  HardenedModel hardened;
  hardened.report = harden(model, job.settings, data, scorer, log);
  model.save(job.out);

  const HardenReport& report = hardened.report;
  db::HardeningRow& row = hardened.row;
  row.method = to_string(job.settings.method);
  row.arch = model.arch();
  row.source_path = job.model;
  row.source_hash = file_digest(job.model);
  row.model_path = job.out;
  row.model_hash = file_digest(job.out);
  row.settings = harden_settings_json(job);
  row.threshold_count = threshold_count(report.layers);
  row.threshold_bytes = row.threshold_count * 4;
  row.validation_accuracy_before = report.validation_accuracy_before;
  row.validation_accuracy_after = report.validation_accuracy_after;
  row.seconds = report.seconds;
  row.tool_version = NPUFI_VERSION;
  for (const ClipLayer& l : report.layers) row.layers.push_back({l.name, to_string(l.mode), l.shape, l.k, l.thresholds});
  return hardened;
}

std::string hardening_summary(const HardenedModel& hardened) {
  std::string text;
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %-13s %10s %12s %12s\n", "layer", "mode", "thresholds", "min", "max");
  text += line;
  for (const ClipLayer& l : hardened.report.layers) {
    const auto [low, high] = std::minmax_element(l.thresholds.begin(), l.thresholds.end());
    std::snprintf(line, sizeof line, "%-16s %-13s %10lld %12.4f %12.4f\n", l.name.c_str(), to_string(l.mode).c_str(),
                  static_cast<long long>(l.count()), l.thresholds.empty() ? 0.0 : double(*low),
                  l.thresholds.empty() ? 0.0 : double(*high));
    text += line;
  }
  const db::HardeningRow& row = hardened.row;
  std::snprintf(line, sizeof line,
                "%s: %lld thresholds (%lld bytes as fp32); validation accuracy %.4f unclipped, %.4f hardened; %.1f s\n",
                row.method.c_str(), static_cast<long long>(row.threshold_count),
                static_cast<long long>(row.threshold_bytes), row.validation_accuracy_before,
                row.validation_accuracy_after, row.seconds);
  return text + line;
}

std::optional<db::HardeningRow> recorded_hardening(db::Store& store, const HardenJob& job) {
  if (!std::filesystem::exists(job.out)) return std::nullopt;
  const std::string settings = harden_settings_json(job);
  const std::string source = file_digest(job.model);
  const std::string out = file_digest(job.out);
  const std::vector<db::HardeningRow> rows = store.hardenings();
  const auto found = std::find_if(rows.rbegin(), rows.rend(), [&](const db::HardeningRow& r) {
    return r.settings == settings && r.source_hash == source && r.model_hash == out;
  });
  if (found == rows.rend()) return std::nullopt;
  return *found;
}

}  // namespace npufi
