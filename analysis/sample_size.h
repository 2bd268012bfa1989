#pragma once
// How many injections estimate a proportion (e.g. an AVF) to a given margin: Leveugle et al., "Statistical
// fault injection: quantified error and confidence", DATE 2009.
#include <cstdint>
#include <optional>

namespace npufi {

// n = N t^2 p(1-p) / (e^2 (N-1) + t^2 p(1-p)), rounded up and at most N; N absent = an infinite
// population, n = t^2 p(1-p) / e^2. t is the two-sided normal quantile of `confidence`, e the margin,
// p the expected proportion (0.5, the worst case, when unknown). 95 %, 1 %, N infinite: 9,604.
// Throws std::invalid_argument for margin outside (0, 1), p outside (0, 1), confidence outside (0, 1)
// or a population of 0.
uint64_t sample_size(double margin, double confidence, std::optional<uint64_t> population = std::nullopt,
                     double p = 0.5);

}  // namespace npufi
