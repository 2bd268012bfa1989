#pragma once
// The difference of two binomial proportions (the same outcome's rate in two campaigns, say unprotected
// and protected) with Newcombe's hybrid score interval (Newcombe 1998, method 10, from two Wilson
// intervals): good coverage even at rates near 0, where campaigns' critical rates live.
#include <cstdint>

#include "analysis/interval.h"

namespace npufi {

struct ProportionDifference {
  double difference = 0;  // events_b / trials_b - events_a / trials_a
  Interval interval;      // two-sided at the confidence
  bool significant = false;  // the interval excludes 0
};

// Throws std::invalid_argument for events > trials, no trials, or a confidence outside (0, 1).
ProportionDifference proportion_difference(uint64_t events_a, uint64_t trials_a, uint64_t events_b,
                                           uint64_t trials_b, double confidence);

}  // namespace npufi
