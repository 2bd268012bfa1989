#pragma once
// Summary statistics of repeated measurements (e.g. the accuracy of the trials at one BER).
#include <optional>
#include <vector>

#include "analysis/interval.h"

namespace npufi {

struct SampleSummary {
  int count = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1)
  double min = 0;
  double max = 0;
  // Two-sided Student-t interval for the mean; absent below two samples.
  std::optional<Interval> mean_interval;
};

// values must not be empty; confidence in (0, 1).
SampleSummary summarize(const std::vector<double>& values, double confidence = 0.95);

}  // namespace npufi
