#pragma once
// Post-training quantization of zoo networks and TorchScript modules to the NPU's int8 arithmetic (models/quantized_network.h).
//
// Batch norm is folded into the convolution before it. Weights are symmetric int8 per output channel
// (scale max|w| / 127); activations are symmetric int8 per tensor, with scale max|a| / 127 over the
// calibration images, taken at each layer's output after its activation. A hardened layer's layer-wise
// clipped activation becomes the NPU's clip activation; its output range is [0, T] by construction, so
// its scale is T / 127 instead. See docs/quantization.md.
#include <cstdint>

#include "models/dataset.h"
#include "models/model.h"
#include "models/quantized_network.h"

namespace npufi {

// The calibration set of the NPU flow: the first 1,000 training images.
constexpr int kDefaultCalibrationImages = 1000;

// A positive real scale as a Q31 multiplier and a power-of-two shift:
// scale = multiplier / 2^31 x 2^shift, multiplier in [2^30, 2^31); scale 0 (or below 2^-32) gives {0, 0}.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};
QuantizedMultiplier quantize_multiplier(double scale);

// A clip threshold T (real units, >= 0) in the output units of a layer with scale `output_scale`:
// round(T / output_scale), halves away from zero, clamped to 0..127.
int8_t clip_threshold_code(double threshold, double output_scale);

// Quantizes a network made of convolutions, batch norm, ReLU, 2x2 max-pools and dense layers: a zoo
// network (lenet5, alexnet, vgg11, vgg16) or a TorchScript module (models/script_lowering.h), calibrating
// activations, and the input when the data are preprocessed (models/quantized_network.h), on `calibration`. Hardened activations with
// one threshold per layer lower to clip_saturate (saturate, Ranger) or clip_to_zero (clip-to-zero,
// FT-ClipAct; and smooth, FitAct/ProAct, run as clip-to-zero at lambda). Throws ModelError for any other
// model, naming the layer of a neuron-wise clipped activation.
QuantizedNetwork quantize(Model& model, const ImageSet& calibration);

}  // namespace npufi
