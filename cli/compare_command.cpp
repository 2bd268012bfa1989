// npufi compare: campaigns side by side, one row per model, hardening method and format: accuracy at
// each BER with its 95% interval, the AUC of accuracy vs BER, the clean accuracy, and the thresholds.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "campaigns/ber_auc.h"
#include "campaigns/results_table.h"
#include "cli/commands.h"
#include "db/store.h"

namespace npufi::cli {

namespace {

struct CompareArgs {
  std::vector<int64_t> campaigns;
};

struct Row {
  int64_t campaign = 0;
  std::string model;
  std::string method;
  int64_t thresholds = 0;
  int64_t bytes = 0;
  std::string status;
  std::vector<BerRow> rows;  // one format
};

std::string cell(const BerRow& r) {
  char text[64];
  const double half = r.accuracy.mean_interval ? (r.accuracy.mean_interval->high - r.accuracy.mean_interval->low) / 2 : 0;
  std::snprintf(text, sizeof text, "%.4f±%.4f", r.accuracy.mean, half);
  return text;
}

std::string ber_text(double ber) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0e", ber);
  return text;
}

int compare(const CompareArgs& args, const SharedOptions& shared) {
  db::Store store = shared.open_store();
  const std::vector<db::HardeningRow> hardenings = store.hardenings();
  std::vector<Row> table;
  std::vector<double> bers;
  for (int64_t id : args.campaigns) {
    const std::optional<db::CampaignRow> c = store.campaign(id);
    if (!c) throw std::runtime_error("campaign " + std::to_string(id) + " is not in " + shared.db);
    const std::vector<db::TrialRow> trials = store.trials(id);
    if (trials.empty()) throw std::runtime_error("campaign " + std::to_string(id) + " has no trials yet");
    Row base;
    base.campaign = id;
    base.status = c->status == "done" ? "" : " (" + c->status + ", " + std::to_string(trials.size()) + "/" +
                                                 std::to_string(c->total_trials) + " trials)";
    // The method comes from the hardening that wrote the campaign's model file; a model that some
    // hardening read is the unprotected original.
    const auto hardened = std::find_if(hardenings.begin(), hardenings.end(),
                                       [&](const db::HardeningRow& h) { return h.model_hash == c->model_hash; });
    const auto original = std::find_if(hardenings.begin(), hardenings.end(),
                                       [&](const db::HardeningRow& h) { return h.source_hash == c->model_hash; });
    if (hardened != hardenings.end()) {
      base.model = hardened->arch;
      base.method = hardened->method;
      base.thresholds = hardened->threshold_count;
      base.bytes = hardened->threshold_bytes;
    } else {
      base.model = original != hardenings.end() ? original->arch : c->model_path;
      base.method = "none";
    }
    std::map<std::string, Row> by_format;
    for (const BerRow& r : ber_table(trials, store.golden(id))) {
      if (r.ber > 0) bers.push_back(r.ber);
      auto [it, fresh] = by_format.try_emplace(r.format, base);
      it->second.rows.push_back(r);
    }
    for (auto& [format, row] : by_format) table.push_back(std::move(row));
  }
  std::sort(bers.begin(), bers.end());
  bers.erase(std::unique(bers.begin(), bers.end()), bers.end());

  std::printf("%-9s %-10s %-6s %9s", "model", "method", "format", "clean");
  for (double b : bers) std::printf(" %15s", ber_text(b).c_str());
  std::printf(" %7s %10s %10s %9s\n", "AUC", "thresholds", "bytes", "campaign");
  for (const Row& row : table) {
    std::printf("%-9s %-10s %-6s %9.4f", row.model.c_str(), row.method.c_str(), row.rows[0].format.c_str(),
                row.rows[0].golden_accuracy);
    std::vector<double> x;
    std::vector<double> y;
    for (double b : bers) {
      const auto r = std::find_if(row.rows.begin(), row.rows.end(), [&](const BerRow& r) { return r.ber == b; });
      if (r == row.rows.end()) {
        std::printf(" %15s", "-");
        continue;
      }
      std::printf(" %15s", cell(*r).c_str());
      x.push_back(b);
      y.push_back(r->accuracy.mean);
    }
    const std::string auc = x.empty() ? "-" : [&] {
      char text[16];
      std::snprintf(text, sizeof text, "%.4f", ber_auc(x, y));
      return std::string(text);
    }();
    std::printf(" %7s %10lld %10lld %9lld%s\n", auc.c_str(), static_cast<long long>(row.thresholds),
                static_cast<long long>(row.bytes), static_cast<long long>(row.campaign), row.status.c_str());
  }
  std::printf("accuracy at each BER: mean over the fault maps ± half the 95%% interval; AUC: mean accuracy over "
              "log10(BER) (trapezoids) between the smallest and largest BER of the row\n");
  return 0;
}

}  // namespace

void add_compare_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<CompareArgs>();
  command->add_option("--campaigns", args->campaigns, "Campaign ids, comma-separated (see campaign list)")
      ->required()
      ->delimiter(',');
  command->callback([args, &shared, &run] { run = [args, &shared] { return compare(*args, shared); }; });
}

}  // namespace npufi::cli
