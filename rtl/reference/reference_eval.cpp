#include "rtl/reference/reference_eval.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "rtl/reference/int8_reference.h"
#include "rtl/reference/strided_threads.h"

namespace npufi {

std::vector<int8_t> quantized_image(const QuantizedNetwork& network, const ImageSet& images, int index) {
  const size_t size = images.image_size();
  if (int64_t(size) != network.input.size())
    throw std::invalid_argument(images.origin + ": images of " + std::to_string(size) + " values; the quantized " +
                                network.arch + " takes " + std::to_string(network.input.size()));
  if (network.pixel_input != (images.values.empty() && images.preprocessing.is_default()) ||
      !(images.preprocessing == network.preprocessing))
    throw std::invalid_argument(images.origin + ": not stored or preprocessed as the calibration images of the quantized " +
                                network.arch);
  std::vector<int8_t> input(size);
  if (network.pixel_input) {
    const uint8_t* pixels = images.pixels.data() + size_t(index) * size;
    std::transform(pixels, pixels + size, input.begin(), quantize_pixel);
    return input;
  }
  const Preprocessing& p = network.preprocessing;
  const size_t plane = size_t(images.rows) * size_t(images.cols);
  for (size_t c = 0; c < size_t(images.channels); ++c) {
    const size_t from = size_t(index) * size + (p.channel_order.empty() ? c : size_t(p.channel_order[c])) * plane;
    const double mean = p.mean.empty() ? 0.0 : p.mean[c];
    const double std = p.std.empty() ? 1.0 : p.std[c];
    for (size_t k = 0; k < plane; ++k) {
      const double v = images.values.empty() ? double(images.pixels[from + k]) : double(images.values[from + k]);
      const double x = (v / p.scale - mean) / std;
      input[c * plane + k] = int8_t(std::clamp(std::round(x / network.input_scale), -127.0, 127.0));
    }
  }
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
      result.top1[size_t(i)] = uint8_t(top1(run_network(network, quantized_image(network, images, i)).back()));
    }
  });
  for (int i = 0; i < images.count; ++i) result.correct += result.top1[size_t(i)] == images.labels[size_t(i)];
  return result;
}

}  // namespace npufi
