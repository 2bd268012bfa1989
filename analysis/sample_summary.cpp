#include "analysis/sample_summary.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

namespace npufi {

SampleSummary summarize(const std::vector<double>& values, double confidence) {
  if (values.empty()) throw std::invalid_argument("summarize: no values");
  SampleSummary s;
  s.count = int(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / s.count;
  const auto [min, max] = std::minmax_element(values.begin(), values.end());
  s.min = *min;
  s.max = *max;
  if (s.count < 2) return s;
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(squares / (s.count - 1));
  const boost::math::students_t t(s.count - 1);
  const double half_width = boost::math::quantile(t, 0.5 + confidence / 2) * s.stddev / std::sqrt(s.count);
  s.mean_interval = Interval{s.mean - half_width, s.mean + half_width};
  return s;
}

}  // namespace npufi
