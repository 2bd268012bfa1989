#pragma once
// The accuracy-vs-BER table of a campaign: one row per (format, BER) over its repetitions.
#include <optional>
#include <string>
#include <vector>

#include "analysis/block_outcomes.h"
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
  // Activation campaigns: every image of every trial by outcome class (masked, sdc_benign, sdc_critical).
  std::optional<OutcomeCounts> outcomes;
};

// Rows in campaign order (format, then BER). Trials must not be empty.
std::vector<BerRow> ber_table(const std::vector<db::TrialRow>& trials, const std::vector<db::GoldenRow>& golden);

}  // namespace npufi
