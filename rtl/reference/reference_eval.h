#pragma once
// Top-1 results of the int8 reference over a set of images: the int8 counterpart of models/evaluator.h.
#include <cstdint>
#include <vector>

#include "models/dataset.h"
#include "models/quantized_network.h"

namespace npufi {

struct ReferenceResult {
  int images = 0;
  int correct = 0;
  std::vector<uint8_t> top1;  // predicted class per image
  double accuracy() const { return images ? double(correct) / images : 0.0; }
};

// The int8 input of image `index`, CHW, as models/quantized_network.h describes. Throws
// std::invalid_argument when the images are not of the shape or preprocessing the network was calibrated on.
std::vector<int8_t> quantized_image(const QuantizedNetwork& network, const ImageSet& images, int index);

// Runs every image through the reference on `threads` threads (results do not depend on the count).
ReferenceResult run_reference(const QuantizedNetwork& network, const ImageSet& images, int threads = 1);

}  // namespace npufi
