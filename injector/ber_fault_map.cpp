#include "injector/ber_fault_map.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include <boost/math/distributions/binomial.hpp>

namespace npufi {

uint64_t binomial_count(uint64_t n, double p, double u) {
  if (n == 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  // Rounding the quantile up gives the smallest k with CDF(k) >= u: the discrete inverse CDF.
  using Policy = boost::math::policies::policy<
      boost::math::policies::discrete_quantile<boost::math::policies::integer_round_up>>;
  const boost::math::binomial_distribution<double, Policy> distribution(double(n), p);
  return uint64_t(boost::math::quantile(distribution, u));
}

std::vector<uint64_t> distinct_positions(uint64_t n, uint64_t k, CounterRng& rng) {
  std::unordered_set<uint64_t> chosen;
  chosen.reserve(k);
  for (uint64_t j = n - k; j < n; ++j) {
    const uint64_t t = rng.below(j + 1);
    chosen.insert(chosen.count(t) ? j : t);
  }
  std::vector<uint64_t> positions(chosen.begin(), chosen.end());
  std::sort(positions.begin(), positions.end());
  return positions;
}

std::vector<WeightFault> draw_faults(const BitPopulation& population, const BerFaultMap& map,
                                     CounterRng& rng) {
  const uint64_t events = binomial_count(population.size(), map.ber, rng.uniform());
  std::vector<WeightFault> faults;
  faults.reserve(events * map.adjacent);
  for (uint64_t position : distinct_positions(population.size(), events, rng)) {
    const BitAddress address = population.at(position);
    const int top = std::min(address.bit + map.adjacent, map.word_bits);
    for (int bit = address.bit; bit < top; ++bit) {
      faults.push_back({address.tensor, address.index, bit, map.kind});
    }
  }
  // Overlapping multi-bit events hit a bit once, not twice (two flips would cancel).
  const auto order = [](const WeightFault& a, const WeightFault& b) {
    return std::tie(a.tensor, a.index, a.bit) < std::tie(b.tensor, b.index, b.bit);
  };
  std::sort(faults.begin(), faults.end(), order);
  faults.erase(std::unique(faults.begin(), faults.end()), faults.end());
  return faults;
}

}  // namespace npufi
