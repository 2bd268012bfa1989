// Benchmark: RTL fault injection into a design brought by the user (docs/your-design.md), naive (every
// fault from reset to the end) against optimized (golden checkpoints, late injection of memory upsets,
// early stop when the state re-converges, stall detection). The same fixed list of sampled SEUs over all
// sites runs both ways; every fault must get the same outcome and the same outputs. Prints `name: value`
// lines and ratios from this run. The design must be built (`npufi design build`).
//
//   npufi_bench_design_injection --design FILE --workloads A,B,... [--faults 20000] [--threads 2]
//                                [--interval 16]   (golden checkpoint interval, cycles)
#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include "bench/bench_args.h"
#include "injector/outcome.h"
#include "injector/rtl_fault_plan.h"
#include "rtl/design/design_plugin.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/design_fault_simulator.h"

namespace {

using namespace npufi;

struct Result {
  OutcomeClass outcome;
  std::vector<uint8_t> output;
  uint64_t simulated_cycles;
  RunEnd end;
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string design_path = bench_arg(argc, argv, "--design", "");
  const std::vector<std::string> workloads = split(bench_arg(argc, argv, "--workloads", ""));
  const int fault_count = std::stoi(bench_arg(argc, argv, "--faults", "20000"));
  const int threads = std::stoi(bench_arg(argc, argv, "--threads", "2"));
  const uint32_t interval = uint32_t(std::stoul(bench_arg(argc, argv, "--interval", "16")));
  if (design_path.empty() || workloads.empty()) {
    std::fprintf(stderr, "usage: %s --design FILE --workloads A,B,... [--faults 20000] [--threads 2] [--interval 16]\n",
                 argv[0]);
    return 2;
  }
  const DesignFile design = load_design_file(design_path);
  const std::shared_ptr<const DesignPlugin> plugin = load_built_design(design);
  DesignFaultSimulator recorder(plugin, design);
  std::vector<std::shared_ptr<const DesignGolden>> goldens;
  for (const std::string& w : workloads) goldens.push_back(recorder.record_golden(w, interval));

  RtlPlanSettings settings;
  settings.seed = 2026;
  settings.images = int(workloads.size());
  const RtlFaultPlanner planner(recorder.sites(), settings);
  std::vector<PlannedInjection> plan;
  for (int i = 0; i < fault_count; ++i)
    plan.push_back(planner.plan(uint64_t(i), {0, goldens[size_t(i) % goldens.size()]->cycles()}));

  const auto run_all = [&](InjectionMode mode, std::vector<Result>& results) {
    results.assign(plan.size(), {});
    const auto start = std::chrono::steady_clock::now();
    run_strided(int(plan.size()), threads, [&](int worker, int workers) {
      DesignFaultSimulator sim(plugin, design);
      for (size_t i = size_t(worker); i < plan.size(); i += size_t(workers)) {
        const DesignGolden& golden = *goldens[size_t(plan[i].image)];
        DesignFaultRun run = sim.inject(golden, plan[i].fault, mode);
        results[i] = {classify(run, golden, sim), std::move(run.output), run.simulated_cycles, run.end};
      }
    });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::vector<Result> optimized, naive;
  const double optimized_s = run_all(InjectionMode::optimized, optimized);
  const double naive_s = run_all(InjectionMode::naive, naive);

  int mismatches = 0;
  std::map<std::string, int> outcomes, ends;
  uint64_t optimized_cycles = 0, naive_cycles = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    mismatches += optimized[i].outcome != naive[i].outcome || optimized[i].output != naive[i].output;
    ++outcomes[to_string(naive[i].outcome)];
    ++ends[run_end_name(optimized[i].end)];
    optimized_cycles += optimized[i].simulated_cycles;
    naive_cycles += naive[i].simulated_cycles;
  }
  std::printf("design: %s, %d SEUs over all %llu sites, %zu workloads, %d threads, golden %llu cycles (first)\n",
              design.name.c_str(), fault_count, static_cast<unsigned long long>(recorder.sites().total_bits()),
              workloads.size(), threads, static_cast<unsigned long long>(goldens[0]->cycles()));
  for (const auto& [name, count] : outcomes) std::printf("outcome_%s: %d\n", name.c_str(), count);
  for (const auto& [name, count] : ends) std::printf("optimized_ended_%s: %d\n", name.c_str(), count);
  std::printf("mismatches: %d\n", mismatches);
  std::printf("naive_injections_per_s: %.0f\n", fault_count / naive_s);
  std::printf("optimized_injections_per_s: %.0f\n", fault_count / optimized_s);
  std::printf("naive_cycles_per_injection: %.1f\n", double(naive_cycles) / fault_count);
  std::printf("optimized_cycles_per_injection: %.1f\n", double(optimized_cycles) / fault_count);
  std::printf("speedup_optimized_over_naive: %.1f\n", naive_s / optimized_s);
  return mismatches == 0 ? 0 : 1;
}
