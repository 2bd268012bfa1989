#pragma once
// Confidence intervals and one-sided bounds for a binomial proportion: `events` of `trials` injections
// ended in some outcome class. docs/statistics.md gives the formulas.
#include <cstdint>
#include <optional>
#include <string>

#include "analysis/interval.h"

namespace npufi {

enum class IntervalMethod {
  wilson,           // score interval; good coverage, never outside [0, 1]
  clopper_pearson,  // exact (beta quantiles); at least the stated coverage: the one for verdicts
  jeffreys,         // equal-tailed Beta(k + 1/2, n - k + 1/2) posterior interval
};

std::optional<IntervalMethod> parse_interval_method(const std::string& name);
const char* to_string(IntervalMethod method);

// Two-sided interval at `confidence`, each tail holding (1 - confidence) / 2. With 0 trials: [0, 1].
// Throws std::invalid_argument if events > trials or the confidence is outside (0, 1).
Interval proportion_interval(uint64_t events, uint64_t trials, double confidence,
                             IntervalMethod method = IntervalMethod::clopper_pearson);

// One-sided bounds: the true proportion is at most (at least) the bound with probability `confidence`.
// Clopper-Pearson with 0 events in n trials gives the upper bound 1 - (1 - confidence)^(1/n) exactly.
double proportion_upper_bound(uint64_t events, uint64_t trials, double confidence,
                              IntervalMethod method = IntervalMethod::clopper_pearson);
double proportion_lower_bound(uint64_t events, uint64_t trials, double confidence,
                              IntervalMethod method = IntervalMethod::clopper_pearson);

}  // namespace npufi
