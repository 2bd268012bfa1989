// Benchmark: what one weight-fault trial costs against a clean evaluation of the same images, on one
// compute thread (as a campaign worker runs). Prints `name: value` lines and ratios from this run.
//
//   npufi_bench_trial_cost [--arch lenet5] [--model FILE] [--images 10000] [--repeats 5] [--batch 100]
//                          [--cache-mb 512]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/bench_args.h"
#include "campaigns/fault_planner.h"
#include "campaigns/trial_runner.h"
#include "models/dataset.h"
#include "models/model.h"

namespace {

using namespace npufi;

double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Trials of a one-BER fp32 campaign over `targets`, on the real campaign path (planner, runner, cache).
class TrialBench {
 public:
  TrialBench(const std::string& model_file, const std::string& targets, double ber, int repeats, int batch,
             const Model& model, const ImageSet& images, std::size_t cache)
      : spec_(parse_campaign_spec("model = \"" + model_file + "\"\nbatch_size = " + std::to_string(batch) +
                                      "\nformats = [\"fp32\"]\ntargets = [" + targets +
                                      "]\nber = [" + std::to_string(ber) + "]\nrepetitions = " + std::to_string(repeats) + "\n",
                                  "bench.toml")),
        model_copy_(model.clone()),
        planner_(spec_, model_copy_.parameters()),
        golden_(run_golden(spec_, model, images, cache)),
        runner_(model, golden_) {}

  // Runs trial r; returns its seconds.
  double time_trial(int r) {
    return seconds_of([&] { faulty_bits_ += double(runner_.run(r, spec_, planner_).fault_count); });
  }
  double faulty_bits() const { return faulty_bits_; }
  const Evaluator& evaluator() const { return golden_[0].evaluator; }

 private:
  CampaignSpec spec_;
  Model model_copy_;  // parameters() needs a mutable model; the planner only reads names and sizes
  FaultPlanner planner_;
  std::vector<FormatGolden> golden_;
  TrialRunner runner_;
  double faulty_bits_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const std::string arch = bench_arg(argc, argv, "--arch", "lenet5");
  const int image_count = std::stoi(bench_arg(argc, argv, "--images", "10000"));
  const int repeats = std::stoi(bench_arg(argc, argv, "--repeats", "5"));
  const int batch = std::stoi(bench_arg(argc, argv, "--batch", "100"));
  const std::size_t cache = std::size_t(std::stoi(bench_arg(argc, argv, "--cache-mb", "512"))) << 20;
  std::string model_file = bench_arg(argc, argv, "--model", "");
  const auto scratch = std::filesystem::temp_directory_path() / ("npufi_bench_" + std::to_string(getpid()) + ".pt");
  if (model_file.empty()) {
    Model::create(arch, 1).save(scratch.string());
    model_file = scratch.string();
  }

  set_compute_threads(1);  // as a campaign worker runs
  flush_subnormals_to_zero();
  Model model = Model::load(model_file);
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, image_count);
  const std::vector<Parameter> parameters = model.parameters();
  std::string last_stage;
  for (const Parameter& p : parameters) {
    if (p.stage == model.stage_count() - 1) last_stage += (last_stage.empty() ? "\"" : ", \"") + p.name + "\"";
  }

  const Evaluator evaluator(images, batch);
  TrialBench all(model_file, "\"*\"", 1e-5, repeats, batch, model, images, 0);
  TrialBench last(model_file, last_stage, 1e-3, repeats, batch, model, images, cache);
  TrialBench none(model_file, "\"*\"", 0.0, repeats, batch, model, images, 0);
  evaluator.run(model);  // warm-up
  // Interleaved, so that machine noise hits every kind alike.
  std::vector<double> clean, faulty, last_only, fault_free;
  for (int r = 0; r < repeats; ++r) {
    clean.push_back(seconds_of([&] { evaluator.run(model); }));
    faulty.push_back(all.time_trial(r));
    last_only.push_back(last.time_trial(r));
    fault_free.push_back(none.time_trial(r));
  }
  const double clean_s = median(clean), all_s = median(faulty), last_s = median(last_only), none_s = median(fault_free);

  std::printf("model: %s (%s), %d images in batches of %d, %d stages, 1 compute thread, median of %d\n",
              model_file.c_str(), arch.c_str(), image_count, batch, model.stage_count(), repeats);
  std::printf("clean_eval_s: %.4f\n", clean_s);
  std::printf("trial_all_layers_s: %.4f  (BER 1e-5 over all parameters, %.1f faulty bits on average)\n", all_s,
              all.faulty_bits() / repeats);
  std::printf("trial_over_clean: %.3f\n", all_s / clean_s);
  std::printf("trial_last_stage_cached_s: %.4f  (BER 1e-3 in %s, %.1f faulty bits on average)\n", last_s,
              last_stage.c_str(), last.faulty_bits() / repeats);
  std::printf("last_stage_over_clean: %.4f\n", last_s / clean_s);
  std::printf("prefix_cache_mib: %.1f  (budget %zu MiB, stage boundaries cached: %zu)\n",
              double(last.evaluator().cache_bytes()) / (1 << 20), cache >> 20, last.evaluator().cached_boundaries().size());
  std::printf("trial_no_faults_s: %.6f\n", none_s);
  std::printf("no_faults_over_clean: %.5f\n", none_s / clean_s);
  std::filesystem::remove(scratch);
  return 0;
}
