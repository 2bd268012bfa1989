#include "rtl/reference/reference_eval.h"

#include <algorithm>
#include <stdexcept>

#include "rtl/reference/int8_reference.h"
#include "rtl/reference/strided_threads.h"

namespace npufi {

std::vector<int8_t> quantized_image(const ImageSet& images, int index) {
  const size_t size = size_t(images.rows) * images.cols;
  const uint8_t* pixels = images.pixels.data() + size_t(index) * size;
  std::vector<int8_t> input(size);
  std::transform(pixels, pixels + size, input.begin(), quantize_pixel);
  return input;
}

ReferenceResult run_reference(const QuantizedNetwork& network, const ImageSet& images, int threads) {
  if (network.layers.empty()) throw std::invalid_argument("the quantized network has no layers");
  ReferenceResult result;
  result.images = images.count;
  result.top1.resize(size_t(images.count));
  // Each worker writes only its own entries.
  run_strided(images.count, threads, [&](int worker, int workers) {
    for (int i = worker; i < images.count; i += workers) {
      result.top1[size_t(i)] = uint8_t(top1(run_network(network, quantized_image(images, i)).back()));
    }
  });
  for (int i = 0; i < images.count; ++i) result.correct += result.top1[size_t(i)] == images.labels[size_t(i)];
  return result;
}

}  // namespace npufi
