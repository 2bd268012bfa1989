#pragma once
// The area under an accuracy-vs-BER curve: how `npufi compare`, `npufi report` and FT-ClipAct's scorer
// sum up a network's resilience in one number.
#include <vector>

namespace npufi {

// Trapezoids over log10(BER), divided by the log10 range: the mean accuracy over the BER decades, in the
// units of `accuracy`. bers ascending and > 0; a single BER gives its accuracy.
double ber_auc(const std::vector<double>& bers, const std::vector<double>& accuracy);

}  // namespace npufi
