#include "analysis/confidence.h"

#include <sstream>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>

namespace npufi {

void check_open_unit(const char* name, double value) {
  if (value > 0 && value < 1) return;
  std::ostringstream message;
  message << name << " must be in (0, 1), got " << value;
  throw std::invalid_argument(message.str());
}

double z_two_sided(double confidence) {
  check_confidence(confidence);
  return boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
}

double z_one_sided(double confidence) {
  check_confidence(confidence);
  return boost::math::quantile(boost::math::normal(), confidence);
}

}  // namespace npufi
