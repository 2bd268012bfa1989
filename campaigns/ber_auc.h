#pragma once
// The area under an accuracy-vs-BER curve, and FT-ClipAct's scorer: a small weight campaign run in memory.
#include <cstdint>
#include <vector>

#include "injector/number_format.h"
#include "models/dataset.h"
#include "models/model.h"

namespace npufi {

// Trapezoids over log10(BER), divided by the log10 range: the mean accuracy over the BER decades, in the
// units of `accuracy`. bers ascending and > 0; a single BER gives its accuracy.
double ber_auc(const std::vector<double>& bers, const std::vector<double>& accuracy);

struct ScoringCampaign {
  std::vector<double> bers = {1e-5, 3e-5, 1e-4};
  int repetitions = 4;
  uint64_t seed = 1;
  NumberFormat format = NumberFormat::fp32;
  int threads = 1;
};

// Runs the campaign (bit flips in every parameter tensor, thresholds included) on a model and returns the
// AUC of its mean accuracy per BER. Nothing is stored. The same seed draws the same faults for models
// with the same parameter shapes, so candidates are compared on identical fault maps.
double campaign_auc(const Model& model, const ImageSet& images, const ScoringCampaign& campaign);

}  // namespace npufi
