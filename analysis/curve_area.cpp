#include "analysis/curve_area.h"

#include <cmath>
#include <stdexcept>

namespace npufi {

double ber_auc(const std::vector<double>& bers, const std::vector<double>& accuracy) {
  if (bers.empty() || bers.size() != accuracy.size()) throw std::invalid_argument("ber_auc: need one accuracy per BER");
  if (bers.size() == 1) return accuracy[0];
  double area = 0;
  for (size_t i = 1; i < bers.size(); ++i) {
    if (!(bers[i - 1] > 0 && bers[i] > bers[i - 1])) throw std::invalid_argument("ber_auc: BERs must be > 0 and ascending");
    area += (accuracy[i - 1] + accuracy[i]) / 2 * (std::log10(bers[i]) - std::log10(bers[i - 1]));
  }
  return area / (std::log10(bers.back()) - std::log10(bers.front()));
}

}  // namespace npufi
