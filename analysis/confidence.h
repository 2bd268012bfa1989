#pragma once
// Confidence levels and the standard normal quantiles that go with them.

namespace npufi {

// Throws std::invalid_argument naming `name` unless 0 < value < 1 (confidences, margins, proportions).
void check_open_unit(const char* name, double value);
inline void check_confidence(double confidence) { check_open_unit("confidence", confidence); }

// z with P(|Z| <= z) = confidence: 1.959964 for 0.95 (two-sided intervals, sample sizes).
double z_two_sided(double confidence);

// z with P(Z <= z) = confidence: 1.644854 for 0.95 (one-sided bounds).
double z_one_sided(double confidence);

}  // namespace npufi
