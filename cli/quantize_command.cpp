// npufi quantize: post-training int8 quantization of a zoo model, fp32 and int8 (reference) accuracy
// side by side, and the per-layer scales.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "cli/image_range.h"
#include "models/data_source.h"
#include "models/evaluator.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/reference_eval.h"

namespace npufi::cli {

namespace {

struct QuantizeArgs {
  std::string model;
  std::string data;
  int calibration = kDefaultCalibrationImages;
  std::string images = "0:10000";
  int threads = 1;
};

const char* kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::conv2d: return "conv2d";
    case LayerKind::fully_connected: return "fully_connected";
    case LayerKind::max_pool: return "max_pool";
    case LayerKind::avg_pool: return "avg_pool";
    case LayerKind::add: return "add";
  }
  return "?";
}

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::none: return "none";
    case Activation::relu: return "relu";
    case Activation::clip_saturate: return "clip_saturate";
    case Activation::clip_to_zero: return "clip_to_zero";
  }
  return "?";
}

// One row per layer, numbered; a layer that reads other tensors than the one before it names them
// ("add #5 #6"; #in is the network input).
void print_layers(const QuantizedNetwork& net) {
  std::printf("%-4s %-10s %-18s %-12s %-13s %6s %s\n", "#", "layer", "operation", "output", "act", "clip T", "output scale");
  std::printf("%-4s %-10s %-18s %-12s %-13s %6s %.6g\n", "in", "input", "", (std::to_string(net.input.channels) + "x" +
              std::to_string(net.input.height) + "x" + std::to_string(net.input.width)).c_str(), "", "", net.input_scale);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const QuantizedLayer& layer = net.layers[i];
    std::string operation = kind_name(layer.kind);
    if (layer.kind == LayerKind::conv2d) {
      operation += " " + std::to_string(layer.kernel) + "x" + std::to_string(layer.kernel);
      if (layer.stride != 1) operation += " s" + std::to_string(layer.stride);
      if (layer.padding != 0) operation += " p" + std::to_string(layer.padding);
    }
    for (int source : layer.inputs) operation += source == kNetworkInput ? " #in" : " #" + std::to_string(source);
    const TensorShape& out = layer.output;
    const std::string shape = std::to_string(out.channels) + "x" + std::to_string(out.height) + "x" + std::to_string(out.width);
    const bool clipped = layer.activation == Activation::clip_saturate || layer.activation == Activation::clip_to_zero;
    std::printf("%-4zu %-10s %-18s %-12s %-13s %6s %.6g\n", i, layer.name.c_str(), operation.c_str(), shape.c_str(),
                layer.kind == LayerKind::max_pool ? "" : activation_name(layer.activation),
                clipped ? std::to_string(layer.clip_threshold).c_str() : "", layer.output_scale);
  }
}

int quantize_model(const QuantizeArgs& args) {
  set_compute_threads(args.threads);
  Model model = Model::load(args.model);
  const DataSource source = data_source_or_default(args.data);
  const ImageSet test_set = load_images(source, Split::test);
  model.check_fits(test_set);
  const std::optional<ImageRange> range = parse_image_range(args.images, test_set.count);
  if (!range) throw std::runtime_error("--images " + args.images + " is not inside the " + std::to_string(test_set.count) + " test images");
  const ImageSet images = test_set.slice(range->first, range->end);
  const ImageSet train_set = load_images(source, Split::train);
  const int calibration = std::min(args.calibration, train_set.count);

  const QuantizedNetwork net = quantize(model, train_set.slice(0, calibration));
  std::printf("%s (%s): int8 weights per output channel, int8 activations calibrated on the first %d training images\n\n",
              args.model.c_str(), model.arch().c_str(), calibration);
  print_layers(net);

  const EvalResult fp32 = Evaluator(images).run(model);
  const auto start = std::chrono::steady_clock::now();
  const ReferenceResult int8 = run_reference(net, images, args.threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int agree = 0;
  for (int i = 0; i < images.count; ++i) agree += fp32.top1[size_t(i)] == int8.top1[size_t(i)];

  std::printf("\ntest images %s: top-1 accuracy fp32 %.4f (%d/%d), int8 %.4f (%d/%d), %+.2f points\n",
              args.images.c_str(), fp32.accuracy(), fp32.correct, fp32.images, int8.accuracy(), int8.correct,
              int8.images, 100 * (int8.accuracy() - fp32.accuracy()));
  std::printf("same top-1 class as fp32: %d/%d; int8 reference: %.0f images/s (threads: %d)\n", agree, images.count,
              images.count / seconds, args.threads);
  return 0;
}

}  // namespace

void add_quantize_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto args = std::make_shared<QuantizeArgs>();
  command->add_option("--model", args->model, "Model file: a zoo network (lenet5, alexnet, vgg11, vgg16) or a TorchScript module of NPU operations (docs/quantization.md)")->required();
  add_data_option(*command, args->data);
  command->add_option("--calibration", args->calibration, "Calibrate on the first N training images")
      ->check(CLI::Range(1, 60000))
      ->capture_default_str();
  add_images_option(*command, args->images);
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return quantize_model(*args); }; });
}

}  // namespace npufi::cli
