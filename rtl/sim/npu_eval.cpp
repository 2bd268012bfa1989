#include "rtl/sim/npu_eval.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>

#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/npu_simulator.h"

namespace npufi {

double NpuEvalResult::mac_utilization(NpuConfig config) const {
  const double capacity = double(npu_geometry(config).macs) * double(cycles);
  return capacity > 0 ? double(useful_macs) / capacity : 0.0;
}

namespace {

// A run that takes far longer than the MAC work alone could need is a hang: 1000 x the cycles of a fully
// busy MAC array (LeNet-5 needs 4-23x), and never less than 10M cycles.
uint64_t watchdog_cycles(const MemoryImage& image, NpuConfig config) {
  return std::max<uint64_t>(10'000'000, 1000 * image.useful_macs / uint64_t(npu_geometry(config).macs));
}

}  // namespace

NpuEvalResult run_npu(const QuantizedNetwork& network, NpuConfig config, const ImageSet& images, int threads,
                      const NpuProgress& progress) {
  const MemoryImage image = compile_network(network, config);
  const uint64_t max_cycles = watchdog_cycles(image, config);
  NpuEvalResult result;
  result.images = images.count;
  result.top1.resize(size_t(images.count));
  std::vector<uint8_t> matches(size_t(images.count));
  std::vector<uint64_t> cycles(size_t(images.count)), busy(size_t(images.count));
  std::mutex progress_mutex;
  int done = 0;

  // Each worker runs its own simulator and writes only its own entries.
  const auto start = std::chrono::steady_clock::now();
  run_strided(images.count, threads, [&](int worker, int workers) {
    NpuSimulator sim(config);
    for (int i = worker; i < images.count; i += workers) {
      const std::vector<int8_t> input = quantized_image(network, images, i);
      const RunResult run = sim.run(image, input, max_cycles);
      if (run.status != RunStatus::done)
        throw std::runtime_error(npu_config_name(config) + ", test image " + std::to_string(i) + ": " + run.message);
      result.top1[size_t(i)] = uint8_t(top1(run.output));
      matches[size_t(i)] = run.output == run_network(network, input).back();
      cycles[size_t(i)] = run.cycles;
      busy[size_t(i)] = run.mac_busy_cycles;
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        progress(++done);
      }
    }
  });
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t i = 0; i < size_t(images.count); ++i) {
    result.correct += result.top1[i] == images.labels[i];
    result.matching += matches[i];
    result.cycles += cycles[i];
    result.mac_busy_cycles += busy[i];
  }
  result.useful_macs = image.useful_macs * uint64_t(images.count);
  return result;
}

}  // namespace npufi
