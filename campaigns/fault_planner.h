#pragma once
// Which faults each trial of a campaign injects: a pure function of (spec, model, trial index).
#include <cstdint>
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

class FaultPlanner {
 public:
  // Checks the spec against the model's parameters (globs, bit positions, listed faults); throws
  // SpecError naming the file, line and value at fault.
  FaultPlanner(const CampaignSpec& spec, const std::vector<Parameter>& parameters);

  TrialKey key(int64_t trial) const;
  std::vector<WeightFault> faults(int64_t trial) const;
  // Selected bits per format, the population a BER applies to.
  uint64_t population_size(int format) const { return populations_[format].size(); }

 private:
  const CampaignSpec& spec_;
  std::vector<BitPopulation> populations_;  // per format
  std::vector<WeightFault> listed_;         // the explicit fault map, resolved
};

}  // namespace npufi
