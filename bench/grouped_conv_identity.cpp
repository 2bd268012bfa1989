// Benchmark and check for batching weight-fault trials (issue 19): K fault maps evaluated as one grouped
// convolution over the shared input, against K convolutions one map at a time, on the convolution shapes
// of lenet5 and resnet20 (100 images, 1 compute thread). Prints, per shape and K, whether each map's
// grouped output is bit-identical to its own convolution, whether a convolution over a doubled batch is
// bit-identical per image, and the time of both ways with their ratio (same process, after a warm-up).
//
//   npufi_bench_grouped_conv_identity [--repeats 5]
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench_args.h"

namespace {

double median_seconds(int repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

struct ConvShape {
  const char* name;
  int64_t in, out, side, kernel, padding;
};

void compare(const ConvShape& s, int maps, int repeats) {
  torch::manual_seed(1);
  const torch::Tensor x = torch::rand({100, s.in, s.side, s.side});
  std::vector<torch::Tensor> weights, biases;
  for (int m = 0; m < maps; ++m) {
    weights.push_back(torch::randn({s.out, s.in, s.kernel, s.kernel}) * 0.1);
    biases.push_back(torch::randn({s.out}));
  }
  const torch::Tensor all_weights = torch::cat(weights), all_biases = torch::cat(biases);
  std::vector<torch::Tensor> single(static_cast<size_t>(maps));
  const auto one_at_a_time = [&] {
    for (int m = 0; m < maps; ++m) single[size_t(m)] = torch::conv2d(x, weights[size_t(m)], biases[size_t(m)], 1, s.padding);
  };
  torch::Tensor grouped;
  const auto as_groups = [&] {
    grouped = torch::conv2d(x.repeat({1, maps, 1, 1}), all_weights, all_biases, 1, s.padding, 1, maps);
  };
  one_at_a_time();
  as_groups();  // warm-up
  const double single_s = median_seconds(repeats, one_at_a_time);
  const double grouped_s = median_seconds(repeats, as_groups);
  int identical = 0;
  for (int m = 0; m < maps; ++m)
    identical += torch::equal(grouped.slice(1, m * s.out, (m + 1) * s.out), single[size_t(m)]);
  const torch::Tensor doubled = torch::conv2d(torch::cat({x, x}), weights[0], biases[0], 1, s.padding);
  const bool batch_identical = torch::equal(doubled.slice(0, 0, 100), single[0]) &&
                               torch::equal(doubled.slice(0, 100, 200), single[0]);
  std::printf("%-14s K=%d grouped_identical_maps: %d/%d  doubled_batch_identical: %d  one_at_a_time_s: %.5f  "
              "grouped_s: %.5f  grouped_speedup: %.2f\n",
              s.name, maps, identical, maps, int(batch_identical), single_s, grouped_s, single_s / grouped_s);
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = std::stoi(npufi::bench_arg(argc, argv, "--repeats", "5"));
  at::set_num_threads(1);  // as a campaign worker runs
  at::globalContext().setFlushDenormal(true);
  torch::InferenceMode inference;
  const std::vector<ConvShape> shapes = {
      {"lenet5.conv1", 1, 6, 28, 5, 2},   {"lenet5.conv2", 6, 16, 14, 5, 0}, {"lenet5.fc1", 400, 120, 1, 1, 0},
      {"resnet20.w16", 16, 16, 28, 3, 1}, {"resnet20.w32", 32, 32, 14, 3, 1}, {"resnet20.w64", 64, 64, 7, 3, 1},
  };
  for (int maps : {4, 8})
    for (const ConvShape& s : shapes) compare(s, maps, repeats);
  return 0;
}
