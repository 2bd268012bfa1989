#include "analysis/stratified.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "analysis/confidence.h"

namespace npufi {

namespace {

// Splits `total` in proportion to `scores`, never giving a stratum more than its population: strata that
// would exceed it get it all and the rest is split again among the others.
std::vector<uint64_t> allocate(const std::vector<uint64_t>& populations, const std::vector<double>& scores,
                               uint64_t total) {
  const uint64_t everything = std::accumulate(populations.begin(), populations.end(), uint64_t(0));
  if (everything == 0) throw std::invalid_argument("allocation: every stratum is empty");
  total = std::min(total, everything);
  std::vector<uint64_t> n(populations.size(), 0);
  std::vector<bool> capped(populations.size(), false);
  for (;;) {
    uint64_t left = total;
    double score_sum = 0;
    for (size_t h = 0; h < n.size(); ++h) {
      if (capped[h]) left -= n[h];
      else score_sum += scores[h];
    }
    if (score_sum <= 0) return n;  // only empty strata are left uncapped: nothing more to give
    bool newly_capped = false;
    for (size_t h = 0; h < n.size(); ++h) {
      if (!capped[h] && double(left) * scores[h] / score_sum >= double(populations[h])) {
        n[h] = populations[h];
        capped[h] = newly_capped = true;
      }
    }
    if (newly_capped) continue;
    // Floors, then one more to the largest remainders until the total is reached.
    std::vector<std::pair<double, size_t>> remainders;
    uint64_t given = 0;
    for (size_t h = 0; h < n.size(); ++h) {
      if (capped[h]) continue;
      const double exact = double(left) * scores[h] / score_sum;
      n[h] = uint64_t(std::floor(exact));
      given += n[h];
      remainders.push_back({exact - double(n[h]), h});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; given < left && i < remainders.size(); ++i, ++given) ++n[remainders[i].second];
    return n;
  }
}

}  // namespace

std::vector<uint64_t> allocate_proportional(const std::vector<uint64_t>& populations, uint64_t total) {
  return allocate(populations, std::vector<double>(populations.begin(), populations.end()), total);
}

std::vector<uint64_t> allocate_neyman(const std::vector<uint64_t>& populations, const std::vector<double>& priors,
                                      uint64_t total) {
  if (priors.size() != populations.size())
    throw std::invalid_argument("Neyman allocation: one prior per stratum, got " + std::to_string(priors.size()) +
                                " for " + std::to_string(populations.size()));
  std::vector<double> scores;
  for (size_t h = 0; h < populations.size(); ++h) {
    check_open_unit("prior", priors[h]);
    scores.push_back(double(populations[h]) * std::sqrt(priors[h] * (1 - priors[h])));
  }
  return allocate(populations, scores, total);
}

StratifiedEstimate stratified_estimate(const std::vector<StratumSample>& strata, double confidence) {
  const double z = z_two_sided(confidence);
  double population = 0;
  for (const StratumSample& s : strata) population += double(s.population);
  if (population == 0) throw std::invalid_argument("stratified estimate: every stratum is empty");
  StratifiedEstimate estimate;
  for (size_t h = 0; h < strata.size(); ++h) {
    const StratumSample& s = strata[h];
    if (s.population == 0) continue;
    if (s.trials == 0 || s.events > s.trials)
      throw std::invalid_argument("stratified estimate: stratum " + std::to_string(h) + " has " +
                                  std::to_string(s.events) + " events in " + std::to_string(s.trials) + " trials");
    const double w = double(s.population) / population, p = double(s.events) / double(s.trials);
    estimate.value += w * p;
    estimate.variance += w * w * p * (1 - p) / double(s.trials);
  }
  const double half = z * std::sqrt(estimate.variance);
  estimate.interval = {std::max(0.0, estimate.value - half), std::min(1.0, estimate.value + half)};
  return estimate;
}

}  // namespace npufi
