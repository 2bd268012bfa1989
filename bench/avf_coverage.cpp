// Validation of the sampling statistics against the truth (docs/statistics.md, "Exhaustive check"):
// inject an SEU into every bit of one block at every cycle of one layer (the exhaustive population), which
// gives the block's true AVF (the fraction of faults that are not masked). Then run independent sampled
// campaigns with different seeds, and count how many of their 95% intervals contain the true AVF
// (expected: about 95 of 100; the requirement: at least 90). Each sampled fault is simulated again and
// must agree with the exhaustive run.
//
//   npufi_bench_avf_coverage --model FILE [--config npu32] [--block output_unit] [--layer L]
//                            [--campaigns 100] [--samples 1000] [--threads 2]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/bench_args.h"
#include "analysis/proportion_interval.h"
#include "injector/outcome.h"
#include "injector/rtl_fault_plan.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/npu_fault_simulator.h"

using namespace npufi;

int main(int argc, char** argv) {
  const std::string model_file = bench_arg(argc, argv, "--model", "");
  const std::optional<NpuConfig> config = parse_npu_config(bench_arg(argc, argv, "--config", "npu32"));
  const std::string block = bench_arg(argc, argv, "--block", "output_unit");
  const int campaigns = std::stoi(bench_arg(argc, argv, "--campaigns", "100"));
  const int samples = std::stoi(bench_arg(argc, argv, "--samples", "1000"));
  const int threads = std::stoi(bench_arg(argc, argv, "--threads", "2"));
  if (model_file.empty() || !config) {
    std::fprintf(stderr, "usage: %s --model FILE [--config npu32] [--block output_unit] [--layer L] "
                 "[--campaigns 100] [--samples 1000] [--threads 2]\n", argv[0]);
    return 2;
  }
  set_compute_threads(1);
  Model model = Model::load(model_file);
  const QuantizedNetwork network = quantize(model, load_fashion_mnist(Split::train).slice(0, kDefaultCalibrationImages));
  const MemoryImage image = compile_network(network, *config);
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, 1);
  NpuFaultSimulator recorder(*config, network, image);
  const std::shared_ptr<const NpuGolden> golden = recorder.record_golden(quantized_image(network, images, 0));

  // The layer: as given, or the shortest one.
  int layer = 0;
  for (int l = 1; l < golden->layers(); ++l)
    if (golden->layer_end(l) - golden->layer_begin(l) < golden->layer_end(layer) - golden->layer_begin(layer)) layer = l;
  layer = std::stoi(bench_arg(argc, argv, "--layer", std::to_string(layer)));
  const CycleWindow window{golden->layer_begin(layer), golden->layer_end(layer)};
  const uint64_t cycles = window.end - window.begin;

  const FaultSites& sites = recorder.sites();
  std::vector<uint64_t> bits;
  for (const StateElement& e : sites.elements())
    if (e.block == block)
      for (uint64_t b = 0; b < e.bits(); ++b) bits.push_back(e.first_bit + b);
  if (bits.empty()) {
    std::fprintf(stderr, "no block '%s'\n", block.c_str());
    return 2;
  }

  // Exhaustive: every (bit, cycle); outcome stored as "not masked".
  const uint64_t population = bits.size() * cycles;
  std::vector<uint8_t> vulnerable(population);
  const auto start = std::chrono::steady_clock::now();
  run_strided(int(bits.size()), threads, [&](int worker, int workers) {
    NpuFaultSimulator sim(*config, network, image);
    for (size_t b = size_t(worker); b < bits.size(); b += size_t(workers))
      for (uint64_t c = 0; c < cycles; ++c) {
        const RtlFaultRun run = sim.inject(*golden, {RtlFaultModel::seu, bits[b], 1, window.begin + c},
                                           InjectionMode::optimized);
        vulnerable[b * cycles + c] = classify(run, golden->output()) != OutcomeClass::masked;
      }
  });
  const double exhaustive_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t vulnerable_count = 0;
  for (uint8_t v : vulnerable) vulnerable_count += v;
  const double true_avf = double(vulnerable_count) / double(population);

  // Sampled campaigns: the campaign planner restricted to the block and the layer, one seed each.
  std::vector<uint64_t> events(static_cast<size_t>(campaigns));
  std::atomic<int> disagreements{0};
  run_strided(campaigns, threads, [&](int worker, int workers) {
    NpuFaultSimulator sim(*config, network, image);
    for (int k = worker; k < campaigns; k += workers) {
      RtlPlanSettings settings;
      settings.seed = 1000 + uint64_t(k);
      settings.blocks = {block};
      const RtlFaultPlanner planner(sites, settings);
      for (int i = 0; i < samples; ++i) {
        const PlannedInjection p = planner.plan(uint64_t(i), window);
        const bool hit = classify(sim.inject(*golden, p.fault, InjectionMode::optimized), golden->output()) !=
                         OutcomeClass::masked;
        const size_t b = size_t(std::lower_bound(bits.begin(), bits.end(), p.fault.bit) - bits.begin());
        if (hit != bool(vulnerable[b * cycles + (p.fault.cycle - window.begin)])) ++disagreements;
        events[size_t(k)] += hit;
      }
    }
  });
  int clopper_pearson = 0, wilson = 0;
  for (uint64_t e : events) {
    const Interval cp = proportion_interval(e, uint64_t(samples), 0.95, IntervalMethod::clopper_pearson);
    const Interval w = proportion_interval(e, uint64_t(samples), 0.95, IntervalMethod::wilson);
    clopper_pearson += cp.low <= true_avf && true_avf <= cp.high;
    wilson += w.low <= true_avf && true_avf <= w.high;
  }
  std::printf("config: %s, block %s (%zu bits), layer %d (cycles %llu..%llu, %llu cycles), test image 0\n",
              npu_config_name(*config).c_str(), block.c_str(), bits.size(), layer,
              (unsigned long long)window.begin, (unsigned long long)window.end, (unsigned long long)cycles);
  std::printf("exhaustive_injections: %llu (%.1f s, %.0f/s)\n", (unsigned long long)population, exhaustive_s,
              double(population) / exhaustive_s);
  std::printf("true_avf_not_masked: %.6f (%llu of %llu)\n", true_avf, (unsigned long long)vulnerable_count,
              (unsigned long long)population);
  std::printf("sampled_campaigns: %d x %d injections\n", campaigns, samples);
  std::printf("sampled_disagreeing_with_exhaustive: %d\n", disagreements.load());
  std::printf("clopper_pearson_95_intervals_containing_true_avf: %d of %d\n", clopper_pearson, campaigns);
  std::printf("wilson_95_intervals_containing_true_avf: %d of %d\n", wilson, campaigns);
  return clopper_pearson >= campaigns * 9 / 10 && disagreements == 0 ? 0 : 1;
}
