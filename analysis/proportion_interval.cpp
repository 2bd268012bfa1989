#include "analysis/proportion_interval.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/binomial.hpp>

#include "analysis/confidence.h"

namespace npufi {

namespace {

enum class Side { lower, upper };

// The bound on one side that the true proportion lies beyond with probability `tail`.
double bound(uint64_t events, uint64_t trials, double tail, IntervalMethod method, Side side) {
  if (events > trials)
    throw std::invalid_argument(std::to_string(events) + " events in " + std::to_string(trials) + " trials");
  check_confidence(1 - tail);
  if (trials == 0) return side == Side::lower ? 0.0 : 1.0;
  using boost::math::binomial;
  const double n = double(trials), k = double(events);
  switch (method) {
    case IntervalMethod::wilson: {
      // (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = k/n
      const double z = z_one_sided(1 - tail), p = k / n, z2n = z * z / n;
      const double center = p + z2n / 2;
      const double spread = z * std::sqrt(p * (1 - p) / n + z2n / (4 * n));
      const double value = (side == Side::lower ? center - spread : center + spread) / (1 + z2n);
      return std::clamp(value, 0.0, 1.0);
    }
    case IntervalMethod::clopper_pearson:
      return side == Side::lower ? binomial::find_lower_bound_on_p(n, k, tail, binomial::clopper_pearson_exact_interval)
                                 : binomial::find_upper_bound_on_p(n, k, tail, binomial::clopper_pearson_exact_interval);
    case IntervalMethod::jeffreys:
      return side == Side::lower ? binomial::find_lower_bound_on_p(n, k, tail, binomial::jeffreys_prior_interval)
                                 : binomial::find_upper_bound_on_p(n, k, tail, binomial::jeffreys_prior_interval);
  }
  throw std::invalid_argument("unknown interval method");
}

}  // namespace

std::optional<IntervalMethod> parse_interval_method(const std::string& name) {
  if (name == "wilson") return IntervalMethod::wilson;
  if (name == "clopper-pearson") return IntervalMethod::clopper_pearson;
  if (name == "jeffreys") return IntervalMethod::jeffreys;
  return std::nullopt;
}

const char* to_string(IntervalMethod method) {
  switch (method) {
    case IntervalMethod::wilson: return "wilson";
    case IntervalMethod::clopper_pearson: return "clopper-pearson";
    case IntervalMethod::jeffreys: return "jeffreys";
  }
  return "?";
}

Interval proportion_interval(uint64_t events, uint64_t trials, double confidence, IntervalMethod method) {
  check_confidence(confidence);
  const double tail = (1 - confidence) / 2;
  return {bound(events, trials, tail, method, Side::lower), bound(events, trials, tail, method, Side::upper)};
}

double proportion_upper_bound(uint64_t events, uint64_t trials, double confidence, IntervalMethod method) {
  check_confidence(confidence);
  return bound(events, trials, 1 - confidence, method, Side::upper);
}

double proportion_lower_bound(uint64_t events, uint64_t trials, double confidence, IntervalMethod method) {
  check_confidence(confidence);
  return bound(events, trials, 1 - confidence, method, Side::lower);
}

}  // namespace npufi
