#pragma once
// Top-1 results of the Verilated NPU over a set of images, each output checked bit for bit against the
// C++ int8 reference: the NPU counterpart of rtl/reference/reference_eval.h.
#include <cstdint>
#include <functional>
#include <vector>

#include "models/dataset.h"
#include "models/quantized_network.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi {

struct NpuEvalResult {
  int images = 0;
  int correct = 0;                 // NPU top-1 equals the label
  int matching = 0;                // NPU logits bit-identical to the reference's
  std::vector<uint8_t> top1;       // NPU prediction per image
  uint64_t cycles = 0;             // simulated, summed over the images
  uint64_t mac_busy_cycles = 0;    // cycles in which the MAC array computed, summed
  uint64_t useful_macs = 0;        // multiply-accumulates the network needs, summed
  double seconds = 0;              // wall time
  double accuracy() const { return images ? double(correct) / images : 0.0; }
  double cycles_per_image() const { return images ? double(cycles) / images : 0.0; }
  // Useful MACs / (MACs per cycle x cycles).
  double mac_utilization(NpuConfig config) const;
  // Simulated cycles per wall-clock second, over all threads.
  double cycles_per_second() const { return seconds > 0 ? double(cycles) / seconds : 0.0; }
};

// Called after each finished image with the number finished so far (serialized, never concurrently).
using NpuProgress = std::function<void(int done)>;

// Runs every image of `images` through `network` compiled for `config` on `threads` independent simulator
// instances (the results do not depend on the count). Throws std::runtime_error naming the image when a
// run ends in an NPU error or the watchdog.
NpuEvalResult run_npu(const QuantizedNetwork& network, NpuConfig config, const ImageSet& images, int threads,
                      const NpuProgress& progress = {});

}  // namespace npufi
