#pragma once
// The accuracy-vs-BER table of a campaign: one row per (format, BER) over its repetitions.
#include <string>
#include <vector>

#include "analysis/sample_summary.h"
#include "db/store.h"

namespace npufi {

struct BerRow {
  std::string format;
  double ber = 0;
  double golden_accuracy = 0;
  SampleSummary accuracy;         // over the repetitions, with a 95% interval for the mean
  double mismatch_fraction = 0;   // mean fraction of images whose top-1 differs from the fault-free model
  double mean_faulty_bits = 0;
};

// Rows in campaign order (format, then BER). Trials must not be empty.
std::vector<BerRow> ber_table(const std::vector<db::TrialRow>& trials, const std::vector<db::GoldenRow>& golden);

}  // namespace npufi
