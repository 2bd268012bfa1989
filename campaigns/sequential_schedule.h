#pragma once
// Sequential sampling for RTL campaigns (docs/rtl-faults.md, "Sequential campaigns"): injections go to the
// blocks in rounds, each round to the blocks whose confidence interval for the chosen outcome is still
// wider than the target margin, until every block is within it or the budget is spent. A round depends
// only on the results of the rounds before it, so a resumed campaign plans exactly the same injections.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/outcome_class.h"

namespace npufi {

struct SequentialSettings {
  double margin = 0.01;      // the largest interval half-width accepted
  double confidence = 0.95;  // of the two-sided Clopper-Pearson interval
  OutcomeClass outcome = OutcomeClass::sdc_critical;
  int64_t round_size = 1000;
  int64_t budget = 0;  // at most this many injections in all
};

// One planned injection: the k-th into block `block`, with campaign index `index`.
struct ScheduledInjection {
  int64_t index = 0;
  size_t block = 0;
  uint64_t k = 0;
};

// What a block has shown so far: injections and how many ended in the chosen outcome.
struct BlockTally {
  uint64_t trials = 0;
  uint64_t events = 0;
};

class SequentialSchedule {
 public:
  SequentialSchedule(SequentialSettings settings, size_t blocks);

  // The next round given each block's tally after the rounds so far (all of them complete); empty when
  // the campaign is finished, and then stop_reason() says why.
  std::vector<ScheduledInjection> next_round(const std::vector<BlockTally>& tallies);
  int64_t planned() const { return next_index_; }
  const std::string& stop_reason() const { return stop_reason_; }
  double half_width(const BlockTally& tally) const;

 private:
  SequentialSettings settings_;
  size_t blocks_;
  int64_t next_index_ = 0;
  int rounds_ = 0;
  std::string stop_reason_;
};

}  // namespace npufi
