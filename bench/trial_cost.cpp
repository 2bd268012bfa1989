// Benchmark: what one weight-fault trial costs against a clean evaluation of the same images, on one
// compute thread (as a campaign worker runs). Prints `name: value` lines and ratios from this run.
//
//   npufi_bench_trial_cost [--arch lenet5] [--model FILE] [--images 10000] [--repeats 5] [--cache-mb 512]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "campaigns/fault_planner.h"
#include "campaigns/trial_runner.h"
#include "models/dataset.h"
#include "models/model.h"

namespace {

using namespace npufi;

double median_seconds(int repeats, const std::function<void(int)>& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work(r);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

struct TrialCost {
  double seconds = 0;      // median
  double mean_faults = 0;  // faulty bits per trial
  std::size_t cache_bytes = 0;
  std::size_t cached_boundaries = 0;
};

// Median time of `repeats` distinct trials of a one-BER fp32 campaign over `targets`.
TrialCost median_trial(const std::string& model_file, const std::string& targets, double ber, int repeats,
                       const Model& model, const ImageSet& images, std::size_t cache) {
  const std::string text = "model = \"" + model_file + "\"\nformats = [\"fp32\"]\ntargets = [" + targets +
                           "]\nber = [" + std::to_string(ber) + "]\nrepetitions = " + std::to_string(repeats) + "\n";
  const CampaignSpec spec = parse_campaign_spec(text, "bench.toml");
  Model copy = model.clone();
  const FaultPlanner planner(spec, copy.parameters());
  const std::vector<FormatGolden> golden = run_golden(spec, model, images, cache);
  TrialRunner runner(model, golden);
  TrialCost cost;
  cost.seconds = median_seconds(repeats, [&](int r) { cost.mean_faults += double(runner.run(r, spec, planner).fault_count); });
  cost.mean_faults /= repeats;
  cost.cache_bytes = golden[0].evaluator.cache_bytes();
  cost.cached_boundaries = golden[0].evaluator.cached_boundaries().size();
  return cost;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arch = arg(argc, argv, "--arch", "lenet5");
  const int image_count = std::stoi(arg(argc, argv, "--images", "10000"));
  const int repeats = std::stoi(arg(argc, argv, "--repeats", "5"));
  const std::size_t cache = std::size_t(std::stoi(arg(argc, argv, "--cache-mb", "512"))) << 20;
  std::string model_file = arg(argc, argv, "--model", "");
  const auto scratch = std::filesystem::temp_directory_path() / ("npufi_bench_" + std::to_string(getpid()) + ".pt");
  if (model_file.empty()) {
    Model::create(arch, 1).save(scratch.string());
    model_file = scratch.string();
  }

  set_compute_threads(1);
  Model model = Model::load(model_file);
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, image_count);
  const std::vector<Parameter> parameters = model.parameters();
  std::string last_stage;
  for (const Parameter& p : parameters) {
    if (p.stage == model.stage_count() - 1) last_stage += (last_stage.empty() ? "\"" : ", \"") + p.name + "\"";
  }

  const Evaluator evaluator(images);
  const double clean = median_seconds(repeats, [&](int) { evaluator.run(model); });
  const TrialCost all = median_trial(model_file, "\"*\"", 1e-5, repeats, model, images, 0);
  const TrialCost last = median_trial(model_file, last_stage, 1e-3, repeats, model, images, cache);
  const TrialCost none = median_trial(model_file, "\"*\"", 0.0, repeats, model, images, 0);

  std::printf("model: %s (%s), %d images, %d stages, 1 compute thread, median of %d\n", model_file.c_str(), arch.c_str(),
              image_count, model.stage_count(), repeats);
  std::printf("clean_eval_s: %.4f\n", clean);
  std::printf("trial_all_layers_s: %.4f  (BER 1e-5, %.1f faulty bits on average)\n", all.seconds, all.mean_faults);
  std::printf("trial_over_clean: %.3f\n", all.seconds / clean);
  std::printf("trial_last_stage_cached_s: %.4f  (BER 1e-3 in %s, %.1f faulty bits)\n", last.seconds, last_stage.c_str(),
              last.mean_faults);
  std::printf("last_stage_over_clean: %.3f\n", last.seconds / clean);
  std::printf("prefix_cache_mib: %.1f  (budget %zu MiB, boundaries cached: %zu)\n", double(last.cache_bytes) / (1 << 20),
              cache >> 20, last.cached_boundaries);
  std::printf("trial_no_faults_s: %.6f\n", none.seconds);
  std::printf("no_faults_over_clean: %.5f\n", none.seconds / clean);
  std::filesystem::remove(scratch);
  return 0;
}
