#pragma once
// FT-ClipAct's scorer: a small weight campaign run in memory, summed up by the area under its
// accuracy-vs-BER curve (analysis/curve_area.h).
#include <cstdint>
#include <vector>

#include "analysis/curve_area.h"
#include "injector/number_format.h"
#include "models/dataset.h"
#include "models/model.h"

namespace npufi {

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
