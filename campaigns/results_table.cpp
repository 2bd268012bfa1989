#include "campaigns/results_table.h"

#include <algorithm>

namespace npufi {

std::vector<BerRow> ber_table(const std::vector<db::TrialRow>& trials, const std::vector<db::GoldenRow>& golden) {
  std::vector<BerRow> rows;
  for (size_t first = 0; first < trials.size();) {
    size_t last = first;
    std::vector<double> accuracy;
    double mismatches = 0;
    double faults = 0;
    std::optional<OutcomeCounts> outcomes;
    for (; last < trials.size() && trials[last].format == trials[first].format && trials[last].ber == trials[first].ber;
         ++last) {
      const db::TrialRow& t = trials[last];
      accuracy.push_back(t.accuracy());
      mismatches += t.images ? double(t.mismatches) / t.images : 0.0;
      faults += double(t.fault_count);
      if (t.masked && t.sdc_benign) {
        if (!outcomes) outcomes.emplace();
        outcomes->masked += uint64_t(*t.masked);
        outcomes->sdc_benign += uint64_t(*t.sdc_benign);
        outcomes->sdc_critical += uint64_t(t.mismatches);
      }
    }
    BerRow row;
    row.format = trials[first].format;
    row.ber = trials[first].ber;
    const auto g = std::find_if(golden.begin(), golden.end(), [&](const db::GoldenRow& r) { return r.format == row.format; });
    if (g != golden.end() && g->images) row.golden_accuracy = double(g->correct) / g->images;
    row.accuracy = summarize(accuracy);
    row.mismatch_fraction = mismatches / double(accuracy.size());
    row.mean_faulty_bits = faults / double(accuracy.size());
    row.outcomes = outcomes;
    rows.push_back(row);
    first = last;
  }
  return rows;
}

}  // namespace npufi
