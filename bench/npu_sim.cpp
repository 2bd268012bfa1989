// Benchmark: the Verilated reference NPU on a quantized LeNet-5, per configuration: simulated cycles per
// second on one thread, cycles per inference, MAC utilization, and the speed-up of two independent
// simulator instances on two threads over one. Prints `name: value` lines and ratios from this run.
//
//   npufi_bench_npu_sim --model FILE [--images 50]
#include <cstdio>
#include <string>

#include "bench/bench_args.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/npu_eval.h"

using namespace npufi;

int main(int argc, char** argv) {
  const std::string model_file = bench_arg(argc, argv, "--model", "");
  const int image_count = std::stoi(bench_arg(argc, argv, "--images", "50"));
  if (model_file.empty()) {
    std::fprintf(stderr, "usage: %s --model FILE [--images 50]\n", argv[0]);
    return 2;
  }
  set_compute_threads(1);
  Model model = Model::load(model_file);
  const QuantizedNetwork network =
      quantize(model, load_fashion_mnist(Split::train).slice(0, kDefaultCalibrationImages));
  const ImageSet images = load_fashion_mnist(Split::test).slice(0, image_count);

  std::printf("model: %s (%s, int8), %d test images per run\n", model_file.c_str(), model.arch().c_str(),
              image_count);
  for (const NpuConfig config : kAllNpuConfigs) {
    const std::string name = npu_config_name(config);
    run_npu(network, config, images.slice(0, 2), 1);  // warm-up
    const NpuEvalResult one = run_npu(network, config, images, 1);
    const NpuEvalResult two = run_npu(network, config, images, 2);
    std::printf("%s_cycles_per_inference: %.0f\n", name.c_str(), one.cycles_per_image());
    std::printf("%s_mac_utilization: %.4f\n", name.c_str(), one.mac_utilization(config));
    std::printf("%s_cycles_per_s_1_thread: %.4g\n", name.c_str(), one.cycles_per_second());
    std::printf("%s_inferences_per_s_1_thread: %.2f\n", name.c_str(), one.images / one.seconds);
    std::printf("%s_cycles_per_s_2_threads: %.4g\n", name.c_str(), two.cycles_per_second());
    std::printf("%s_speedup_2_threads_over_1: %.2f\n", name.c_str(), two.cycles_per_second() / one.cycles_per_second());
    std::printf("%s_bit_identical_to_reference: %d/%d\n", name.c_str(), one.matching, one.images);
  }
  return 0;
}
