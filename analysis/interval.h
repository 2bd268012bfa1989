#pragma once
// A closed interval [low, high], e.g. a confidence interval.

namespace npufi {

struct Interval {
  double low = 0;
  double high = 0;
};

}  // namespace npufi
