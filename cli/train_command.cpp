// npufi train: trains a zoo network, built for the data's image shape and classes, on Fashion-MNIST (or
// --data) and saves it.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "models/data_source.h"
#include "models/model.h"
#include "models/train.h"

namespace npufi::cli {

namespace {

struct TrainArgs {
  std::string arch;
  std::string out;
  std::string data;
  int threads = 1;
  TrainOptions options;
};

int train_model(const TrainArgs& args) {
  set_compute_threads(args.threads);
  const DataSource source = data_source_or_default(args.data);
  const ImageSet train_set = load_images(source, Split::train);
  const ImageSet test_set = load_images(source, Split::test);
  NetworkShape shape = NetworkShape::of(train_set);
  shape.classes = std::max(train_set.classes, test_set.classes);
  Model model = Model::create(args.arch, args.options.seed, shape);
  model.check_fits(train_set);
  model.check_fits(test_set);
  TrainOptions options = args.options;
  options.on_epoch = [](const EpochReport& r) {
    std::printf("epoch %d: loss %.4f  train accuracy %.4f  test accuracy %.4f  (%.1f s)\n", r.epoch, r.loss,
                r.train_accuracy, r.test_accuracy, r.seconds);
    std::fflush(stdout);
  };
  options.on_progress = [](int epoch, int done, int batches, double seconds) {
    std::fprintf(stderr, "epoch %d: %d of %d batches, %.0f s, about %.0f s left in the epoch\n", epoch, done,
                 batches, seconds, seconds * (batches - done) / done);
  };
  std::printf("training %s for %s: %d epochs, seed %llu, %d threads\n", args.arch.c_str(), shape.text().c_str(),
              options.epochs, (unsigned long long)options.seed, args.threads);
  train(model, train_set, test_set, options);
  model.save(args.out);
  std::printf("saved %s\n", args.out.c_str());
  return 0;
}

}  // namespace

void add_train_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto args = std::make_shared<TrainArgs>();
  std::string names;
  for (const std::string& n : zoo_architectures()) names += (names.empty() ? "" : ", ") + n;
  command->add_option("--model", args->arch, "Architecture: " + names)->required()->check(CLI::IsMember(zoo_architectures()));
  command->add_option("--epochs", args->options.epochs, "Training epochs")->check(CLI::Range(1, 1000))->capture_default_str();
  command->add_option("--seed", args->options.seed, "Seed for initialization and shuffling")->capture_default_str();
  command->add_option("--batch-size", args->options.batch_size, "Mini-batch size")->check(CLI::Range(1, 60000))->capture_default_str();
  command->add_option("--lr", args->options.learning_rate, "Learning rate (default: the architecture's)");
  command->add_option("--out", args->out, "Model file to write")->required();
  add_data_option(*command, args->data);
  add_threads_option(*command, args->threads);
  command->callback([args, &run] { run = [args] { return train_model(*args); }; });
}

}  // namespace npufi::cli
