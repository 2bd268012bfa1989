// Benchmark: RTL fault injection into the Verilated NPU (npu64 by default) running a quantized LeNet-5,
// naive (every fault from reset to the end) against optimized (golden checkpoints, early stop when the
// state re-converges, the C++ reference for the layers after a finished faulty one, dead state masked).
// The same fixed list of sampled faults runs three ways: naive, optimized without the dead-state and
// stuck-at settling rules (their baseline) and optimized; every fault must get the same outcome and the same first
// differing layer in all three. Prints `name: value` lines and ratios from this run.
//
//   npufi_bench_rtl_injection --model FILE [--faults 10000] [--images 4] [--threads 2] [--config npu64]
//                             [--interval 64]   (golden checkpoint interval, cycles)
//                             [--sampling uniform|stratified]   (over all sites, or the same count per block)
//                             [--fault-model seu|stuck_at_0|stuck_at_1|...]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "bench/bench_args.h"
#include "injector/outcome.h"
#include "injector/rtl_fault_plan.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace {

using namespace npufi;

struct Result {
  OutcomeClass outcome;
  int first_diff_layer;
  uint64_t simulated_cycles;
  RunEnd end;
};

}  // namespace

int main(int argc, char** argv) {
  const std::string model_file = bench_arg(argc, argv, "--model", "");
  const int fault_count = std::stoi(bench_arg(argc, argv, "--faults", "10000"));
  const int image_count = std::stoi(bench_arg(argc, argv, "--images", "4"));
  const int threads = std::stoi(bench_arg(argc, argv, "--threads", "2"));
  const uint32_t interval = uint32_t(std::stoul(bench_arg(argc, argv, "--interval", "64")));
  const std::optional<NpuConfig> config = parse_npu_config(bench_arg(argc, argv, "--config", "npu64"));
  const std::string sampling = bench_arg(argc, argv, "--sampling", "uniform");
  const std::optional<RtlFaultModel> fault_model = parse_rtl_fault_model(bench_arg(argc, argv, "--fault-model", "seu"));
  if (model_file.empty() || !config || (sampling != "uniform" && sampling != "stratified") || !fault_model) {
    std::fprintf(stderr,
                 "usage: %s --model FILE [--faults 10000] [--images 4] [--threads 2] [--config npu64] [--interval 64] "
                 "[--sampling uniform|stratified] [--fault-model seu]\n",
                 argv[0]);
    return 2;
  }
  set_compute_threads(1);
  Model model = Model::load(model_file);
  const QuantizedNetwork network =
      quantize(model, load_fashion_mnist(Split::train).slice(0, kDefaultCalibrationImages));
  const MemoryImage image = compile_network(network, *config);
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, image_count);

  NpuFaultSimulator recorder(*config, network, image);
  std::vector<std::shared_ptr<const NpuGolden>> goldens;
  for (int i = 0; i < image_count; ++i) goldens.push_back(recorder.record_golden(quantized_image(network, images, i), interval));

  RtlPlanSettings settings;
  settings.seed = 2026;
  settings.images = image_count;
  settings.model = *fault_model;
  settings.sampling = sampling == "stratified" ? SiteSampling::stratified : SiteSampling::uniform;
  const RtlFaultPlanner planner(recorder.sites(), settings);
  std::vector<PlannedInjection> plan;
  for (int i = 0; i < fault_count; ++i) {
    const CycleWindow window{0, goldens[size_t(i % image_count)]->cycles()};
    plan.push_back(planner.plan(uint64_t(i), window));
  }

  const auto run_all = [&](InjectionMode mode, bool dead_state, std::vector<Result>& results) {
    results.assign(plan.size(), {});
    const auto start = std::chrono::steady_clock::now();
    run_strided(int(plan.size()), threads, [&](int worker, int workers) {
      NpuFaultSimulator sim(*config, network, image);
      sim.use_dead_state_and_settling(dead_state);
      for (size_t i = size_t(worker); i < plan.size(); i += size_t(workers)) {
        const NpuGolden& golden = *goldens[size_t(plan[i].image)];
        const RtlFaultRun run = sim.inject(golden, plan[i].fault, mode);
        results[i] = {classify(run, golden.output()), run.first_diff_layer, run.simulated_cycles, run.end};
      }
    });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  std::vector<Result> optimized, live, naive;
  const double optimized_s = run_all(InjectionMode::optimized, true, optimized);
  const double live_s = run_all(InjectionMode::optimized, false, live);
  const double naive_s = run_all(InjectionMode::naive, true, naive);

  const FaultSites& sites = recorder.sites();
  const auto block_of = [&](size_t i) { return sites.elements()[sites.locate(plan[i].fault.bit).element].block; };
  const auto differs = [](const Result& a, const Result& b) {
    return a.outcome != b.outcome || a.first_diff_layer != b.first_diff_layer;
  };
  int mismatches = 0, live_mismatches = 0;
  std::map<std::string, int> outcomes, ends, block_injections;
  std::map<std::string, uint64_t> end_cycles, block_cycles, block_live_cycles;
  uint64_t optimized_cycles = 0, live_cycles = 0, naive_cycles = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (differs(optimized[i], naive[i])) {
      ++mismatches;
      std::printf("mismatch: %s at cycle %llu (image %d): naive %s, layer %d; optimized %s, layer %d\n",
                  sites.name(plan[i].fault.bit).c_str(), static_cast<unsigned long long>(plan[i].fault.cycle),
                  plan[i].image, to_string(naive[i].outcome), naive[i].first_diff_layer,
                  to_string(optimized[i].outcome), optimized[i].first_diff_layer);
    }
    live_mismatches += differs(live[i], naive[i]);
    ++outcomes[to_string(naive[i].outcome)];
    ++ends[run_end_name(optimized[i].end)];
    end_cycles[run_end_name(optimized[i].end)] += optimized[i].simulated_cycles;
    ++block_injections[block_of(i)];
    block_cycles[block_of(i)] += optimized[i].simulated_cycles;
    block_live_cycles[block_of(i)] += live[i].simulated_cycles;
    optimized_cycles += optimized[i].simulated_cycles;
    live_cycles += live[i].simulated_cycles;
    naive_cycles += naive[i].simulated_cycles;
  }
  std::printf("config: %s, model: %s, %d %s faults (%s) over %llu sites, %d images, %d threads, golden %llu cycles\n",
              npu_config_name(*config).c_str(), model_file.c_str(), fault_count, rtl_fault_model_name(*fault_model).c_str(),
              sampling.c_str(), static_cast<unsigned long long>(sites.total_bits()), image_count, threads,
              static_cast<unsigned long long>(goldens[0]->cycles()));
  std::printf("golden_checkpoint_mib_per_image: %.1f (interval %u cycles)\n",
              double(goldens[0]->checkpoint_bytes()) / (1 << 20), interval);
  for (const auto& [name, count] : outcomes) std::printf("outcome_%s: %d\n", name.c_str(), count);
  for (const auto& [name, count] : ends)
    std::printf("optimized_ended_%s: %d (%.0f cycles each)\n", name.c_str(), count, double(end_cycles[name]) / count);
  for (const auto& [name, count] : block_injections)
    std::printf("cycles_per_injection_%s: %.0f optimized, %.0f without dead state and settling (%d injections)\n", name.c_str(),
                double(block_cycles[name]) / count, double(block_live_cycles[name]) / count, count);
  std::printf("mismatches: %d\n", mismatches);
  std::printf("mismatches_without_dead_state_and_settling: %d\n", live_mismatches);
  std::printf("naive_injections_per_s: %.2f\n", fault_count / naive_s);
  std::printf("optimized_without_dead_state_and_settling_injections_per_s: %.1f\n", fault_count / live_s);
  std::printf("optimized_injections_per_s: %.1f\n", fault_count / optimized_s);
  std::printf("naive_cycles_per_injection: %.0f\n", double(naive_cycles) / fault_count);
  std::printf("optimized_without_dead_state_and_settling_cycles_per_injection: %.0f\n", double(live_cycles) / fault_count);
  std::printf("optimized_cycles_per_injection: %.0f\n", double(optimized_cycles) / fault_count);
  std::printf("cycles_naive_over_optimized: %.1f (without dead state and settling %.1f)\n", double(naive_cycles) / double(optimized_cycles),
              double(naive_cycles) / double(live_cycles));
  std::printf("speedup_optimized_over_naive: %.1f (without dead state and settling %.1f)\n", naive_s / optimized_s, naive_s / live_s);
  return mismatches == 0 && live_mismatches == 0 ? 0 : 1;
}
