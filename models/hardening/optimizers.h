#pragma once
// The four threshold optimizers for clipped activations (docs/hardening.md):
//   ranger     saturate, thresholds = the largest activation over a fixed subset of training images;
//   ftclipact  clip-to-zero, layer-wise, each layer's threshold found by an interval search that scores
//              candidates by the area under the accuracy-vs-BER curve of a small weight campaign;
//   fitact     smooth, neuron-wise lambdas trained with the weights frozen, loss CE + alpha mean(lambda^2);
//   proact     smooth, hybrid (layer-wise, neuron-wise in the last layer), trained one layer at a time from
//              the last activation layer back to the first, loss CE + KD from the unclipped model +
//              beta mean(lambda^2); a layer is accepted when the validation accuracy stays within a
//              tolerance, otherwise retried with a weaker beta.
// The weights never change; only the activation layers do.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/dataset.h"
#include "models/hardening/clip.h"
#include "models/model.h"

namespace npufi {

enum class HardenMethod { ranger, ftclipact, fitact, proact };

std::string to_string(HardenMethod method);
std::optional<HardenMethod> parse_harden_method(const std::string& text);
// The method's clip mode and default granularity.
ClipMode clip_mode_of(HardenMethod method);
Granularity default_granularity(HardenMethod method);

// Every hyper-parameter; the defaults are the ones docs/hardening.md lists.
struct HardenSettings {
  HardenMethod method = HardenMethod::ranger;
  Granularity granularity = Granularity::layer;  // ftclipact: layer only
  uint64_t seed = 1;                              // batch order of the trained methods
  int profile_images = 2000;                      // training images whose maxima set or start thresholds
  double k = kDefaultSmoothK;                     // smooth mode steepness

  // ftclipact
  int search_rounds = 4;            // interval-search rounds per layer
  int search_candidates = 4;        // candidates scored per round
  double search_min_spread = 0.001; // stop a layer when best - worst AUC of a round is below this

  // fitact and proact
  int batch_size = 64;
  double learning_rate = 0.01;      // Adam, on the lambdas only
  int fitact_epochs = 1;            // passes over the training images
  double fitact_alpha = 1e-3;       // weight of mean(lambda^2)
  int proact_steps = 150;           // optimizer steps per layer and attempt
  double proact_beta = 1e-3;        // weight of mean(lambda^2) of the layer in training
  double proact_kd_weight = 1.0;    // weight of the distillation term
  double proact_temperature = 4.0;  // distillation temperature
  double proact_tolerance = 1.5;    // accepted validation accuracy loss, in points (percent)
  int proact_retries = 3;           // extra attempts per layer, each with beta * proact_weaken
  double proact_weaken = 0.1;
};

// The images the optimizers see, all from the training split: `train` for profiling (its first
// profile_images) and lambda training, `validation` for ProAct's acceptance test.
struct HardenData {
  ImageSet train;
  ImageSet validation;
};

// Area under the accuracy-vs-BER curve of a fixed small weight campaign on a model (FT-ClipAct's score).
using AucScorer = std::function<double(const Model&)>;

struct HardenReport {
  std::vector<ClipLayer> layers;
  double validation_accuracy_before = 0;  // unclipped
  double validation_accuracy_after = 0;
  double seconds = 0;
};

// Hardens `model` in place (make_clippable first for TorchScript). `scorer` is needed by ftclipact only;
// `log` gets one line per step. Throws std::invalid_argument for settings out of range or a granularity
// the method does not support, ModelError for a model with no ReLU to replace.
HardenReport harden(Model& model, const HardenSettings& settings, const HardenData& data, const AucScorer& scorer,
                    const std::function<void(const std::string&)>& log);

}  // namespace npufi
