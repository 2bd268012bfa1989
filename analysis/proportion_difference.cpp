#include "analysis/proportion_difference.h"

#include <cmath>
#include <stdexcept>

#include "analysis/proportion_interval.h"

namespace npufi {

ProportionDifference proportion_difference(uint64_t events_a, uint64_t trials_a, uint64_t events_b,
                                           uint64_t trials_b, double confidence) {
  if (trials_a == 0 || trials_b == 0) throw std::invalid_argument("a proportion difference needs trials on both sides");
  const double a = double(events_a) / double(trials_a);
  const double b = double(events_b) / double(trials_b);
  const Interval ia = proportion_interval(events_a, trials_a, confidence, IntervalMethod::wilson);
  const Interval ib = proportion_interval(events_b, trials_b, confidence, IntervalMethod::wilson);
  ProportionDifference d;
  d.difference = b - a;
  d.interval.low = d.difference - std::hypot(b - ib.low, ia.high - a);
  d.interval.high = d.difference + std::hypot(ib.high - b, a - ia.low);
  d.significant = d.interval.low > 0 || d.interval.high < 0;
  return d;
}

}  // namespace npufi
