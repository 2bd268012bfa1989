// npufi eval: top-1 accuracy of a model file on the test images (Fashion-MNIST, or --data).
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "injector/number_format.h"
#include "injector/weight_memory.h"
#include "models/data_source.h"
#include "models/evaluator.h"
#include "models/model.h"

namespace npufi::cli {

namespace {

struct EvalArgs {
  std::string model;
  std::string data;
  int limit = 10000;
  std::string format = "fp32";
  int threads = 1;
};

int evaluate_model(const EvalArgs& args) {
  set_compute_threads(args.threads);
  Model model = Model::load(args.model);
  const ImageSet test_set = load_images(data_source_or_default(args.data), Split::test);
  model.check_fits(test_set);
  const ImageSet images = test_set.slice(0, std::min(args.limit, test_set.count));
  const WeightMemory memory(model.parameters(), *parse_number_format(args.format));
  const auto start = std::chrono::steady_clock::now();
  const EvalResult result = Evaluator(images).run(model);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s (%s, %s weights): top-1 accuracy %.4f (%d/%d test images, %.2f s)\n", args.model.c_str(),
              model.arch().c_str(), args.format.c_str(), result.accuracy(), result.correct, result.images, seconds);
  return 0;
}

}  // namespace

void add_eval_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto args = std::make_shared<EvalArgs>();
  command->add_option("--model", args->model, "Model file (npufi model or TorchScript)")->required();
  add_data_option(*command, args->data);
  command->add_option("--limit", args->limit, "Evaluate the first N test images")->check(CLI::PositiveNumber)->capture_default_str();
  command->add_option("--format", args->format, "Weights as stored: fp32, fp16, bf16 or int8")
      ->check(CLI::IsMember({"fp32", "fp16", "bf16", "int8"}))
      ->capture_default_str();
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return evaluate_model(*args); }; });
}

}  // namespace npufi::cli
