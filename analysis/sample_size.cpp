#include "analysis/sample_size.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/confidence.h"

namespace npufi {

uint64_t sample_size(double margin, double confidence, std::optional<uint64_t> population, double p) {
  check_open_unit("margin", margin);
  check_open_unit("p", p);
  if (population && *population == 0) throw std::invalid_argument("population must be at least 1");
  const long double t = z_two_sided(confidence);
  const long double tpq = t * t * p * (1 - p), e2 = (long double)margin * margin;
  const long double n = population ? (long double)*population * tpq / (e2 * (long double)(*population - 1) + tpq)
                                   : tpq / e2;
  // Rounded up: the smallest whole sample that reaches the margin. The 1e-9 keeps an exact integer
  // from being pushed to the next one by rounding error.
  const auto whole = uint64_t(std::ceil(n - 1e-9L));
  return population ? std::min(whole, *population) : whole;
}

}  // namespace npufi
