// npufi npu: a quantized network on the Verilated reference NPU (run), its inputs as workload files for
// the design path (workload), and the storage per block (inventory).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/progress_bar.h"
#include "cli/commands.h"
#include "cli/image_range.h"
#include "models/data_source.h"
#include "models/evaluator.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/compiler/npu_compiler.h"
#include "rtl/compiler/npu_workload_file.h"
#include "rtl/reference/reference_eval.h"
#include "cli/rtl_target_choice.h"
#include "rtl/sim/area_model.h"
#include "rtl/sim/npu_eval.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi::cli {

namespace {

// A network for the NPU: the configuration, the model and its calibration, and the test images.
struct NetworkArgs {
  std::string config = "npu64";
  std::string model;
  std::string data;
  std::string images;
  int calibration = kDefaultCalibrationImages;
};

void add_network_options(CLI::App& command, NetworkArgs& args) {
  add_config_option(command, args.config);
  command.add_option("--model", args.model, "Model file: a zoo network (lenet5, alexnet, vgg11, vgg16) or a TorchScript module of NPU operations (docs/quantization.md)")->required();
  add_data_option(command, args.data);
  add_images_option(command, args.images);
  command.add_option("--calibration", args.calibration, "Calibrate on the first N training images")
      ->check(CLI::Range(1, 60000))
      ->capture_default_str();
}

// The model, the chosen test images (the first one's index), and the model quantized to int8.
struct Network {
  Model model;
  ImageSet images;
  int first_image = 0;
  QuantizedNetwork quantized;
};

Network load_network(const NetworkArgs& args) {
  Model model = Model::load(args.model);
  const DataSource source = data_source_or_default(args.data);
  const ImageSet test_set = load_images(source, Split::test);
  model.check_fits(test_set);
  const std::optional<ImageRange> range = parse_image_range(args.images, test_set.count);
  if (!range)
    throw std::runtime_error("--images " + args.images + " is not inside the " + std::to_string(test_set.count) +
                             " test images of " + test_set.origin);
  QuantizedNetwork quantized = quantize(model, load_images(source, Split::train).slice(0, args.calibration));
  return {std::move(model), test_set.slice(range->first, range->end), range->first, std::move(quantized)};
}

struct RunArgs : NetworkArgs {
  RunArgs() { images = "0:10000"; }
  int threads = 1;
};

int run_on_npu(const RunArgs& args) {
  const NpuConfig config = *parse_npu_config(args.config);
  set_compute_threads(args.threads);
  Network loaded = load_network(args);
  Model& model = loaded.model;
  const ImageSet& images = loaded.images;
  const QuantizedNetwork& network = loaded.quantized;
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

struct WorkloadArgs : NetworkArgs {
  WorkloadArgs() { images = "0:8"; }
  std::string out = ".";
};

// Each test image as a workload of the NPU's design file (rtl/npu/npu64.toml): the network quantized and
// compiled for the configuration, with that image as its input.
int write_workloads(const WorkloadArgs& args) {
  const NpuConfig config = *parse_npu_config(args.config);
  const Network loaded = load_network(args);
  const MemoryImage image = compile_network(loaded.quantized, config);
  std::filesystem::create_directories(args.out);
  for (int i = 0; i < loaded.images.count; ++i) {
    const std::string name = "image" + std::to_string(loaded.first_image + i) + ".npuw";
    const std::string path = (std::filesystem::path(args.out) / name).string();
    write_npu_workload(path, image, quantized_image(loaded.quantized, loaded.images, i), npu_geometry(config).mem_bytes);
    std::printf("%s\n", path.c_str());
  }
  return 0;
}

struct InventoryArgs {
  RtlTargetChoice target;
  std::string area_model;  // empty: the NPU's rtl/area-model.toml, or the design file's `area`
  bool json = false;
};

void print_inventory_json(const RtlTargetDesign& target, const std::string& area_file, const AreaModel& area,
                          const std::vector<BlockStorage>& blocks, double total_area) {
  nlohmann::json out = {{target.is_npu() ? "config" : "design", target.name()},
                        {"area_model", {{"file", area_file},
                                        {"flop_bit_ge", area.flop_bit},
                                        {"sram_bit_ge", area.sram_bit},
                                        {"mac_ge", area.mac}}},
                        {"blocks", nlohmann::json::array()}};
  for (const BlockStorage& block : blocks)
    out["blocks"].push_back({{"block", block.block},
                             {"flop_bits", block.flop_bits},
                             {"sram_bits", block.sram_bits},
                             {"macs", block.macs},
                             {"logic_ge", area.logic_area(block)},
                             {"area_ge", area.area(block)},
                             {"area_fraction", area.area(block) / total_area}});
  out["total_area_ge"] = total_area;
  std::printf("%s\n", out.dump(2).c_str());
}

int print_inventory(const InventoryArgs& args) {
  const RtlTargetDesign target(args.target);
  const std::string area_file = target.area_model_path(args.area_model);
  const AreaModel area = load_area_model(area_file);
  const std::vector<BlockStorage> blocks = target.inventory();
  BlockStorage total{"total"};
  double total_area = 0;
  for (const BlockStorage& block : blocks) {
    total.flop_bits += block.flop_bits;
    total.sram_bits += block.sram_bits;
    total.macs += block.macs;
    total_area += area.area(block);
  }
  if (args.json) {
    print_inventory_json(target, area_file, area, blocks, total_area);
    return 0;
  }
  std::printf("%s: stored bits per block, counted from the design; area from %s\n", target.name().c_str(),
              area_file.c_str());
  std::printf("(GE per flop bit %g, per SRAM bit %g, per MAC %g%s)\n\n", area.flop_bit, area.sram_bit, area.mac,
              area.logic.empty() ? "" : "; logic per block as listed");
  std::printf("%-14s %10s %10s %6s %11s %7s\n", "block", "flop bits", "SRAM bits", "MACs", "area (GE)", "area");
  const auto row = [&](const BlockStorage& block, double ge) {
    std::printf("%-14s %10llu %10llu %6llu %11.0f %6.1f%%\n", block.block.c_str(), (unsigned long long)block.flop_bits,
                (unsigned long long)block.sram_bits, (unsigned long long)block.macs, ge, 100 * ge / total_area);
  };
  for (const BlockStorage& block : blocks) row(block, area.area(block));
  row(total, total_area);
  return 0;
}

void add_run_command(CLI::App& npu, Runner& run) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* command = npu.add_subcommand(
      "run", "Quantize a model, run the test images on the Verilated NPU and check it against the C++ reference");
  add_network_options(*command, *args);
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return run_on_npu(*args); }; });
}

void add_workload_command(CLI::App& npu, Runner& run) {
  auto args = std::make_shared<WorkloadArgs>();
  CLI::App* command = npu.add_subcommand(
      "workload", "Write test images as workload files of the NPU's design file (rtl/npu/npu64.toml), one per image");
  add_network_options(*command, *args);
  command->add_option("--out", args->out, "Folder for the files imageN.npuw")->capture_default_str();
  command->callback([args, &run] { run = [args] { return write_workloads(*args); }; });
}

void add_inventory_command(CLI::App& npu, Runner& run) {
  auto args = std::make_shared<InventoryArgs>();
  CLI::App* command =
      npu.add_subcommand("inventory", "Flip-flop and SRAM bits per block of the NPU or a design, and their relative area");
  add_rtl_target_options(*command, args->target);
  command->add_option("--area-model", args->area_model,
                      "Area model file (TOML; default: rtl/area-model.toml, or the design file's 'area')");
  command->add_flag("--json", args->json, "Print JSON");
  command->callback([args, &run] { run = [args] { return print_inventory(*args); }; });
}

}  // namespace

void add_npu_command(CLI::App* npu, SharedOptions&, Runner& run) {
  npu->require_subcommand(1);
  add_run_command(*npu, run);
  add_workload_command(*npu, run);
  add_inventory_command(*npu, run);
}

}  // namespace npufi::cli
