#pragma once
// From outcome counts to failure rates: per stratum (block, storage kind, fault duration) and outcome
// class, AVF = events / injections with its interval, and FIT = raw FIT per bit x bits x AVF.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/block_outcomes.h"
#include "analysis/outcome_class.h"
#include "analysis/proportion_interval.h"
#include "analysis/technology.h"

namespace npufi {

struct FitOptions {
  double confidence = 0.95;
  IntervalMethod method = IntervalMethod::clopper_pearson;
  // Accept strata with bits but no injections (register groups that a campaign happened not to hit): their
  // AVF is unknown, every interval [0, 1] and every bound 1. They need no share of the joint confidence,
  // since a bound of 1 always holds. Off: such a stratum is an error.
  bool allow_unmeasured = false;
};

struct ClassFit {
  uint64_t events = 0;
  double avf = 0;         // events / injections
  Interval avf_interval;  // two-sided at the confidence
  double avf_upper = 0;   // one-sided upper bound at the confidence
  double fit = 0;         // raw FIT x AVF
  double fit_upper = 0;   // raw FIT x the one-sided upper bound
};

struct StratumFit {
  std::string block;
  StorageKind storage = StorageKind::flop;
  FaultDuration duration = FaultDuration::transient;
  uint64_t bits = 0;
  uint64_t injections = 0;
  double raw_fit = 0;  // FIT of all its bits if every fault mattered: rate per bit x bits
  std::array<ClassFit, kOutcomeClasses.size()> classes;
  const ClassFit& operator[](OutcomeClass outcome) const { return classes[size_t(outcome)]; }
};

struct FitTable {
  FitOptions options;
  std::vector<StratumFit> strata;  // in the order given
  double raw_fit = 0;              // sum over the strata
  // NPU totals per outcome class (indexed by OutcomeClass): the sum of the strata, and an upper bound that
  // holds jointly at the confidence: each of the k strata bounded at 1 - (1 - confidence) / k, summed
  // (Bonferroni).
  std::array<double, kOutcomeClasses.size()> fit{};
  std::array<double, kOutcomeClasses.size()> fit_upper{};
};

// Throws std::invalid_argument for a stratum with bits but no injections (unless options.allow_unmeasured),
// or one listed twice;
// TechnologyError for permanent faults when the technology gives no permanent rates.
FitTable fit_table(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                   const FitOptions& options = {});

// The confidence each of k strata is bounded at so that all k bounds hold together at `confidence`.
double bonferroni_confidence(double confidence, size_t strata);

}  // namespace npufi
