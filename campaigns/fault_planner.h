#pragma once
// Which faults each trial of a campaign injects: a pure function of (spec, model, trial index).
#include <cstdint>
#include <string>
#include <vector>

#include "campaigns/spec.h"
#include "injector/bit_population.h"
#include "injector/fault.h"
#include "models/parameter.h"

namespace npufi {

// Where a trial sits in the campaign: trial = (format * bers + ber) * repetitions + repetition.
struct TrialKey {
  int format = 0;      // index into spec.formats
  int ber = -1;        // index into spec.bers; -1 for an explicit fault map
  int repetition = 0;
};

// The trial's place; shared by weight and activation campaigns.
TrialKey trial_key(const CampaignSpec& spec, int64_t trial);
// The bit positions `bits` selects in `format`; throws SpecError naming the file and line of `bits`.
std::vector<int> selected_bits(const CampaignSpec& spec, NumberFormat format);

// The tensors that `targets` selects, ascending; the listed faults, resolved. The tensors are the model's
// parameters, or its layers' outputs for one image; `what` names them in messages ("parameter", "layer").
// Throw SpecError naming the file, line and value at fault.
std::vector<uint32_t> selected_targets(const CampaignSpec& spec, const std::vector<Parameter>& tensors,
                                       const std::string& what);
std::vector<WeightFault> resolve_listed(const CampaignSpec& spec, const std::vector<Parameter>& tensors,
                                        const std::string& what);

// The BER fault map of a trial, over the population of its format (one per spec format).
std::vector<WeightFault> ber_trial_faults(const CampaignSpec& spec, const std::vector<BitPopulation>& populations,
                                          int64_t trial);

class FaultPlanner {
 public:
  // Checks the spec against the model's parameters (globs, bit positions, listed faults); throws
  // SpecError naming the file, line and value at fault.
  FaultPlanner(const CampaignSpec& spec, const std::vector<Parameter>& parameters);

  TrialKey key(int64_t trial) const { return trial_key(spec_, trial); }
  std::vector<WeightFault> faults(int64_t trial) const;
  // Selected bits per format, the population a BER applies to.
  uint64_t population_size(int format) const { return populations_[format].size(); }

 private:
  const CampaignSpec& spec_;
  std::vector<BitPopulation> populations_;  // per format
  std::vector<WeightFault> listed_;         // the explicit fault map, resolved
};

}  // namespace npufi
