// npufi npu: a quantized network on the Verilated reference NPU (run), and the NPU's storage per block
// (inventory).
#include <cstdio>
#include <memory>
#include <string>

#include "campaigns/progress_bar.h"
#include "cli/commands.h"
#include "cli/image_range.h"
#include "models/dataset.h"
#include "models/evaluator.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/compiler/npu_compiler.h"
#include "rtl/sim/npu_eval.h"

namespace npufi::cli {

namespace {

struct RunArgs {
  std::string config = "npu64";
  std::string model;
  std::string images = "0:10000";
  int calibration = kDefaultCalibrationImages;
  int threads = 1;
};

int run_on_npu(const RunArgs& args) {
  const NpuConfig config = *parse_npu_config(args.config);
  set_compute_threads(args.threads);
  Model model = Model::load(args.model);
  const ImageSet test_set = load_fashion_mnist(Split::test);
  const ImageRange range = *parse_image_range(args.images, test_set.count);
  const ImageSet images = test_set.slice(range.first, range.end);
  const QuantizedNetwork network = quantize(model, load_fashion_mnist(Split::train).slice(0, args.calibration));
  const EvalResult fp32 = Evaluator(images).run(model);

  NpuEvalResult npu;
  {
    ProgressBar progress(args.config, images.count, 0);
    npu = run_npu(network, config, images, args.threads, [&](int done) { progress.update(done); });
  }
  const int macs = npu_geometry(config).macs;
  std::printf("%s (%s) on %s, test images %s, int8 calibrated on the first %d training images\n", args.model.c_str(),
              model.arch().c_str(), args.config.c_str(), args.images.c_str(), args.calibration);
  std::printf("top-1 accuracy: int8 on the NPU %.4f (%d/%d), fp32 %.4f (%d/%d), %+.2f points\n", npu.accuracy(),
              npu.correct, npu.images, fp32.accuracy(), fp32.correct, fp32.images,
              100 * (npu.accuracy() - fp32.accuracy()));
  std::printf("agreement with the C++ int8 reference: %d/%d images bit-identical (%.2f %%)\n", npu.matching,
              npu.images, 100.0 * npu.matching / npu.images);
  std::printf("cycles per inference: %.0f\n", npu.cycles_per_image());
  std::printf("MAC utilization: %.2f %% (useful MACs / (%d MACs x cycles))\n", 100 * npu.mac_utilization(config),
              macs);
  std::printf("simulated cycles per second: %.3g (%d threads, %.1f s)\n", npu.cycles_per_second(), args.threads,
              npu.seconds);
  return 0;
}

void add_config_option(CLI::App& command, std::string& config) {
  command.add_option("--config", config, "NPU configuration: npu32, npu64, npu128 or npu256")
      ->check([](const std::string& name) {
        return parse_npu_config(name) ? "" : "must be npu32, npu64, npu128 or npu256, got " + name;
      })
      ->capture_default_str();
}

void add_run_command(CLI::App& npu, Runner& run) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* command = npu.add_subcommand(
      "run", "Quantize a model, run the test images on the Verilated NPU and check it against the C++ reference");
  add_config_option(*command, args->config);
  command->add_option("--model", args->model, "Model file (lenet5, alexnet, vgg11 or vgg16)")->required();
  add_images_option(*command, args->images);
  command->add_option("--calibration", args->calibration, "Calibrate on the first N training images")
      ->check(CLI::Range(1, 60000))
      ->capture_default_str();
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return run_on_npu(*args); }; });
}

}  // namespace

void add_npu_command(CLI::App& app, Runner& run) {
  CLI::App* npu = app.add_subcommand("npu", "The reference NPU: run a network on it, count its storage");
  npu->require_subcommand(1);
  add_run_command(*npu, run);
}

}  // namespace npufi::cli
