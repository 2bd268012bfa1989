#pragma once
// Clipped activations: the activation layers of a model (its ReLUs) and their thresholds, as plain data.
// LibTorch stays in models/*.cpp.
//
// Every ReLU of a model is an activation layer. Zoo networks hold one clippable activation module per
// ReLU; a TorchScript module gets one by graph rewriting (make_clippable). A layer is a plain ReLU until
// it is given a mode and thresholds:
//   saturate      y = min(max(x, 0), T)                     (Ranger)
//   clip_to_zero  y = x if 0 <= x <= T, else 0              (FT-ClipAct)
//   smooth        y = max(0, x - x * sigmoid(k (x - T)))    (FitAct, ProAct; T is the trainable lambda)
// Thresholds are layer-wise (shape {1}) or neuron-wise (the activation's shape without the batch
// dimension). They are model parameters named "<layer>.threshold", so they are saved with the model and
// are fault targets in weight campaigns like any weight.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/dataset.h"
#include "models/model.h"

namespace npufi {

enum class ClipMode { relu, saturate, clip_to_zero, smooth };
enum class Granularity { layer, neuron, hybrid };  // hybrid: layer-wise, neuron-wise in the last layer

std::string to_string(ClipMode mode);
std::string to_string(Granularity granularity);
std::optional<ClipMode> parse_clip_mode(const std::string& text);
std::optional<Granularity> parse_granularity(const std::string& text);

inline constexpr double kDefaultSmoothK = 20.0;

struct ClipLayer {
  std::string name;                 // "conv1.relu", "block2.relu1", "npufi_clip0" (TorchScript)
  ClipMode mode = ClipMode::relu;
  std::vector<int64_t> shape;       // of the thresholds: {1}, or the activation shape; empty for relu
  std::vector<float> thresholds;    // row-major, product of shape
  double k = kDefaultSmoothK;       // smooth mode only
  int64_t count() const { return int64_t(thresholds.size()); }
};

// Gives a TorchScript model a clippable activation layer per aten::relu in its (inlined) forward graph.
// Zoo networks have them already. Throws ModelError when the model has no ReLU left to replace (none
// at all, or all of them already clipped).
void make_clippable(Model& model);

// The model's activation layers in forward order (empty until make_clippable for TorchScript models).
std::vector<ClipLayer> clip_layers(const Model& model);
// Shape of each activation layer's output without the batch dimension, by running one blank image.
std::vector<std::vector<int64_t>> activation_shapes(Model& model);

// Sets the mode and thresholds of the named layers; other layers keep theirs. Throws ModelError, and
// changes nothing, when a name is not an activation layer of the model or a shape is neither {1} nor
// the activation's shape.
void apply_clipping(Model& model, const std::vector<ClipLayer>& layers);

// Largest output of every activation layer over `images`, computed with the model as it is (layers
// already clipped clip). Neuron-wise: one value per activation element; otherwise one per layer.
inline constexpr int kProfileBatchSize = 200;
std::vector<std::vector<float>> profile_peaks(Model& model, const ImageSet& images, bool neuron_wise,
                                              int batch_size = kProfileBatchSize);

// Total thresholds and their bytes as stored (fp32).
int64_t threshold_count(const std::vector<ClipLayer>& layers);

}  // namespace npufi
