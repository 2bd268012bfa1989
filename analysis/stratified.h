#pragma once
// Stratified sampling: the fault population is split into strata (one per block and storage kind), each
// sampled on its own; the allocation says how many injections each gets, the estimate combines them.
#include <cstdint>
#include <vector>

#include "analysis/interval.h"

namespace npufi {

// n_h proportional to N_h. Whole numbers summing to min(total, sum N_h) (largest remainders), no stratum
// above its population. Throws std::invalid_argument if every population is 0.
std::vector<uint64_t> allocate_proportional(const std::vector<uint64_t>& populations, uint64_t total);

// Neyman: n_h proportional to N_h sqrt(p_h (1 - p_h)), p_h the prior proportion of stratum h (in (0, 1);
// 0.5 where unknown, which makes it proportional). Same rounding and caps as above.
std::vector<uint64_t> allocate_neyman(const std::vector<uint64_t>& populations, const std::vector<double>& priors,
                                      uint64_t total);

struct StratumSample {
  uint64_t population = 0;  // N_h; the weight is w_h = N_h / sum N
  uint64_t events = 0;      // injections in the class of interest
  uint64_t trials = 0;      // n_h
};

struct StratifiedEstimate {
  double value = 0;     // sum w_h p_h, p_h = events_h / trials_h
  double variance = 0;  // sum w_h^2 p_h (1 - p_h) / n_h
  Interval interval;    // value -/+ z sqrt(variance), two-sided at the confidence, clipped to [0, 1]
};

// Throws std::invalid_argument if a stratum with a population has no trials, or events > trials.
StratifiedEstimate stratified_estimate(const std::vector<StratumSample>& strata, double confidence);

}  // namespace npufi
