#pragma once
// ISO 26262-5 hardware architectural metrics from measured outcomes: the outcome classes become fault
// classes, one FMEDA row per block, then SPFM, LFM and PMHF, each with a bound at the confidence.
// docs/statistics.md gives the mapping, the formulas and the defaults.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/block_outcomes.h"
#include "analysis/fit.h"
#include "analysis/technology.h"

namespace npufi {

// A safety mechanism that covers a block: the share of its violating faults it detects (single-point
// diagnostic coverage) and the share of those detected faults whose latency it also covers (latent).
struct SafetyMechanism {
  std::string name;
  double dc_single_point = 0;
  double dc_latent = 0;
};

struct SafetyOptions {
  FitOptions fit;                    // confidence and interval method
  bool sdc_benign_relevant = false;  // output differs but top-1 does not: safe by default
  bool due_hang_relevant = true;     // no result in time: violates the safety goal by default
  std::map<std::string, SafetyMechanism> mechanisms;  // by block; a block without one has none
  std::set<std::string> not_safety_related;           // blocks whose faults cannot violate a safety goal
};

// Failure rates in FIT.
struct FmedaRow {
  std::string element;       // the block, or "total"
  std::string failure_mode;  // what its faults do
  double raw_fit_transient = 0;
  double raw_fit_permanent = 0;
  bool safety_related = true;
  double safe_fraction = 0;      // lambda_S / lambda
  std::string safety_mechanism;  // "none" without one
  double dc_single_point = 0;
  double dc_latent = 0;
  double spf = 0;           // lambda_SPF: violating, no mechanism
  double rf = 0;            // lambda_RF: violating, missed by the mechanism
  double mpf_detected = 0;  // lambda_MPF detected (due_detected, and faults the mechanism catches and reports)
  double mpf_latent = 0;    // lambda_MPF,latent
  double s = 0;             // lambda_S: safe
  double lambda() const { return raw_fit_transient + raw_fit_permanent; }
};

struct SafetyMetrics {
  // Point estimates; the PMHF in FIT.
  double spfm = 1;
  double lfm = 1;
  double pmhf = 0;
  // Bounds that hold together at the confidence: every stratum's violating AVF at its Bonferroni upper
  // bound (all three metrics get worse as a violating AVF grows).
  double spfm_lower = 1;
  double lfm_lower = 1;
  double pmhf_upper = 0;
};

struct Fmeda {
  SafetyOptions options;
  FitTable fit;                // per stratum and outcome class
  std::vector<FmedaRow> rows;  // one per block, sorted by name
  std::vector<FmedaRow> rows_upper;  // the same with every violating AVF at its joint upper bound
  FmedaRow total;              // sums over the rows (safety mechanism "-")
  SafetyMetrics metrics;
};

// Whether a fault with this outcome violates the safety goal under the options.
bool violates(OutcomeClass outcome, const SafetyOptions& options);

// SPFM, LFM and PMHF of FMEDA rows: the point estimates from `rows`, the bounds from `rows_upper` (the
// same elements with their violating AVFs at the upper bounds). The protection optimizer combines rows
// of differently protected blocks with it.
SafetyMetrics safety_metrics(const std::vector<FmedaRow>& rows, const std::vector<FmedaRow>& rows_upper);

// Throws std::invalid_argument for a DC outside [0, 1] or a mechanism or non-safety-related block that
// names no block of the outcomes; see fit_table for the rest.
Fmeda build_fmeda(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                  const SafetyOptions& options = {});

}  // namespace npufi
