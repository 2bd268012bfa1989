#include "campaigns/ber_auc.h"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <thread>

#include "campaigns/fault_planner.h"
#include "campaigns/trial_runner.h"

namespace npufi {

double campaign_auc(const Model& model, const ImageSet& images, const ScoringCampaign& campaign) {
  CampaignSpec spec;
  spec.name = "ftclipact-score";
  spec.seed = campaign.seed;
  spec.formats = {campaign.format};
  spec.bers = campaign.bers;
  spec.repetitions = campaign.repetitions;
  Model probe = model.clone();
  const FaultPlanner planner(spec, probe.parameters());
  const std::vector<FormatGolden> golden = run_golden(spec, model, images, 64u << 20);

  const int64_t trials = spec.trial_count();
  std::vector<double> correct(spec.bers.size(), 0.0);
  std::vector<db::TrialRow> rows(static_cast<size_t>(trials));
  std::atomic<int64_t> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  for (int w = 0; w < std::max(1, campaign.threads); ++w) {
    workers.emplace_back([&] {
      try {
        set_compute_threads(1);
        flush_subnormals_to_zero();
        TrialRunner runner(model, golden);
        for (int64_t t; !failed && (t = next.fetch_add(1)) < trials;) rows[size_t(t)] = runner.run(t, spec, planner);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    });
  }
  for (std::thread& w : workers) w.join();
  if (error) std::rethrow_exception(error);
  for (int64_t t = 0; t < trials; ++t) correct[size_t(planner.key(t).ber)] += rows[size_t(t)].accuracy();
  for (double& c : correct) c /= spec.repetitions;
  return ber_auc(spec.bers, correct);
}

}  // namespace npufi
